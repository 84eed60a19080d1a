"""The discoveries JSON API: log, list, review (409 on a second review), ideas as JSON and
CSV, customer voices; role checks."""

from __future__ import annotations

import csv
import io

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import Org, bearer, seeded_org, token_for
from tests.valuenet.factories import seeded_network
from valuescout.valuenet.models import NetworkNode

API = "/api/v1/discoveries"


@pytest.fixture()
def org(session_factory: sessionmaker[Session]) -> Org:
    return seeded_org(session_factory)


def auth(session_factory: sessionmaker[Session], org: Org, role: str) -> dict[str, str]:
    return bearer(token_for(session_factory, org.user(role)))


def node_id(session_factory: sessionmaker[Session], name: str) -> int:
    with session_factory() as s:
        found = s.scalar(select(NetworkNode.id).where(NetworkNode.name == name))
        assert found is not None
        return found


BODY = {
    "customer_name": "=Harbour Foods",
    "situation": "Pallets wait at the dock for hours before they are checked in.",
    "desired_outcome": "Faster dock turnaround",
    "value_hint": "-two hours a truck",
    "value_amount": "12000",
}


def test_log_review_and_read_back(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    network = seeded_network(session_factory)
    contributor = auth(session_factory, org, "contributor")
    logged = client.post(API, json={**BODY, "network_id": network}, headers=contributor)
    assert logged.status_code == 201, logged.text
    did = logged.json()["id"]
    assert logged.json()["status"] == "new" and logged.json()["value_amount"] == "12000.00"
    assert [d["id"] for d in client.get(API, headers=contributor).json()] == [did]
    assert client.get(API, params={"status": "new"}, headers=contributor).status_code == 403
    seller = auth(session_factory, org, "seller")
    assert client.get(f"{API}/{did}", headers=seller).status_code == 404
    review = {"action": "create", "outcome_name": "Faster dock turnaround",
              "link_from_id": node_id(session_factory, "4-hour service")}  # fmt: skip
    assert client.post(f"{API}/{did}/review", json=review, headers=seller).status_code == 403
    manager = auth(session_factory, org, "manager")
    assert [d["id"] for d in client.get(API, params={"status": "new"}, headers=manager).json()] == [
        did
    ]
    done = client.post(f"{API}/{did}/review", json=review, headers=manager)
    assert done.status_code == 200, done.text
    assert done.json()["outcome_name"] == "Faster dock turnaround"
    again = client.post(f"{API}/{did}/review", json={"action": "decline",
                        "decline_reason": "duplicate"}, headers=manager)  # fmt: skip
    assert again.status_code == 409 and "already accepted" in again.json()["error"]["message"]
    voices = client.get(f"{API}/networks/{network}", headers=contributor).json()
    assert voices[0]["outcome_name"] == "Faster dock turnaround"
    assert client.get(f"{API}/networks/9999", headers=contributor).status_code == 404


def test_bad_input_is_named(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    contributor = auth(session_factory, org, "contributor")
    missing = client.post(API, json={"situation": "x", "desired_outcome": "y"}, headers=contributor)
    assert missing.status_code == 422 and "customer_name" in missing.text
    neg = client.post(API, json={**BODY, "value_amount": "-5"}, headers=contributor)
    assert neg.status_code == 422
    did = client.post(API, json=BODY, headers=contributor).json()["id"]
    manager = auth(session_factory, org, "manager")
    bad = client.post(f"{API}/{did}/review", json={"action": "decline"}, headers=manager)
    assert bad.status_code == 422 and "decline_reason" in bad.text
    assert client.post(f"{API}/{did}/review", json={"action": "merge"},
                       headers=manager).status_code == 422  # fmt: skip


def test_ideas_as_json_and_safe_csv(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    contributor = auth(session_factory, org, "contributor")
    did = client.post(API, json=BODY, headers=contributor).json()["id"]
    manager = auth(session_factory, org, "manager")
    client.post(f"{API}/{did}/review", json={"action": "decline",
                "decline_reason": "not_delivered"}, headers=manager)  # fmt: skip
    ideas = client.get(f"{API}/ideas", headers=manager).json()
    assert ideas == [{
        "theme": "Faster dock turnaround", "count": 1, "customers": ["=Harbour Foods"],
        "value_hints": ["-two hours a truck"], "stated_values": {"USD": "12000.00"},
        "discovery_ids": [did], "sources": ["declined: not something we deliver"],
    }]  # fmt: skip
    out = client.get(f"{API}/ideas", params={"format": "csv"}, headers=manager)
    assert out.headers["content-type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(out.text)))
    assert rows[1][2] == "'=Harbour Foods" and rows[1][3] == "'-two hours a truck"
    assert client.get(f"{API}/ideas", headers=contributor).status_code == 403
    assert (
        client.get(f"{API}/ideas", headers=auth(session_factory, org, "seller")).status_code == 403
    )
    assert client.get(f"{API}/ideas", headers=auth(session_factory, org, "executive")).json()
