"""Value network JSON API: reading, editing rules, permissions and the audit trail."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import bearer, seeded_org, token_for
from tests.valuenet.factories import seeded_network, small_spec
from valuescout.core.audit import AuditEntry
from valuescout.valuenet.models import NetworkNode
from valuescout.valuenet.repository import load_spec
from valuescout.valuenet.service import get_network

API = "/api/v1/value-networks"


def _headers(session_factory: sessionmaker[Session], role: str) -> dict[str, str]:
    org = seeded_org(session_factory)
    return bearer(token_for(session_factory, org.user(role)))


def test_everyone_reads_the_network(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    network_id = seeded_network(session_factory)
    headers = _headers(session_factory, "contributor")
    listed = client.get(API, headers=headers).json()
    assert [(n["name"], n["outcomes"], n["personas"]) for n in listed] == [("Pumps", 3, 2)]
    detail = client.get(f"{API}/{network_id}", headers=headers).json()
    assert [n["name"] for n in detail["nodes"]][:2] == ["Predictive sensors", "4-hour service"]
    assert len(detail["link_list"]) == 4 and detail["offer_name"] == "SmartFlow pumps"
    summary_fields = listed[0].keys()
    assert {k: detail[k] for k in summary_fields} == listed[0]  # the same counts either way


def test_db_round_trip_keeps_the_spec(session_factory: sessionmaker[Session]) -> None:
    network_id = seeded_network(session_factory)
    with session_factory() as s:
        assert load_spec(s, get_network(s, network_id)) == small_spec()


def test_seller_and_contributor_cannot_edit(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    network_id = seeded_network(session_factory)
    org = seeded_org(session_factory)
    for role in ("seller", "contributor", "price_desk", "executive"):
        headers = bearer(token_for(session_factory, org.user(role)))
        response = client.post(
            f"{API}/{network_id}/nodes",
            headers=headers,
            json={"node_type": "outcome", "name": "Sneaky"},
        )
        assert response.status_code == 403, role
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(NetworkNode)) == 5


def test_manager_edits_nodes_links_personas_with_audit(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    network_id = seeded_network(session_factory)
    headers = _headers(session_factory, "manager")
    node = client.post(
        f"{API}/{network_id}/nodes",
        headers=headers,
        json={
            "node_type": "outcome",
            "name": "Lower energy bill",
            "executive": True,
            "measure": "energy saved per year",
            "unit": "USD/year",
        },
    )
    assert node.status_code == 201, node.text
    detail = client.get(f"{API}/{network_id}", headers=headers).json()
    by_name = {n["name"]: n["id"] for n in detail["nodes"]}
    link = client.post(
        f"{API}/{network_id}/links",
        headers=headers,
        json={
            "source_id": by_name["Predictive sensors"],
            "target_id": node.json()["id"],
            "rationale": "tuned drives",
        },
    )
    assert link.status_code == 201
    persona = client.post(
        f"{API}/{network_id}/personas", headers=headers, json={"name": "Energy manager"}
    ).json()
    tie = client.put(
        f"{API}/{network_id}/personas/{persona['id']}/outcomes/{node.json()['id']}",
        headers=headers,
        json={"strength": "primary"},
    )
    assert tie.status_code == 200
    renamed = client.patch(
        f"{API}/{network_id}/nodes/{node.json()['id']}",
        headers=headers,
        json={"name": "Lower energy bills"},
    )
    assert renamed.json()["name"] == "Lower energy bills"
    with session_factory() as s:
        actions = s.scalars(
            select(AuditEntry.action).where(AuditEntry.entity_type == "value_network")
        ).all()
    assert actions[-4:] == ["link.added", "persona.added", "persona.outcome_set", "outcome.updated"]


def test_editing_rules_give_clear_errors_and_change_nothing(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    network_id = seeded_network(session_factory)
    headers = _headers(session_factory, "admin")
    nodes = {
        n["name"]: n["id"]
        for n in client.get(f"{API}/{network_id}", headers=headers).json()["nodes"]
    }
    dup = client.post(
        f"{API}/{network_id}/nodes",
        headers=headers,
        json={"node_type": "outcome", "name": "less DOWNTIME"},
    )
    assert dup.status_code == 409 and "already used" in dup.json()["error"]["message"]
    into_diff = client.post(
        f"{API}/{network_id}/links",
        headers=headers,
        json={"source_id": nodes["Less downtime"], "target_id": nodes["Predictive sensors"]},
    )
    assert into_diff.status_code == 422 and "differentiator" in into_diff.json()["error"]["message"]
    reverse = client.post(
        f"{API}/{network_id}/links",
        headers=headers,
        json={"source_id": nodes["Higher output"], "target_id": nodes["Less downtime"]},
    )
    assert reverse.status_code == 409 and "two-way" in reverse.json()["error"]["message"]
    self_link = client.post(
        f"{API}/{network_id}/links",
        headers=headers,
        json={"source_id": nodes["Higher output"], "target_id": nodes["Higher output"]},
    )
    assert self_link.status_code == 422
    wrong_field = client.patch(
        f"{API}/{network_id}/nodes/{nodes['Predictive sensors']}",
        headers=headers,
        json={"executive": True},
    )
    assert wrong_field.status_code == 422
    persona_id = client.get(f"{API}/{network_id}", headers=headers).json()["persona_list"][0]["id"]
    on_diff = client.put(
        f"{API}/{network_id}/personas/{persona_id}/outcomes/{nodes['Predictive sensors']}",
        headers=headers,
        json={"strength": "primary"},
    )
    assert on_diff.status_code == 422
    with session_factory() as s:
        assert load_spec(s, get_network(s, network_id)) == small_spec()


def test_other_networks_nodes_are_not_found(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    first = seeded_network(session_factory, "First")
    second = seeded_network(session_factory, "Second")
    headers = _headers(session_factory, "admin")
    foreign = client.get(f"{API}/{second}", headers=headers).json()["nodes"][0]["id"]
    response = client.delete(f"{API}/{first}/nodes/{foreign}", headers=headers)
    assert response.status_code == 404


def test_deleting_a_node_takes_its_links_and_ties(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    network_id = seeded_network(session_factory)
    headers = _headers(session_factory, "admin")
    nodes = {
        n["name"]: n["id"]
        for n in client.get(f"{API}/{network_id}", headers=headers).json()["nodes"]
    }
    assert (
        client.delete(
            f"{API}/{network_id}/nodes/{nodes['Less downtime']}", headers=headers
        ).status_code
        == 204
    )
    detail = client.get(f"{API}/{network_id}", headers=headers).json()
    assert detail["links"] == 0
    assert [len(p["outcomes"]) for p in detail["persona_list"]] == [1, 1]
    assert client.delete(f"{API}/{network_id}", headers=headers).status_code == 204
    assert client.get(f"{API}/{network_id}", headers=headers).status_code == 404
