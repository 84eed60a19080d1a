"""Jinja templates found in every domain package's `templates/` folder, plus the shell."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, select_autoescape
from starlette.responses import Response

from valuescout.core.web import formatting
from valuescout.core.web.csrf import form_token

PACKAGE_ROOT = Path(__file__).resolve().parents[2]
FLASH_COOKIE = "vs_flash"


@dataclass(frozen=True)
class NavItem:
    label: str
    path: str
    visible: Callable[[Any], bool]  # given the signed-in principal


def _template_dirs() -> list[str]:
    return [str(p) for p in sorted(PACKAGE_ROOT.glob("*/templates")) if p.is_dir()]


def build_templates() -> Jinja2Templates:
    env = Environment(
        loader=ChoiceLoader([FileSystemLoader(d) for d in _template_dirs()]),
        autoescape=select_autoescape(default=True),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["dt"] = _format_datetime
    env.globals.update(money=formatting.money, pct=formatting.pct)
    return Jinja2Templates(env=env)


def _format_datetime(value: Any) -> str:
    return value.strftime("%Y-%m-%d %H:%M UTC") if value else "—"


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status_code: int = 200
) -> Response:
    """Render a page with the shell's context: who is signed in, navigation, CSRF, flash."""
    templates: Jinja2Templates = request.app.state.templates
    principal = getattr(request.state, "principal", None)
    nav: list[NavItem] = request.app.state.nav
    full = {
        "principal": principal,
        "nav": [item for item in nav if principal is not None and item.visible(principal)],
        "csrf_token": form_token(request),
        "flash": unquote(request.cookies.get(FLASH_COOKIE, "")),
        "current_path": request.url.path,
        **(context or {}),
    }
    response = templates.TemplateResponse(request, name, full, status_code=status_code)
    if full["flash"]:
        response.delete_cookie(FLASH_COOKIE)
    return response


def redirect(url: str, flash: str | None = None) -> Response:
    """Post/redirect/get with an optional one-time message for the next page."""
    from starlette.responses import RedirectResponse

    response = RedirectResponse(url, status_code=303)
    if flash:
        response.set_cookie(
            FLASH_COOKIE, quote(flash[:300]), max_age=60, httponly=True, samesite="lax"
        )
    return response
