"""The conversations JSON API for editing and deleting: PATCH recomputes the score and keeps
what was not sent, DELETE answers 204; 422 for bad input, 403 for a reader who may not edit,
404 out of scope - each leaving the record as it was; a contributor edits their own and sees
no money."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.conversations.builders import World, build_world
from tests.conversations.test_api import _interaction
from tests.factories import bearer, token_for

YESTERDAY = date.today() - timedelta(days=1)


@pytest.fixture()
def world(session_factory: sessionmaker[Session]) -> World:
    with session_factory() as s:
        made = build_world(s)
        s.commit()
        return made


def _as(session_factory: sessionmaker[Session], world: World, who: str) -> dict[str, str]:
    return bearer(token_for(session_factory, world.org.user(who)))


def test_patch_and_delete_an_interaction(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    seller = _as(session_factory, world, "seller")
    created = client.post("/api/v1/interactions", json=_interaction(world), headers=seller).json()
    assert created["quality_score"] == 27.5 and created["may_change"] is True
    url = f"/api/v1/interactions/{created['id']}"
    r = client.patch(
        url,
        json={
            "insights": [{"text": "Peers cut downtime by a third."}],
            "stakeholders": [{"contact_id": world.plant_manager.id, "is_ally": True}],
        },
        headers=seller,
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["quality_score"] == 27.5 + 10 + 5 and body["allies_added"] == 1
    assert body["notes"] == "Met the plant manager." and len(body["outcomes"]) == 1
    deal = client.get(f"/api/v1/opportunities/{world.open_deal.id}", headers=seller).json()
    allies = {c["name"]: c["is_ally"] for c in deal["contacts"]}
    assert allies == {"Dana Whitfield": True, "Ravi Patel": False}  # she joined as an ally
    executive = _as(session_factory, world, "executive")
    assert client.get(url, headers=executive).json()["may_change"] is False
    assert client.patch(url, json={"notes": "x"}, headers=executive).status_code == 403
    assert client.delete(url, headers=executive).status_code == 403
    seller_b = _as(session_factory, world, "seller_b")
    assert client.patch(url, json={"notes": "x"}, headers=seller_b).status_code == 404
    assert client.delete(url, headers=seller_b).status_code == 404
    for bad in (
        {"kind": "lunch"},
        {"kind": None},
        {"surprise": 1},
        {"occurred_on": (date.today() + timedelta(days=2)).isoformat()},
        {"stakeholders": [{"contact_id": world.outsider.id}]},
        {"opportunity_id": None, "account_id": None},
        {"opportunity_id": 0},
    ):
        assert client.patch(url, json=bad, headers=seller).status_code == 422, bad
    assert client.get(url, headers=seller).json() == {**body}
    assert client.delete(url, headers=seller).status_code == 204
    assert client.get(url, headers=seller).status_code == 404
    assert client.delete(url, headers=seller).status_code == 404
    deal = client.get(f"/api/v1/opportunities/{world.open_deal.id}", headers=seller).json()
    assert deal["last_meeting_on"] is None  # the only meeting on record is gone


def test_a_contributor_edits_their_own_and_sees_no_money(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    contributor = _as(session_factory, world, "contributor")
    created = client.post(
        "/api/v1/interactions", json=_interaction(world), headers=contributor
    ).json()
    r = client.patch(
        f"/api/v1/interactions/{created['id']}", json={"kind": "visit"}, headers=contributor
    )
    assert r.status_code == 200 and r.json()["kind"] == "visit"
    assert "amount" not in r.json() and "price_realisation" not in r.json()
    assert (
        client.delete(f"/api/v1/interactions/{created['id']}", headers=contributor).status_code
        == 204
    )


def test_patch_and_delete_a_call_plan(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    seller = _as(session_factory, world, "seller")
    plan = client.post(
        "/api/v1/call-plans",
        json={
            "opportunity_id": world.open_deal.id,
            "meeting_on": "2026-12-03",
            "attendee_ids": [world.plant_manager.id],
        },
        headers=seller,
    ).json()
    url = f"/api/v1/call-plans/{plan['id']}"
    r = client.patch(
        url, json={"attendee_ids": [world.maintenance.id], "goal": "Agree"}, headers=seller
    )
    assert r.status_code == 200, r.text
    assert [a["name"] for a in r.json()["attendees"]] == ["Ravi Patel"]
    assert r.json()["goal"] == "Agree" and r.json()["meeting_on"] == "2026-12-03"
    for bad in (
        {"attendee_ids": [world.outsider.id]},
        {"meeting_on": "soon"},
        {"goal": None},
        {"opportunity_id": world.other_deal.id},
    ):
        assert client.patch(url, json=bad, headers=seller).status_code == 422, bad
    price_desk = _as(session_factory, world, "price_desk")
    assert client.patch(url, json={"goal": "x"}, headers=price_desk).status_code == 403
    contributor = _as(session_factory, world, "contributor")
    assert client.delete(url, headers=contributor).status_code == 404
    assert client.get(url, headers=seller).json()["goal"] == "Agree"
    manager = _as(session_factory, world, "manager")
    assert client.delete(url, headers=manager).status_code == 204
    assert client.get(url, headers=seller).status_code == 404
