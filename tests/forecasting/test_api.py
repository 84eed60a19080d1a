"""The forecast's JSON API: the forecast of a team and quarter, the accuracy page's data,
snapshots (take, list) and quotas (set, then read back inside the forecast), with refusals."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_service_builders import principal
from tests.factories import Org, bearer, seeded_org, token_for
from tests.forecasting.web_builders import Quarters, forecast_book
from valuescout.core.audit import AuditEntry
from valuescout.forecasting import snapshots

API = "/api/v1/forecast"


@pytest.fixture()
def org(session_factory: sessionmaker[Session]) -> Org:
    made = seeded_org(session_factory)
    with session_factory() as s:
        forecast_book(s, made)
        s.commit()
    return made


@pytest.fixture()
def q() -> Quarters:
    from tests.forecasting.web_builders import quarters

    return quarters()


def _as(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, role: str
) -> dict[str, str]:
    return bearer(token_for(session_factory, org.user(role)))


def test_forecast_of_the_current_quarter(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, q: Quarters
) -> None:
    out = client.get(API, headers=_as(client, session_factory, org, "executive"))
    assert out.status_code == 200, out.text
    body = out.json()
    assert body["period"] == q.current.label and body["team_name"] == "Acme"
    assert body["deal_count"] == 3 and body["won"] == 3000 and body["open_amount"] == 19000
    assert [m["method"] for m in body["methods"]] == ["stage", "fit_engagement", "value", "trained"]
    assert all(m["available"] for m in body["methods"])
    assert [t["name"] for t in body["teams"]] == ["West"]
    west = client.get(
        API,
        params={"team_id": org.region.id, "period": q.current.label},
        headers=_as(client, session_factory, org, "executive"),
    ).json()
    assert [t["name"] for t in west["teams"]] == ["West A", "West B"]
    nxt = client.get(
        API, params={"period": q.next.label}, headers=_as(client, session_factory, org, "admin")
    ).json()
    assert nxt["deal_count"] == 1 and nxt["open_amount"] == 8000


def test_scope_and_refusals(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    manager = _as(client, session_factory, org, "manager")
    mine = client.get(API, headers=manager).json()
    assert mine["team_name"] == "West A" and mine["deal_count"] == 2
    assert "Open plant B" not in str(mine)
    assert client.get(API, params={"team_id": org.team_b.id}, headers=manager).status_code == 404
    seller_b = client.get(API, headers=_as(client, session_factory, org, "seller_b")).json()
    assert seller_b["team_id"] is None and seller_b["deal_count"] == 1
    assert "Open plant A" not in str(seller_b)
    contributor = _as(client, session_factory, org, "contributor")
    assert client.get(API, headers=contributor).status_code == 403
    assert client.get(f"{API}/accuracy", headers=contributor).status_code == 403
    for bad in ("2026-Q5", "26-Q1", "Q4", "2026Q4", "0000-Q1"):
        answer = client.get(API, params={"period": bad}, headers=manager)
        assert answer.status_code == 422, bad
    assert client.get(API, params={"team_id": 0}, headers=manager).status_code == 422
    assert client.get(API).status_code == 401


def test_snapshots_are_taken_by_executives_and_listed_in_scope(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, q: Quarters
) -> None:
    executive = _as(client, session_factory, org, "executive")
    taken = client.post(f"{API}/snapshots", json={"period": q.current.label}, headers=executive)
    assert taken.status_code == 201, taken.text
    snap = taken.json()
    assert set(snap) == {"id", "period", "as_of", "kind", "deals"}
    assert snap["period"] == q.current.label and snap["kind"] == "manual"
    assert snap["deals"] == 4  # 3 open in the quarter + 1 won
    for role in ("manager", "seller", "price_desk", "contributor"):
        refused = client.post(
            f"{API}/snapshots",
            json={"period": q.current.label},
            headers=_as(client, session_factory, org, role),
        )
        assert refused.status_code == 403, role
    bad = client.post(f"{API}/snapshots", json={"period": "2026-Q9"}, headers=executive)
    assert bad.status_code == 422
    extra = client.post(
        f"{API}/snapshots", json={"period": q.current.label, "x": 1}, headers=executive
    )
    assert extra.status_code == 422
    listed = client.get(f"{API}/snapshots", headers=executive).json()
    assert [s["id"] for s in listed] == [snap["id"]] and listed[0]["deals"] == 4
    assert set(listed[0]) == {"id", "period", "as_of", "kind", "taken_at", "deals"}
    seller = client.get(f"{API}/snapshots", headers=_as(client, session_factory, org, "seller"))
    assert seller.json()[0]["deals"] == 3  # their own: two open, one won
    manager = _as(client, session_factory, org, "manager")
    assert client.get(f"{API}/snapshots", headers=manager).json()[0]["deals"] == 3
    other = client.get(f"{API}/snapshots", params={"period": q.next.label}, headers=manager)
    assert other.json() == []
    contributor = _as(client, session_factory, org, "contributor")
    assert client.get(f"{API}/snapshots", headers=contributor).status_code == 403
    with session_factory() as s:
        actions = s.scalars(select(AuditEntry.action)).all()
    assert "forecast_snapshot.taken" in actions


def test_quotas_are_set_by_executives_and_read_in_the_forecast(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, q: Quarters
) -> None:
    url = f"{API}/quotas/{org.team_a.id}/{q.current.label}"
    executive = _as(client, session_factory, org, "executive")
    put = client.put(url, json={"amount": "20000"}, headers=executive)
    assert put.status_code == 200, put.text
    assert put.json() == {
        "team_id": org.team_a.id,
        "period": q.current.label,
        "amount": "20000.00",
        "currency": "USD",
    }
    again = client.put(
        url, json={"amount": 15000.5}, headers=_as(client, session_factory, org, "admin")
    )
    assert again.json()["amount"] == "15000.50"
    manager = _as(client, session_factory, org, "manager")
    assert client.put(url, json={"amount": "1"}, headers=manager).status_code == 403
    out = client.get(API, headers=manager).json()
    assert out["quota"] == 15000.5
    stage = out["methods"][0]
    assert stage["coverage"] == pytest.approx(stage["expected"] / 15000.5)
    assert 0 <= stage["chance_of_quota"] <= 1
    assert client.put(url, json={"amount": "-1"}, headers=executive).status_code == 422
    assert client.put(url, json={"amount": "1.001"}, headers=executive).status_code == 422
    bad_period = f"{API}/quotas/{org.team_a.id}/2026-Q0"
    assert client.put(bad_period, json={"amount": "1"}, headers=executive).status_code == 422
    missing = f"{API}/quotas/999999/{q.current.label}"
    assert client.put(missing, json={"amount": "1"}, headers=executive).status_code == 404
    with session_factory() as s:
        entry = s.scalars(
            select(AuditEntry)
            .where(AuditEntry.action == "forecast_quota.set")
            .order_by(AuditEntry.id)
        ).all()
    assert [e.changes["amount"] for e in entry] == [[None, "20000.00"], ["20000.00", "15000.50"]]


def test_accuracy_over_closed_quarters(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, q: Quarters
) -> None:
    with session_factory() as s:
        snapshots.backfill_audited(
            s,
            principal(s, org.user("admin")).actor,
            q.previous,
            q.previous.start,
            q.current.start,
            principal(s, org.user("admin")),
        )
        s.commit()
    out = client.get(f"{API}/accuracy", headers=_as(client, session_factory, org, "executive"))
    assert out.status_code == 200, out.text
    body = out.json()
    assert [p["period"] for p in body["periods"]] == [q.previous.label]
    assert body["periods"][0]["kind"] == "backfill"
    assert [m["method"] for m in body["methods"]] == ["stage", "fit_engagement", "value", "trained"]
    manager = client.get(
        f"{API}/accuracy",
        params={"team_id": org.team_b.id},
        headers=_as(client, session_factory, org, "manager"),
    )
    assert manager.status_code == 404
