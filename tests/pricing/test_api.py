"""The price desk's JSON API end to end with bearer tokens: ask, decide, counter, the policy,
delegations; idempotent retries, stale versions, and who is refused what."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_service_builders import ApiWorld, api_world
from tests.pricing.builders import APPROVE_ALL
from valuescout.pricing.models import PricePolicy, PriceRequest, PriceRequestEvent

ASK = {"net_price": "230000", "reason": "competitive_match", "justification": "Rival at 200k"}


@pytest.fixture()
def world(client: TestClient, session_factory: sessionmaker[Session]) -> ApiWorld:
    return api_world(client, session_factory)


def _ask(world: ApiWorld, opp_id: int, role: str = "seller", **body: Any) -> dict[str, Any]:
    return world.ok(role, "POST", f"/opportunities/{opp_id}/price-requests", {**ASK, **body})


def _move(world: ApiWorld, role: str, request_id: int, **body: Any) -> Any:
    return world.call(role, "POST", f"/price-requests/{request_id}/moves", body)


def test_ask_then_manager_and_price_desk_approve(world: ApiWorld) -> None:
    deal = world.deal(line_product_of=world.org.user("admin"))
    created = world.call("seller", "POST", f"/opportunities/{deal.opp_id}/price-requests", ASK)
    assert created.status_code == 201, created.text
    body = created.json()
    assert body["state"] == "pending" and body["waiting_for"] == "manager"
    assert body["route"] == ["manager", "price_desk"] and body["version"] == 1
    assert body["requested_price"] == "230000.00" and body["requested_discount"] == "0.0800"
    assert body["evidence"]["corridor_zone"] == "floor_to_target"
    assert body["decision"]["fired_rule"] == "floor-to-target-weak-evidence"
    assert body["moves"] == ["withdraw"] and body["policy_version"] == 1
    assert [e["action"] for e in body["events"]] == ["submit", "route"]
    rid = body["id"]
    queue = world.ok("manager", "GET", "/price-requests/queue")
    assert [r["id"] for r in queue["items"]] == [rid] and queue["total"] == 1
    assert world.ok("manager", "GET", f"/price-requests/{rid}")["moves"] == [
        "approve",
        "counter",
        "reject",
    ]
    step1 = _move(world, "manager", rid, move="approve", version=1)
    assert step1.status_code == 200, step1.text
    assert step1.json()["waiting_for"] == "price_desk" and step1.json()["version"] == 2
    done = _move(world, "price_desk", rid, move="approve", version=2, comment="ok")
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "approved" and done.json()["approved_price"] == "230000.00"
    inbox = world.ok("seller", "GET", "/price-requests/inbox")
    assert [r["id"] for r in inbox["items"]] == [rid] and inbox["items"][0]["state"] == "approved"
    listed = world.ok("seller", "GET", f"/opportunities/{deal.opp_id}/price-requests")
    assert [r["id"] for r in listed["items"]] == [rid]
    assert [a.action for a in world.audit(entity_id=rid) if a.entity_type == "price_request"] == [
        "create",
        "approve",
        "approve",
    ]


def test_counter_then_accept(world: ApiWorld) -> None:
    deal = world.deal(line_product_of=world.org.user("admin"))
    rid = _ask(world, deal.opp_id)["id"]
    no_price = _move(world, "manager", rid, move="counter")
    assert no_price.status_code == 422
    countered = _move(world, "manager", rid, move="counter", price="240000")
    assert countered.status_code == 200 and countered.json()["state"] == "countered"
    assert world.ok("seller", "GET", f"/price-requests/{rid}")["moves"] == ["accept", "withdraw"]
    assert _move(world, "manager", rid, move="accept").status_code == 403
    accepted = _move(world, "seller", rid, move="accept")
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["approved_price"] == "240000.00"


def test_idempotency_key_retry_returns_the_same_request(world: ApiWorld) -> None:
    deal = world.deal(line_product_of=world.org.user("admin"))
    path = f"/api/v1/opportunities/{deal.opp_id}/price-requests"
    headers = {**world.headers["seller"], "Idempotency-Key": "retry-1"}
    first = world.client.post(path, json=ASK, headers=headers)
    again = world.client.post(path, json=ASK, headers=headers)
    assert first.status_code == 201 and again.status_code == 201, again.text
    assert again.json()["id"] == first.json()["id"]
    assert world.count(PriceRequest) == 1
    assert world.count(PriceRequestEvent) == 2  # submit and route, once
    other = world.client.post(path, json={**ASK, "net_price": "220000"}, headers=headers)
    assert other.status_code == 409, other.text
    assert "Idempotency-Key" in other.json()["error"]["message"]
    # Without the key the same body is a second ask: refused, one request is open.
    assert world.client.post(path, json=ASK, headers=world.headers["seller"]).status_code == 409
    # The same key of another user is theirs alone.
    manager = {**world.headers["manager"], "Idempotency-Key": "retry-1"}
    assert world.client.post(path, json=ASK, headers=manager).status_code == 409  # still open
    too_long = {**world.headers["seller"], "Idempotency-Key": "k" * 101}
    assert world.client.post(path, json=ASK, headers=too_long).status_code == 422
    assert world.count(PriceRequest) == 1


def test_a_stale_version_is_a_conflict(world: ApiWorld) -> None:
    deal = world.deal(line_product_of=world.org.user("admin"))
    rid = _ask(world, deal.opp_id)["id"]
    assert _move(world, "manager", rid, move="approve", version=1).status_code == 200
    stale = _move(world, "price_desk", rid, move="reject", version=1)
    assert stale.status_code == 409, stale.text
    assert stale.json()["error"]["code"] == "conflict"
    assert world.ok("price_desk", "GET", f"/price-requests/{rid}")["state"] == "pending"
    assert _move(world, "price_desk", rid, move="reject", version=2).status_code == 200
    assert _move(world, "price_desk", rid, move="reject").status_code == 409  # decided


def test_bad_input_is_refused(world: ApiWorld) -> None:
    deal = world.deal(line_product_of=world.org.user("admin"))
    path = f"/opportunities/{deal.opp_id}/price-requests"
    for body in (
        {**ASK, "discount": "0.1"},  # two prices
        {"reason": "budget", "justification": "x"},  # no price
        {**ASK, "reason": "because"},
        {**ASK, "justification": " "},
        {**ASK, "lines": []},
        {**ASK, "extra": 1},
    ):
        assert world.call("seller", "POST", path, body).status_code == 422, body
    lines = {"lines": [{"line_id": 999_999, "net_price": "1"}], **ASK}
    del lines["net_price"]
    refused = world.call("seller", "POST", path, lines)
    assert refused.status_code == 422 and "not a line of this deal" in refused.text
    assert world.count(PriceRequest) == 0


def test_who_is_refused(world: ApiWorld) -> None:
    deal = world.deal(line_product_of=world.org.user("admin"))
    rid = _ask(world, deal.opp_id)["id"]
    other_team = world.deal("seller_b", line_product_of=world.org.user("admin"))
    path = f"/opportunities/{deal.opp_id}/price-requests"
    # Contributors see no prices at all.
    for method, url in (
        ("GET", f"/price-requests/{rid}"),
        ("GET", "/price-requests"),
        ("GET", "/price-requests/queue"),
        ("GET", "/price-requests/inbox"),
        ("GET", "/price-policy"),
    ):
        response = world.call("contributor", method, url)
        assert response.status_code == 403, (url, response.text)
    # Another team's seller: the request and the deal do not exist for them.
    assert world.call("seller_b", "GET", f"/price-requests/{rid}").status_code == 404
    assert world.call("seller_b", "GET", path).status_code == 404
    assert world.call("seller_b", "POST", path, ASK).status_code == 404
    assert _move(world, "seller_b", rid, move="approve").status_code == 404
    assert (
        world.call(
            "seller", "GET", f"/opportunities/{other_team.opp_id}/price-requests"
        ).status_code
        == 404
    )
    # A seller never approves, not even their own request.
    assert _move(world, "seller", rid, move="approve").status_code == 403
    # Price desk and executives see it but decide only their own step.
    assert world.call("executive", "GET", f"/price-requests/{rid}").json()["moves"] == []
    assert _move(world, "executive", rid, move="approve").status_code == 403
    assert world.call("price_desk", "POST", path, ASK).status_code == 403  # may not change deals
    assert world.ok("seller", "GET", f"/price-requests/{rid}")["version"] == 1


def test_the_policy_admin_applies_and_others_read(world: ApiWorld) -> None:
    active = world.ok("seller", "GET", "/price-policy")
    assert active["version"] == 1 and active["active"] is True
    for role in ("seller", "manager", "price_desk", "executive"):
        refused = world.call(role, "PUT", "/price-policy", {"source": APPROVE_ALL})
        assert refused.status_code == 403, role
        assert (
            world.call(role, "POST", "/price-policy/preview", {"source": APPROVE_ALL}).status_code
            == 403
        )
    broken = world.call("admin", "PUT", "/price-policy", {"source": "name: x\nrules: 3\n"})
    assert broken.status_code == 422
    assert "line" in broken.text and world.count(PricePolicy) == 1
    check = world.ok("seller", "POST", "/price-policy/check", {"source": "name: x\nrules: 3\n"})
    assert check["valid"] is False and {p["line"] for p in check["problems"]} == {1, 2}
    applied = world.call("admin", "PUT", "/price-policy", {"source": APPROVE_ALL, "note": "try"})
    assert applied.status_code == 200, applied.text
    assert applied.json()["version"] == 2 and applied.json()["source"] == APPROVE_ALL
    versions = world.ok_list("executive", "GET", "/price-policy/versions")
    assert [(v["version"], v["active"]) for v in versions] == [(2, True), (1, False)]
    assert world.ok("seller", "GET", "/price-policy/versions/1")["active"] is False
    assert world.call("seller", "GET", "/price-policy/versions/9").status_code == 404
    deal = world.deal(line_product_of=world.org.user("admin"))
    assert _ask(world, deal.opp_id)["state"] == "approved"
    preview = world.ok("admin", "POST", "/price-policy/preview", {"source": APPROVE_ALL})
    assert preview["requests"] == 1 and preview["changed"] == 0


def test_delegations(world: ApiWorld) -> None:
    today = date.today()
    body = {
        "delegate_id": world.user_id("seller_b"),
        "starts_on": str(today),
        "ends_on": str(today + timedelta(days=2)),
    }
    assert world.call("seller", "POST", "/price-delegations", body).status_code == 403
    backwards = {**body, "ends_on": str(today - timedelta(days=1))}
    assert world.call("manager", "POST", "/price-delegations", backwards).status_code == 422
    made = world.call("manager", "POST", "/price-delegations", body)
    assert made.status_code == 201, made.text
    [row] = made.json()
    assert row["active"] is True and row["delegate_id"] == world.user_id("seller_b")
    deal = world.deal(line_product_of=world.org.user("admin"))
    rid = _ask(world, deal.opp_id)["id"]
    assert [r["id"] for r in world.ok("seller_b", "GET", "/price-requests/queue")["items"]] == [rid]
    decided = _move(world, "seller_b", rid, move="approve")
    assert decided.status_code == 200, decided.text
    assert decided.json()["waiting_for"] == "price_desk"  # the stand-in still sees it
    assert world.ok("seller_b", "GET", f"/price-requests/{rid}")["moves"] == []
    event = decided.json()["events"][-1]
    assert event["on_behalf_of_id"] == world.user_id("manager")
    assert event["actor_id"] == world.user_id("seller_b")
    assert world.call("seller", "DELETE", f"/price-delegations/{row['id']}").status_code == 404
    assert world.call("seller_b", "DELETE", f"/price-delegations/{row['id']}").status_code == 204
    assert world.ok_list("manager", "GET", "/price-delegations") == []
