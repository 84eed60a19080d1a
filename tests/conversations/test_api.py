"""The conversations JSON API: call plans (create, read, share, lists), interactions (log,
read, list, analyze), metrics; refusals (422 bad input, 404 out of scope, 403 wrong role);
a contributor logs but sees no money."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.conversations.builders import World, build_world
from tests.factories import bearer, token_for

TRANSCRIPT = """Dana: Our line stopped 14 times last quarter and each stop costs us about $8,000.
Seller: What happens to your delivery promises when the line stops?
Seller: If nothing changes, what will the downtime cost you next year?
Seller: Who else has to sign off on a change like this?
Dana: Ravi Patel, our Maintenance Lead, would have to agree.
Dana: Less downtime would mean calmer nights for him.
Seller: Plants like yours usually find that most stops come from bearings failing without warning.
"""


@pytest.fixture()
def world(session_factory: sessionmaker[Session]) -> World:
    with session_factory() as s:
        made = build_world(s)
        s.commit()
        return made


def _as(
    client: TestClient, session_factory: sessionmaker[Session], world: World, who: str
) -> dict[str, str]:
    return bearer(token_for(session_factory, world.org.user(who)))


def _interaction(world: World, **kw: object) -> dict[str, object]:
    body: dict[str, object] = {
        "opportunity_id": world.open_deal.id,
        "occurred_on": (date.today() - timedelta(days=1)).isoformat(),
        "kind": "meeting",
        "notes": "Met the plant manager.",
        "questions": [{"text": "What does a stop cost?", "kind": "expansion"}],
        "outcomes": [
            {"outcome_id": world.outcomes["Less downtime"], "amount": "8000", "unit": "USD"}
        ],
    }
    body.update(kw)
    return body


def test_plan_share_and_list(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    seller = _as(client, session_factory, world, "seller")
    r = client.post(
        "/api/v1/call-plans",
        json={
            "opportunity_id": world.open_deal.id,
            "meeting_on": "2026-12-03",
            "attendee_ids": [world.plant_manager.id],
        },
        headers=seller,
    )
    assert r.status_code == 201, r.text
    plan = r.json()
    assert plan["attendees"][0]["persona"] == "Plant manager" and plan["hypotheses"]
    assert plan["questions"] and plan["quantify"] and plan["may_share"]
    r = client.post(f"/api/v1/call-plans/{plan['id']}/share", headers=seller)
    assert r.json()["shared_with_manager"] is True
    manager = _as(client, session_factory, world, "manager")
    shared = client.get("/api/v1/call-plans?shared=true", headers=manager).json()
    assert [p["id"] for p in shared] == [plan["id"]]
    assert (
        client.get(
            f"/api/v1/call-plans/{plan['id']}",
            headers=_as(client, session_factory, world, "seller_b"),
        ).status_code
        == 404
    )


def test_plan_refusals(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    seller = _as(client, session_factory, world, "seller")
    base = {"opportunity_id": world.open_deal.id, "meeting_on": "2026-12-03"}
    assert (
        client.post(
            "/api/v1/call-plans", json={**base, "attendee_ids": [999999]}, headers=seller
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/api/v1/call-plans",
            json={**base, "opportunity_id": world.other_deal.id},
            headers=seller,
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/call-plans", json={**base, "meeting_on": "soon"}, headers=seller
        ).status_code
        == 422
    )
    assert (
        client.post(
            "/api/v1/call-plans",
            json=base,
            headers=_as(client, session_factory, world, "price_desk"),
        ).status_code
        == 403
    )
    assert client.get("/api/v1/call-plans", headers=seller).json() == []


def test_log_read_and_list(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    seller = _as(client, session_factory, world, "seller")
    r = client.post("/api/v1/interactions", json=_interaction(world), headers=seller)
    assert r.status_code == 201, r.text
    body = r.json()
    # expansion 5 + share 10 + business 5 + quantified 7.5
    assert body["quality_score"] == 27.5 and body["quantified_outcomes"] == 1
    assert {p["name"] for p in body["quality_parts"]} >= {"insights", "quantified"}
    listed = client.get("/api/v1/interactions", headers=seller).json()
    assert listed["total"] == 1 and listed["items"][0]["id"] == body["id"]
    assert (
        client.get(
            f"/api/v1/interactions/{body['id']}",
            headers=_as(client, session_factory, world, "seller_b"),
        ).status_code
        == 404
    )
    deal = client.get(f"/api/v1/opportunities/{world.open_deal.id}", headers=seller).json()
    assert deal["last_meeting_on"] == (date.today() - timedelta(days=1)).isoformat()


def test_log_refusals(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    seller = _as(client, session_factory, world, "seller")
    bad = [
        _interaction(world, stakeholders=[{"contact_id": 999999}]),
        _interaction(world, kind="lunch"),
        _interaction(world, opportunity_id=None),
        _interaction(world, occurred_on=(date.today() + timedelta(days=2)).isoformat()),
        _interaction(world, surprise=1),
    ]
    for body in bad:
        assert client.post("/api/v1/interactions", json=body, headers=seller).status_code == 422, (
            body
        )
    r = client.post(
        "/api/v1/interactions",
        json=_interaction(world, opportunity_id=world.other_deal.id, outcomes=[]),
        headers=seller,
    )
    assert r.status_code == 404
    r = client.post(
        "/api/v1/interactions",
        json=_interaction(world),
        headers=_as(client, session_factory, world, "price_desk"),
    )
    assert r.status_code == 403
    assert client.get("/api/v1/interactions", headers=seller).json()["total"] == 0


def test_a_contributor_logs_and_sees_no_money(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    contributor = _as(client, session_factory, world, "contributor")
    r = client.post("/api/v1/interactions", json=_interaction(world), headers=contributor)
    assert r.status_code == 201, r.text
    metrics = client.get("/api/v1/conversations/metrics", headers=contributor).json()
    assert metrics["sees_money"] is False
    assert [g["price_realisation"] for g in metrics["groups"]] == [None]
    assert (
        client.get(f"/api/v1/opportunities/{world.open_deal.id}", headers=contributor).status_code
        == 404
    )


def test_metrics_by_group(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    seller = _as(client, session_factory, world, "seller")
    client.post(
        "/api/v1/interactions",
        json=_interaction(world, opportunity_id=world.won_deal.id, outcomes=[]),
        headers=seller,
    )
    client.post("/api/v1/interactions", json=_interaction(world), headers=seller)
    executive = _as(client, session_factory, world, "executive")
    by_team = client.get("/api/v1/conversations/metrics?group_by=team", headers=executive).json()
    (team,) = by_team["groups"]
    assert team["label"] == "West A" and team["interactions"] == 2
    assert team["deals_worked"] == 2 and team["deals_closed"] == 1 and team["win_rate"] == 1.0
    assert team["price_realisation"] == "0.8000"  # the won deal: 8,000 net of 10,000 list
    by_role = client.get("/api/v1/conversations/metrics?group_by=role", headers=executive).json()
    assert [g["label"] for g in by_role["groups"]] == ["Seller"]
    assert (
        client.get("/api/v1/conversations/metrics?group_by=planet", headers=executive).status_code
        == 422
    )
    assert (
        client.get(
            "/api/v1/conversations/metrics", headers=_as(client, session_factory, world, "seller_b")
        ).json()["groups"]
        == []
    )


def test_analyze_proposes_fields(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    seller = _as(client, session_factory, world, "seller")
    r = client.post(
        "/api/v1/interaction-proposals",
        json={"text": TRANSCRIPT, "opportunity_id": world.open_deal.id},
        headers=seller,
    )
    assert r.status_code == 200, r.text
    p = r.json()
    assert sorted(q["kind"] for q in p["questions"]) == [
        "expansion",
        "expansion",
        "qualification",
    ]
    assert any(s["contact_id"] == world.maintenance.id for s in p["stakeholders"])
    matched = {o["outcome_id"]: o["kind"] for o in p["outcomes"]}
    assert matched.get(world.outcomes["Calmer nights"]) == "personal"  # as the network says
    assert len(p["insights"]) == 1 and "$8,000" in p["figures"]
    assert p["figures"] and p["quality_score"] > 0
    assert (
        client.post(
            "/api/v1/interaction-proposals",
            json={"text": "x", "opportunity_id": world.other_deal.id},
            headers=seller,
        ).status_code
        == 404
    )
    assert (
        client.post(
            "/api/v1/interaction-proposals", json={"text": "x" * 50_001}, headers=seller
        ).status_code
        == 422
    )


def test_metrics_since_is_a_written_day(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    seller = _as(client, session_factory, world, "seller")
    for bad in ("0", "2026-13-01", "yesterday"):
        r = client.get(f"/api/v1/conversations/metrics?since={bad}", headers=seller)
        assert r.status_code == 422, bad
    r = client.get("/api/v1/conversations/metrics?since=2026-01-01", headers=seller)
    assert r.json()["since"] == "2026-01-01"
