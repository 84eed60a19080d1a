"""The web shell: error pages that leak nothing, headers, vendored assets, audit browsing."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, FastAPI
from fastapi.testclient import TestClient
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import bearer, seeded_org, sign_in, token_for
from valuescout.web import app as app_module

TEMPLATE_ROOT = Path(app_module.__file__).resolve().parents[1]


def test_health_answers_without_data(client: TestClient) -> None:
    response = client.get("/api/v1/health")
    assert response.status_code == 200 and response.json()["status"] == "ok"


def test_unknown_page_and_api_path_get_404s(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    api = client.get("/api/v1/nothing-here")
    assert api.status_code == 404 and api.json()["error"]["code"] == "http_error"
    seeded_org(session_factory)
    sign_in(client, "seller@example.com")
    page = client.get("/nothing-here")
    assert page.status_code == 404
    assert "There is nothing at this address." in page.text
    assert "Traceback" not in page.text


def test_server_errors_show_a_reference_and_nothing_else(app: FastAPI) -> None:
    boom = APIRouter()

    @boom.get("/boom")
    def explode() -> None:
        raise RuntimeError("secret internal detail: password=hunter2")

    @boom.get("/api/v1/boom")
    def explode_api() -> None:
        raise RuntimeError("secret internal detail: password=hunter2")

    app.include_router(boom)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/boom")
        api = client.get("/api/v1/boom")
    assert page.status_code == 500 and api.status_code == 500
    for body in (page.text, api.text):
        assert "hunter2" not in body and "RuntimeError" not in body and "Traceback" not in body
    assert "quote" in api.json()["error"]["message"]


def test_no_free_database_connection_is_busy_not_broken(app: FastAPI) -> None:
    busy = APIRouter()

    @busy.get("/busy")
    def wait_for_a_connection() -> None:
        raise PoolTimeout("QueuePool limit of size 5 overflow 10 reached")

    @busy.get("/api/v1/busy")
    def wait_for_a_connection_api() -> None:
        raise PoolTimeout("QueuePool limit of size 5 overflow 10 reached")

    app.include_router(busy)
    with TestClient(app, raise_server_exceptions=False) as client:
        page = client.get("/busy")
        api = client.get("/api/v1/busy")
    assert page.status_code == 503 and api.status_code == 503
    assert page.headers["retry-after"] == api.headers["retry-after"] == "5"
    assert api.json()["error"]["code"] == "busy" and "QueuePool" not in page.text


def test_security_headers_are_set(client: TestClient) -> None:
    response = client.get("/sign-in")
    csp = response.headers["content-security-policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "vs_csrf=" in response.headers["set-cookie"]
    assert response.headers["referrer-policy"] == "same-origin"
    assert "strict-transport-security" not in response.headers  # plain HTTP


def test_hsts_over_tls(app: FastAPI) -> None:
    with TestClient(app, base_url="https://testserver") as tls:
        response = tls.get("/sign-in")
    assert response.headers["strict-transport-security"].startswith("max-age=31536000")


def test_vendored_assets_are_served_and_nothing_comes_from_a_cdn(client: TestClient) -> None:
    assert client.get("/static/vendor/htmx/htmx.min.js").status_code == 200
    assert client.get("/static/vendor/pico/pico.min.css").status_code == 200
    for template in TEMPLATE_ROOT.glob("*/templates/**/*.html"):
        text = template.read_text()
        assert "http://" not in text and "https://" not in text, template


def test_audit_api_filters(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    org = seeded_org(session_factory)
    headers = bearer(token_for(session_factory, org.user("admin")))
    everything = client.get("/api/v1/audit", headers=headers).json()
    assert everything["total"] >= 11  # teams, users, the token
    created = client.get("/api/v1/audit?action=user.created&limit=3", headers=headers).json()
    assert created["total"] == 7 and len(created["items"]) == 3
    assert all(e["action"] == "user.created" for e in created["items"])
    future = client.get("/api/v1/audit?since=2999-01-01T00:00:00", headers=headers).json()
    assert future["total"] == 0
    bad = client.get("/api/v1/audit?since=yesterday-ish", headers=headers)
    assert bad.status_code == 422


def test_audit_page_filters_by_entity(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    sign_in(client, "admin@example.com")
    seller = org.user("seller")
    page = client.get(f"/admin/audit?entity_type=user&entity_id={seller.id}&since=2000-01-01")
    assert page.status_code == 200
    assert "user.created" in page.text and "1 entries" in page.text
