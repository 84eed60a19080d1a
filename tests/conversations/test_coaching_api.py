"""The coaching JSON API: record, list, read, tick, the effect; refusals and bad input."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.conversations.coaching_builders import coached_world
from tests.factories import Org, bearer, seeded_org, token_for

API = "/api/v1/coaching"
TODAY = date.today()


@pytest.fixture()
def org(session_factory: sessionmaker[Session]) -> Org:
    return seeded_org(session_factory)


def headers(session_factory: sessionmaker[Session], org: Org, role: str) -> dict[str, str]:
    return bearer(token_for(session_factory, org.user(role)))


def body(org: Org, **changes: object) -> dict[str, object]:
    sent: dict[str, object] = {
        "seller_id": org.user("seller").id,
        "held_on": str(TODAY - timedelta(days=2)),
        "focus": "quantifying_outcomes",
        "notes": "Put numbers on the downtime story",
        "actions": [{"text": "Ask for the cost of one hour stopped", "due_on": str(TODAY)}],
    }
    sent.update(changes)
    return sent


def test_record_list_read_and_tick(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    manager = headers(session_factory, org, "manager")
    made = client.post(f"{API}/sessions", json=body(org), headers=manager)
    assert made.status_code == 201, made.text
    out = made.json()
    assert out["focus_label"] == "Quantifying outcomes" and out["metric"] == "quantified_outcomes"
    seller = headers(session_factory, org, "seller")
    listed = client.get(f"{API}/sessions", headers=seller).json()
    assert [s["id"] for s in listed] == [out["id"]]
    assert (
        client.get(f"{API}/sessions", params={"focus": "call_planning"}, headers=seller).json()
        == []
    )
    assert client.get(f"{API}/sessions/{out['id']}", headers=seller).status_code == 200
    action = out["actions"][0]["id"]
    ticked = client.put(f"{API}/actions/{action}/done", json={"done": True}, headers=seller)
    assert ticked.status_code == 200 and ticked.json()["done"] is True
    other = headers(session_factory, org, "seller_b")
    assert client.get(f"{API}/sessions/{out['id']}", headers=other).status_code == 404
    assert client.get(f"{API}/sessions", headers=other).json() == []
    assert (
        client.put(f"{API}/actions/{action}/done", json={"done": False}, headers=other).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("changes", "where"),
    [
        ({"focus": "golf"}, "focus"),
        ({"seller_id": "2"}, "seller_id"),
        ({"held_on": "yesterday"}, "held_on"),
        ({"actions": [{"text": " ", "due_on": str(TODAY)}]}, "text"),
        ({"held_on": str(TODAY + timedelta(days=3))}, "held_on"),
        ({"extra": 1}, "extra"),
    ],
)
def test_bad_input_is_422_naming_the_field(
    client: TestClient, session_factory: sessionmaker[Session], org: Org,
    changes: dict[str, object], where: str,
) -> None:  # fmt: skip
    sent = client.post(f"{API}/sessions", json=body(org, **changes),
                       headers=headers(session_factory, org, "manager"))  # fmt: skip
    assert sent.status_code == 422, sent.text
    assert where in sent.text
    assert (
        client.get(f"{API}/sessions", headers=headers(session_factory, org, "admin")).json() == []
    )


def test_refusals(client: TestClient, session_factory: sessionmaker[Session], org: Org) -> None:
    seller = headers(session_factory, org, "seller")
    assert client.post(f"{API}/sessions", json=body(org), headers=seller).status_code == 403
    manager = headers(session_factory, org, "manager")
    out_of_scope = body(org, seller_id=org.user("seller_b").id)
    assert client.post(f"{API}/sessions", json=out_of_scope, headers=manager).status_code == 404
    contributor = headers(session_factory, org, "contributor")
    assert client.get(f"{API}/sessions", headers=contributor).status_code == 403
    assert client.get(f"{API}/effectiveness", headers=seller).status_code == 403
    assert client.get(f"{API}/effectiveness", params={"window_days": 0},
                      headers=manager).status_code == 422  # fmt: skip


def test_effectiveness_and_one_sessions_effect(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    with session_factory() as s:
        made = coached_world(s, org)
        s.commit()
    out = client.get(f"{API}/effectiveness", headers=headers(session_factory, org, "executive"))
    assert out.status_code == 200, out.text
    data = out.json()
    assert data["window_days"] == 90 and data["min_coached"] == 3
    (row,) = data["overall"]
    assert row["effect"] == pytest.approx(1.5) and row["interactions_comparison_before"] == 12
    assert row["coach_name"] is None and data["by_coach"][0]["coach_id"] == org.user("manager").id
    one = client.get(
        f"{API}/sessions/{made.id}/effect", headers=headers(session_factory, org, "seller")
    )
    assert one.status_code == 200 and one.json()["effect"] == pytest.approx(1.5)
    hidden = client.get(f"{API}/sessions/{made.id}/effect",
                        headers=headers(session_factory, org, "seller_b"))  # fmt: skip
    assert hidden.status_code == 404
