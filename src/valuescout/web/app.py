"""The application factory: settings, database, templates, routers, navigation, errors."""

from __future__ import annotations

import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from valuescout import __version__
from valuescout.analytics import api as analytics_api
from valuescout.analytics import pages as analytics_pages
from valuescout.assessments import api as assessments_api
from valuescout.assessments import engagement_api as assessments_engagement_api
from valuescout.assessments import engagement_pages as assessments_engagement_pages
from valuescout.assessments import pages as assessments_pages
from valuescout.conversations import api as conversations_api
from valuescout.conversations import coaching_api as conversations_coaching_api
from valuescout.conversations import coaching_pages as conversations_coaching_pages
from valuescout.conversations import pages as conversations_pages
from valuescout.core.db import make_engine, make_session_factory
from valuescout.core.settings import Settings, get_settings
from valuescout.core.web.templating import NavItem, build_templates
from valuescout.deals import api as deals_api
from valuescout.deals import pages as deals_pages
from valuescout.deals import pages_accounts as deals_account_pages
from valuescout.deals import pages_import as deals_import_pages
from valuescout.deals import pages_valuecase as deals_valuecase_pages
from valuescout.discoveries import api as discoveries_api
from valuescout.discoveries import pages as discoveries_pages
from valuescout.forecasting import api as forecasting_api
from valuescout.forecasting import pages as forecasting_pages
from valuescout.forecasting import pages_scores as forecasting_score_pages
from valuescout.identity import api as identity_api
from valuescout.identity import org_pages
from valuescout.identity import pages as identity_pages
from valuescout.identity.roles import ROLE_LABELS, Permission, Role
from valuescout.identity.token_limits import TokenGuard, TokenLimits
from valuescout.pricing import api as pricing_api
from valuescout.pricing import pages as pricing_pages
from valuescout.pricing import pages_desk as pricing_desk_pages
from valuescout.pricing import pages_policy as pricing_policy_pages
from valuescout.rfp import api as rfp_api
from valuescout.rfp import pages as rfp_pages
from valuescout.valuenet import api as valuenet_api
from valuescout.valuenet import graph_api as valuenet_graph_api
from valuescout.valuenet import pages as valuenet_pages
from valuescout.web import audit, errors, health, home
from valuescout.web.middleware import BodyLimitMiddleware, security_headers

STATIC_DIR = Path(__file__).parent / "static"

# The shell's navigation. A capability adds its entry here when it exists — no placeholders.
NAVIGATION = [
    NavItem("Home", "/", lambda p: True),
    NavItem("Pipeline", "/pipeline", lambda p: True),
    NavItem("Accounts", "/accounts", lambda p: True),
    NavItem("Conversations", "/conversations", lambda p: True),
    NavItem("Price desk", "/price-desk", lambda p: p.can(Permission.SEE_MONEY)),
    NavItem("Analytics", "/analytics", lambda p: p.can(Permission.VIEW_ANALYTICS)),
    NavItem("Forecast", "/forecast", lambda p: p.can(Permission.SEE_MONEY)),
    NavItem("RFPs", "/rfps", lambda p: p.can(Permission.SEE_MONEY)),
    NavItem("Coaching", "/coaching", lambda p: p.role != Role.CONTRIBUTOR),
    NavItem("Discoveries", "/discoveries", lambda p: True),
    NavItem("Assessments", "/assessments", lambda p: True),
    NavItem("People", "/people", lambda p: p.can(Permission.VIEW_PEOPLE)),
    NavItem("Value networks", "/value-networks", lambda p: True),
    NavItem("Organisation", "/teams", lambda p: True),
    NavItem("Audit trail", "/admin/audit", lambda p: p.can(Permission.VIEW_AUDIT)),
]


@asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    # A long-running server keeps its start-up objects for life: freezing them keeps the
    # garbage collector from rescanning them, which removed 50-80 ms pauses from requests
    # that build large value-network graphs (bench/valuenet_service.py). Tests build many
    # short-lived apps, so they skip it.
    if app.state.settings.env != "test":
        gc.freeze()
    yield


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or get_settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(message)s")
    app = FastAPI(
        title="ValueScout",
        version=__version__,
        description="Value-focused selling: the JSON API. Authenticate with an API token "
        "(`Authorization: Bearer <token>`), created on your account page or with "
        "`valuescout token create`.",
        openapi_url="/api/v1/openapi.json",
        docs_url="/api/docs",
        redoc_url=None,
        lifespan=_lifespan,
    )
    engine = make_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )
    app.state.settings = settings
    app.state.engine = engine
    app.state.session_factory = make_session_factory(engine)
    app.state.templates = build_templates()
    app.state.templates.env.filters["role_label"] = lambda role: ROLE_LABELS[Role(role)]
    app.state.nav = NAVIGATION
    app.state.token_guard = TokenGuard(TokenLimits.from_settings(settings))

    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    app.middleware("http")(security_headers)
    errors.install(app)

    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for router in (
        health.router,
        audit.api_router,
        identity_api.router,
        valuenet_graph_api.imports_router,
        valuenet_graph_api.router,
        valuenet_api.router,
        deals_api.router,
        pricing_api.router,
        analytics_api.router,
        forecasting_api.router,
        conversations_api.router,
        conversations_coaching_api.router,
        discoveries_api.router,
        rfp_api.router,
        assessments_api.router,
        assessments_engagement_api.router,
        home.router,
        identity_pages.router,
        org_pages.router,
        valuenet_pages.router,
        deals_pages.router,
        deals_valuecase_pages.router,
        deals_account_pages.router,
        deals_import_pages.router,
        pricing_pages.router,
        pricing_desk_pages.router,
        pricing_policy_pages.router,
        analytics_pages.router,
        forecasting_pages.router,
        forecasting_score_pages.router,
        conversations_pages.router,
        conversations_coaching_pages.router,
        discoveries_pages.router,
        rfp_pages.router,
        assessments_pages.router,
        assessments_engagement_pages.router,
        audit.page_router,
    ):
        app.include_router(router)
    return app
