"""One place that maps errors to HTTP: JSON under /api, friendly pages elsewhere.

Nothing internal leaks: 500s show a reference id that is also in the server log.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from sqlalchemy.exc import DataError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

from valuescout.core.errors import DomainError, TooManyAttempts
from valuescout.core.web.csrf import CsrfError
from valuescout.core.web.status import status_for
from valuescout.core.web.templating import render
from valuescout.identity.deps import SignInRequired

log = logging.getLogger("valuescout.web")
BUSY_RETRY_SECONDS = 5

TITLES = {
    400: "Bad request",
    401: "Please sign in",
    403: "Not allowed",
    404: "Not found",
    405: "Not allowed",
    409: "Conflict",
    413: "Too large",
    422: "Check your input",
    429: "Too many attempts",
    500: "Something went wrong",
    503: "Busy",
}


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def _error(request: Request, status: int, code: str, message: str, **extra: Any) -> Response:
    if is_api(request):
        headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
        body = {"error": {"code": code, "message": message, **extra}}
        return JSONResponse(body, status_code=status, headers=headers)
    return render(
        request,
        "errors/error.html",
        {"status": status, "title": TITLES.get(status, "Error"), "message": message},
        status_code=status,
    )


async def domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    status = status_for(exc)
    if status == 401 and not is_api(request):
        return await sign_in_required(request, exc)
    extra: dict[str, Any] = {"field": exc.field}
    if exc.details:
        extra["details"] = exc.details
    response = _error(request, status, exc.code, exc.message, **extra)
    if isinstance(exc, TooManyAttempts):
        response.headers["Retry-After"] = str(exc.retry_after_seconds)
    return response


async def sign_in_required(request: Request, exc: Exception) -> Response:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/sign-in?next={quote(target)}", status_code=303)


async def csrf_error(request: Request, exc: Exception) -> Response:
    return _error(
        request, 403, "csrf", "This form has expired or came from elsewhere. Reload and retry."
    )


async def validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    problems = [
        {"where": ".".join(str(p) for p in e.get("loc", ())), "message": e.get("msg", "")}
        for e in exc.errors()
    ]
    first = problems[0] if problems else {"where": "request", "message": "invalid"}
    message = f"{first['where']}: {first['message']}"
    if is_api(request):
        return JSONResponse(
            {"error": {"code": "invalid", "message": message, "details": problems}},
            status_code=422,
        )
    return _error(request, 400, "invalid", message)


async def http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    messages = {404: "There is nothing at this address.", 405: "That method is not allowed here."}
    message = messages.get(exc.status_code, str(exc.detail))
    response = _error(request, exc.status_code, "http_error", message)
    for key, value in (exc.headers or {}).items():
        response.headers[key] = value
    return response


async def data_error(request: Request, exc: Exception) -> Response:
    # The database refused a value (out of range, NUL byte, ...): the input's fault.
    log.info("database refused a value on %s: %s", request.url.path, exc)
    return _error(
        request, 400, "invalid", "A value is out of range or has characters that cannot be stored."
    )


async def busy(request: Request, exc: Exception) -> Response:
    # Every database connection of this worker stayed taken for the pool's whole timeout: the
    # server is overloaded, not broken. Say so, and when to try again, instead of a 500.
    log.warning("no database connection free on %s %s", request.method, request.url.path)
    response = _error(
        request, 503, "busy", "The server is busy. Please try again in a few seconds."
    )
    response.headers["Retry-After"] = str(BUSY_RETRY_SECONDS)
    return response


async def server_error(request: Request, exc: Exception) -> Response:
    reference = secrets.token_hex(6)
    log.exception("unhandled error %s on %s %s", reference, request.method, request.url.path)
    return _error(
        request, 500, "server_error", f"Please try again. If it persists, quote {reference}."
    )


def install(app: FastAPI) -> None:
    app.add_exception_handler(DomainError, domain_error)
    app.add_exception_handler(SignInRequired, sign_in_required)
    app.add_exception_handler(CsrfError, csrf_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(DataError, data_error)
    app.add_exception_handler(PoolTimeout, busy)
    app.add_exception_handler(Exception, server_error)
