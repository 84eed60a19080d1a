"""Value network files and graph questions over the JSON API."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import bearer, seeded_org, token_for
from tests.valuenet.factories import seeded_network, small_spec
from valuescout.valuenet.fileformat import dump_yaml
from valuescout.valuenet.models import NetworkNode, ValueNetwork

API = "/api/v1/value-networks"
IMPORTS = "/api/v1/value-network-imports"


def _headers(session_factory: sessionmaker[Session], role: str = "admin") -> dict[str, str]:
    org = seeded_org(session_factory)
    return bearer(token_for(session_factory, org.user(role)))


def test_import_then_export_gives_the_same_bytes(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    headers = _headers(session_factory, "manager")
    text = dump_yaml(small_spec("Imported"))
    created = client.post(IMPORTS, headers=headers, json={"format": "yaml", "content": text})
    assert created.status_code == 201, created.text
    network_id = created.json()["id"]
    exported = client.get(f"{API}/{network_id}/export?format=yaml", headers=headers)
    assert exported.status_code == 200 and exported.text == text
    as_json = client.get(f"{API}/{network_id}/export?format=json", headers=headers).text
    again = client.post(
        IMPORTS,
        headers=headers,
        json={"format": "json", "content": as_json, "replace": True},
    )
    assert again.status_code == 201 and again.json()["id"] == network_id
    assert client.get(f"{API}/{network_id}/export?format=yaml", headers=headers).text == text


def test_a_bad_file_is_refused_with_lines_and_nothing_imported(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    headers = _headers(session_factory)
    text = dump_yaml(small_spec("Broken")).replace("to: Higher output", "to: Nowhere")
    text = text.replace("kind: fitness_for_use", "kind: magic")
    response = client.post(IMPORTS, headers=headers, json={"content": text})
    assert response.status_code == 422
    error = response.json()["error"]
    assert "nothing was imported" in error["message"]
    assert len(error["details"]) == 2
    assert any(d.startswith("line ") and "Nowhere" in d for d in error["details"])
    assert any("magic" in d for d in error["details"])
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ValueNetwork)) == 0
        assert s.scalar(select(func.count()).select_from(NetworkNode)) == 0


def test_import_refuses_a_taken_name_unless_replacing(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    seeded_network(session_factory)
    headers = _headers(session_factory)
    response = client.post(
        IMPORTS, headers=headers, json={"content": dump_yaml(small_spec("pumps"))}
    )
    assert response.status_code == 409 and "replace" in response.json()["error"]["message"]


def test_only_editors_import(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    headers = _headers(session_factory, "seller")
    response = client.post(IMPORTS, headers=headers, json={"content": dump_yaml(small_spec())})
    assert response.status_code == 403


def test_exports_in_diagram_formats(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    network_id = seeded_network(session_factory)
    headers = _headers(session_factory, "seller")
    mermaid = client.get(f"{API}/{network_id}/export?format=mermaid", headers=headers).text
    assert mermaid.startswith("flowchart LR") and "<-->" in mermaid
    dot = client.get(f"{API}/{network_id}/export?format=dot", headers=headers)
    assert dot.text.startswith("digraph") and dot.headers["content-type"].startswith("text/vnd")
    assert client.get(f"{API}/{network_id}/export?format=pdf", headers=headers).status_code == 422


def test_graph_questions(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    network_id = seeded_network(session_factory)
    headers = _headers(session_factory, "contributor")
    chains = client.get(f"{API}/{network_id}/chains", headers=headers).json()
    assert all(c["nodes"][0] in ("Predictive sensors", "4-hour service") for c in chains["chains"])
    to_output = client.get(
        f"{API}/{network_id}/chains?outcome=Higher output", headers=headers
    ).json()
    assert {c["nodes"][0] for c in to_output["chains"]} == {"Predictive sensors", "4-hour service"}
    assert all(c["nodes"][-1] == "Higher output" for c in to_output["chains"])
    loops = client.get(f"{API}/{network_id}/loops", headers=headers).json()
    assert [(lp["first"], lp["second"]) for lp in loops["declared"]] == [
        ("Less downtime", "Higher output")
    ]
    assert loops["undeclared"] == []
    assert client.get(f"{API}/{network_id}/lint", headers=headers).json() == []
    view = client.get(f"{API}/{network_id}/persona-view?persona=Plant manager", headers=headers)
    assert {o["outcome"] for o in view.json()["outcomes"]} == {"Higher output", "Less downtime"}
    execs = client.get(f"{API}/{network_id}/executive-conversations", headers=headers).json()
    assert [e["outcome"] for e in execs] == ["Less downtime"]
    pos = client.get(f"{API}/{network_id}/positioning?competitor=Hydrix", headers=headers).json()
    assert pos["competitor"] == "Hydrix" and pos["difference"] + pos["parity"] >= 1
    overlap = client.post(
        f"{API}/{network_id}/overlap",
        headers=headers,
        json={"outcomes": ["Less downtime", "World peace"]},
    ).json()
    assert overlap["deliverable"] == ["Less downtime"] and overlap["share"] == 0.5
    themes = client.get(
        f"{API}/{network_id}/messages?persona=Plant manager&competitor=Hydrix", headers=headers
    ).json()
    top = themes["messages"][0]
    assert top["hypothesis"].startswith("Because of") and top["question"].endswith("?")
    assert top["differentiator"] == "4-hour service"  # Hydrix cannot match it
    unknown = client.get(f"{API}/{network_id}/messages?persona=Nobody", headers=headers)
    assert unknown.status_code == 404


def test_answers_follow_every_edit(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    network_id = seeded_network(session_factory)
    headers = _headers(session_factory, "manager")
    assert client.get(f"{API}/{network_id}/lint", headers=headers).json() == []
    node = client.post(
        f"{API}/{network_id}/nodes",
        headers=headers,
        json={"node_type": "outcome", "name": "Lonely"},
    ).json()
    codes = {i["code"] for i in client.get(f"{API}/{network_id}/lint", headers=headers).json()}
    assert "orphan" in codes
    client.delete(f"{API}/{network_id}/nodes/{node['id']}", headers=headers)
    assert client.get(f"{API}/{network_id}/lint", headers=headers).json() == []
    client.patch(f"{API}/{network_id}", headers=headers, json={"name": "Renamed"})
    spec_text = client.get(f"{API}/{network_id}/export", headers=headers).text
    replaced = spec_text.replace("name: Lonely", "name: x").replace(
        "- name: Calmer nights", "- name: Quiet nights"
    )
    replaced = replaced.replace("to: Calmer nights", "to: Quiet nights").replace(
        "outcome: Calmer nights", "outcome: Quiet nights"
    )
    assert (
        client.post(
            IMPORTS, headers=headers, json={"content": replaced, "replace": True}
        ).status_code
        == 201
    )
    view = client.get(
        f"{API}/{network_id}/persona-view?persona=Maintenance lead", headers=headers
    ).json()
    assert [o["outcome"] for o in view["outcomes"]] == ["Quiet nights"]
