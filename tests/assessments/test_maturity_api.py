"""The maturity JSON API: rounds, answering by domain, refusals (422 for ids and ranges, 403
for roles, 404 for rounds), results only for who may see them, the journey."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import Org, bearer, seeded_org, token_for
from valuescout.assessments import maturity_content

BASE = "/api/v1/assessments/maturity"
ALIGN = [i.id for i in maturity_content.load().domain("alignment").indicators]  # type: ignore[union-attr]


@pytest.fixture()
def org(session_factory: sessionmaker[Session]) -> Org:
    return seeded_org(session_factory)


@pytest.fixture()
def auth(session_factory: sessionmaker[Session], org: Org):  # type: ignore[no-untyped-def]
    cache: dict[str, dict[str, str]] = {}

    def headers(role: str) -> dict[str, str]:
        if role not in cache:
            cache[role] = bearer(token_for(session_factory, org.user(role)))
        return cache[role]

    return headers


def test_content_lists_domains_and_indicators(client: TestClient, auth) -> None:  # type: ignore[no-untyped-def]
    body = client.get(f"{BASE}/content", headers=auth("contributor")).json()
    assert [d["id"] for d in body["domains"]] == ["alignment", "capability", "enablement"]
    assert body["scale_min"] == 0 and body["scale_max"] == 4


def test_round_lifecycle_over_the_api(client: TestClient, auth) -> None:  # type: ignore[no-untyped-def]
    assert (
        client.post(f"{BASE}/rounds", json={"title": "x"}, headers=auth("manager")).status_code
        == 403
    )
    made = client.post(f"{BASE}/rounds", json={"title": "Q4"}, headers=auth("executive"))
    assert made.status_code == 201, made.text
    round_id = made.json()["id"]
    again = client.post(f"{BASE}/rounds", json={"title": "Q4b"}, headers=auth("admin"))
    assert again.status_code == 409
    body = {"answers": {ALIGN[0]: 4, ALIGN[1]: None}}
    put = client.put(
        f"{BASE}/rounds/{round_id}/answers/alignment", json=body, headers=auth("seller")
    )
    assert put.status_code == 200, put.text
    assert put.json()["next_domain"] == "capability"
    mine = client.get(f"{BASE}/rounds/{round_id}/progress", headers=auth("seller")).json()
    assert mine["answers"][ALIGN[0]] == 4
    other = client.get(f"{BASE}/rounds/{round_id}/progress", headers=auth("manager")).json()
    assert other["answers"] == {}
    live = client.get(f"{BASE}/rounds/{round_id}/result", headers=auth("manager"))
    assert live.status_code == 200 and live.json()["respondents"] == 1
    closed = client.post(f"{BASE}/rounds/{round_id}/close", headers=auth("executive"))
    assert closed.status_code == 200 and closed.json()["overall"] == "average"
    late = client.put(f"{BASE}/rounds/{round_id}/answers/alignment", json={"answers": {}},
                      headers=auth("seller"))  # fmt: skip
    assert late.status_code == 409
    journey = client.get(f"{BASE}/journey", headers=auth("executive")).json()
    assert [s["round_id"] for s in journey["steps"]] == [round_id]


def test_bad_answers_are_refused_with_the_id(client: TestClient, auth) -> None:  # type: ignore[no-untyped-def]
    round_id = client.post(f"{BASE}/rounds", json={"title": "Q"}, headers=auth("admin")).json()[
        "id"
    ]
    url = f"{BASE}/rounds/{round_id}/answers/alignment"
    unknown = client.put(url, json={"answers": {"made-up": 2}}, headers=auth("seller"))
    assert unknown.status_code == 422
    assert "made-up: not an indicator of alignment" in unknown.json()["error"]["message"]
    high = client.put(url, json={"answers": {ALIGN[0]: 9}}, headers=auth("seller"))
    assert high.status_code == 422 and "answer 9 is outside 0-4" in high.text
    shape = client.put(url, json={"answers": {"Bad Id!": 1}}, headers=auth("seller"))
    assert shape.status_code == 422
    text = client.put(url, json={"answers": {ALIGN[0]: "lots"}}, headers=auth("seller"))
    assert text.status_code == 422
    domain = client.put(f"{BASE}/rounds/{round_id}/answers/nowhere", json={"answers": {}},
                        headers=auth("seller"))  # fmt: skip
    assert domain.status_code == 422 and "Unknown domain" in domain.text
    missing = client.get(f"{BASE}/rounds/999999/progress", headers=auth("seller"))
    assert missing.status_code == 404
    mine = client.get(f"{BASE}/rounds/{round_id}/progress", headers=auth("seller")).json()
    assert mine["answers"] == {}  # nothing half-written


def test_a_seller_gets_nothing_company_wide(client: TestClient, auth) -> None:  # type: ignore[no-untyped-def]
    round_id = client.post(f"{BASE}/rounds", json={"title": "Q"}, headers=auth("admin")).json()[
        "id"
    ]
    client.put(f"{BASE}/rounds/{round_id}/answers/alignment", json={"answers": {ALIGN[0]: 4}},
               headers=auth("manager"))  # fmt: skip
    for role in ("seller", "contributor", "price_desk"):
        assert client.get(f"{BASE}/rounds/{round_id}/result", headers=auth(role)).status_code == 403
        assert client.get(f"{BASE}/journey", headers=auth(role)).status_code == 403
        listed = client.get(f"{BASE}/rounds", headers=auth(role)).json()
        assert listed[0]["respondents"] is None and listed[0]["overall"] is None
    assert client.get(f"{BASE}/rounds", headers={}).status_code == 401
