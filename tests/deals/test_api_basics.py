"""The deals API end to end: a seller creates an account, a deal with lines, a value case,
and sees the worked example's figures; others see only what their scope allows."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import Org, bearer, seeded_org, token_for


def _headers(session_factory: sessionmaker[Session], org: Org, key: str) -> dict[str, str]:
    return bearer(token_for(session_factory, org.user(key)))


def _worked_example(client: TestClient, h: dict[str, str]) -> dict[str, Any]:
    account = client.post("/api/v1/accounts", json={"name": "Plant One"}, headers=h)
    assert account.status_code == 201, account.text
    opp = client.post(
        "/api/v1/opportunities",
        json={
            "name": "Line 4 retrofit",
            "account_id": account.json()["id"],
            "amount": "250000",
            "alternative_kind": "competitor",
            "alternative_name": "Rival Corp",
            "alternative_price": "200000",
            "close_date": "2027-03-31",
        },
        headers=h,
    )
    assert opp.status_code == 201, opp.text
    opp_id = opp.json()["id"]
    assert client.post(f"/api/v1/opportunities/{opp_id}/value-case", headers=h).status_code == 200
    for name, value, direction in (
        ("Less unplanned downtime", "100000", "for"),
        ("Faster ramp", "24000", "for"),
        ("Slower service response", "10000", "against"),
    ):
        r = client.post(
            f"/api/v1/opportunities/{opp_id}/value-case/outcomes",
            json={"name": name, "yearly_value": value, "direction": direction, "confidence": "1"},
            headers=h,
        )
        assert r.status_code == 201, r.text
    body: dict[str, Any] = r.json()
    body["opp_id"] = opp_id
    return body


def test_worked_example_through_the_api(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    h = _headers(session_factory, org, "seller")
    case = _worked_example(client, h)
    figures = case["figures"]
    assert figures["value_risk_adjusted"] == "114000.00"
    assert figures["price_difference"] == "50000.00"
    assert figures["preference"] == "64000.00"
    assert figures["corridor"]["ceiling"] == "314000.00"

    pipeline = client.get("/api/v1/opportunities", headers=h).json()
    assert pipeline["total"] == 1
    assert pipeline["total_amount"] == "250000.00"
    detail = client.get(f"/api/v1/opportunities/{case['opp_id']}", headers=h).json()
    assert [c["field"] for c in detail["history"]] == ["stage", "amount", "close_date"]

    moved = client.patch(
        f"/api/v1/opportunities/{case['opp_id']}", json={"stage_id": 4}, headers=h
    ).json()
    assert moved["history"][-1]["new_value"] == "Proposal"


def test_scope_and_money(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    org = seeded_org(session_factory)
    case = _worked_example(client, _headers(session_factory, org, "seller"))
    path = f"/api/v1/opportunities/{case['opp_id']}"
    other = _headers(session_factory, org, "seller_b")
    assert client.get(path, headers=other).status_code == 404
    assert client.patch(path, json={"name": "x"}, headers=other).status_code == 404
    assert client.get("/api/v1/opportunities", headers=other).json()["total"] == 0
    manager = _headers(session_factory, org, "manager")
    assert client.get(path, headers=manager).json()["amount"] == "250000.00"
    desk = _headers(session_factory, org, "price_desk")
    assert client.get(path, headers=desk).status_code == 200
    assert client.patch(path, json={"name": "x"}, headers=desk).status_code == 403


def test_engagement_fields_are_kept_and_audited(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    h = _headers(session_factory, org, "seller")
    path = f"/api/v1/opportunities/{_worked_example(client, h)['opp_id']}"
    assert client.get(path, headers=h).json()["mutual_plan"] is False
    body = {"last_meeting_on": "2026-11-20", "mutual_plan": True}
    changed = client.patch(path, json=body, headers=h).json()
    assert (changed["last_meeting_on"], changed["mutual_plan"]) == ("2026-11-20", True)
    cleared = client.patch(path, json={"last_meeting_on": None}, headers=h).json()
    assert cleared["last_meeting_on"] is None and cleared["mutual_plan"] is True
    bad = client.patch(path, json={"last_meeting_on": "20 Nov"}, headers=h)
    assert bad.status_code == 422
