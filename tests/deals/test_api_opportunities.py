"""Opportunities through the API: create, change, delete, line items, the history of stage,
amount and close date, the audit trail, reference checks, bad input, scope and money."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_service_builders import ApiWorld, api_world, make_product
from tests.valuenet.factories import seeded_network
from valuescout.core.audit import AuditEntry
from valuescout.deals.models import (
    LineItem,
    Opportunity,
    OpportunityChange,
    ValueCase,
    ValueOutcome,
)
from valuescout.identity.models import User
from valuescout.valuenet.models import Competitor

OPPS = "/opportunities"


@pytest.fixture()
def api(client: TestClient, session_factory: sessionmaker[Session]) -> ApiWorld:
    return api_world(client, session_factory)


def history(api: ApiWorld, opp_id: int) -> list[tuple[str, str | None, str | None]]:
    with api.session_factory() as s:
        rows = s.scalars(
            select(OpportunityChange)
            .where(OpportunityChange.opportunity_id == opp_id)
            .order_by(OpportunityChange.id)
        )
        return [(h.field, h.old_value, h.new_value) for h in rows]


def products(api: ApiWorld, *prices: tuple[str, str | None]) -> list[int]:
    with api.session_factory() as s:
        ids = [
            make_product(s, api.org.user("admin"), list_price=price, unit_cost=cost)
            for price, cost in prices
        ]
        s.commit()
    return ids


# --- create ----------------------------------------------------------------------------------


def test_create_with_defaults_keeps_history_and_audit(api: ApiWorld) -> None:
    body = api.ok("seller", "POST", OPPS, {"name": "  Line 5  "})
    assert body["name"] == "Line 5"  # trimmed
    assert body["owner_id"] == api.user_id("seller")
    assert body["team_id"] == api.org.team_a.id
    assert body["stage_name"] == "Prospecting"  # the first open stage
    assert body["amount"] == "0.00" and body["probability"] == "0.1000"
    assert body["deal_type"] == "new" and body["currency"] == "USD"
    assert body["lines"] == [] and body["has_value_case"] is False
    opp_id = body["id"]
    assert history(api, opp_id) == [("stage", None, "Prospecting"), ("amount", None, "0.00")]
    [entry] = api.audit("opportunity.created", opp_id)
    assert entry.entity_type == "opportunity"
    assert entry.actor_id == api.user_id("seller")
    assert entry.actor_email == "seller@example.com"
    assert entry.changes["name"] == "Line 5" and entry.changes["amount"] == "0.00"


def test_create_for_someone_else_within_scope_only(api: ApiWorld) -> None:
    seller, seller_b = api.user_id("seller"), api.user_id("seller_b")
    made = api.ok("manager", "POST", OPPS, {"name": "For my seller", "owner_id": seller})
    assert made["owner_id"] == seller and made["team_id"] == api.org.team_a.id
    before = api.count(Opportunity), len(api.audit())
    for role, owner in (
        ("manager", seller_b),  # another team
        ("seller", seller_b),
        ("seller", api.user_id("manager")),  # a seller's scope is themselves
    ):
        response = api.call(role, "POST", OPPS, {"name": "Not yours", "owner_id": owner})
        assert response.status_code == 403, (role, response.text)
        assert response.json()["error"]["field"] == "owner_id"
    assert (api.count(Opportunity), len(api.audit())) == before
    by_admin = api.ok("admin", "POST", OPPS, {"name": "For B", "owner_id": seller_b})
    assert by_admin["owner_id"] == seller_b and by_admin["team_id"] == api.org.team_b.id


@pytest.mark.parametrize("role", ["price_desk", "executive", "contributor"])
def test_roles_without_edit_deals_cannot_create(api: ApiWorld, role: str) -> None:
    response = api.call(role, "POST", OPPS, {"name": "Nope"})
    assert response.status_code == 403
    assert api.count(Opportunity) == 0 and api.audit("opportunity.created") == []


def test_create_with_lines_takes_the_amount_from_them(api: ApiWorld) -> None:
    pump, valve = products(api, ("1000", "400"), ("250.50", None))
    body = api.ok(
        "seller",
        "POST",
        OPPS,
        {
            "name": "Lined",
            "amount": "5",  # ignored: the lines decide
            "lines": [
                {"product_id": pump, "quantity": "3", "net_price": "900"},
                {"product_id": valve, "quantity": "2.5"},  # at list price
            ],
        },
    )
    assert body["amount"] == "3326.25"  # 3 x 900 + 2.5 x 250.50
    lines = body["lines"]
    assert [
        (ln["quantity"], ln["list_price"], ln["net_price"], ln["discount"]) for ln in lines
    ] == [
        ("3.000", "1000.00", "900.00", "0.1000"),
        ("2.500", "250.50", "250.50", "0.0000"),
    ]
    assert history(api, body["id"])[1] == ("amount", None, "3326.25")


# --- change ----------------------------------------------------------------------------------


def test_history_is_kept_only_for_stage_amount_and_close_date_when_they_change(
    api: ApiWorld,
) -> None:
    opp_id = api.deal(value_case=False).opp_id
    path = f"{OPPS}/{opp_id}"
    start = history(api, opp_id)
    assert start == [
        ("stage", None, "Prospecting"),
        ("amount", None, "250000.00"),
        ("close_date", None, "2027-03-31"),
    ]
    api.ok(
        "seller", "PATCH", path, {"name": "Renamed", "description": "notes", "probability": "0.3"}
    )
    assert history(api, opp_id) == start  # none of those is kept in the history
    api.ok("seller", "PATCH", path, {"amount": "250000", "close_date": "2027-03-31"})
    assert history(api, opp_id) == start  # the same values: no change
    api.ok("seller", "PATCH", path, {"stage_id": 4, "amount": "260000.5"})
    api.ok("seller", "PATCH", path, {"close_date": None})
    detail = api.ok("seller", "PATCH", path, {"close_date": "2027-05-01"})
    added = [
        ("stage", "Prospecting", "Proposal"),
        ("amount", "250000.00", "260000.50"),
        ("close_date", "2027-03-31", None),
        ("close_date", None, "2027-05-01"),
    ]
    assert history(api, opp_id) == start + added
    shown = [(h["field"], h["old_value"], h["new_value"]) for h in detail["history"]]
    assert shown == start + added
    assert {h["actor_id"] for h in detail["history"]} == {api.user_id("seller")}


def test_every_change_is_audited_with_what_changed(api: ApiWorld) -> None:
    opp_id = api.deal(value_case=False).opp_id
    path = f"{OPPS}/{opp_id}"
    api.ok("manager", "PATCH", path, {"name": "Renamed", "probability": "0.35", "stage_id": 2})
    [entry] = api.audit("opportunity.updated", opp_id)
    assert entry.actor_email == "manager@example.com"
    assert entry.changes == {
        "name": [entry.changes["name"][0], "Renamed"],
        "probability": [None, "0.3500"],
        "stage_id": [1, 2],
    }
    api.ok("manager", "PATCH", path, {"name": "Renamed"})  # nothing changes: nothing audited
    assert len(api.audit("opportunity.updated", opp_id)) == 1
    api.ok("manager", "PATCH", path, {"probability": None})  # back to the stage's
    assert api.audit("opportunity.updated", opp_id)[-1].changes == {"probability": ["0.3500", None]}


def test_changing_the_owner_moves_the_deal_to_their_team_within_scope(api: ApiWorld) -> None:
    opp_id = api.deal(value_case=False).opp_id
    path = f"{OPPS}/{opp_id}"
    response = api.call("manager", "PATCH", path, {"owner_id": api.user_id("seller_b")})
    assert response.status_code == 403 and response.json()["error"]["field"] == "owner_id"
    response = api.call("seller", "PATCH", path, {"owner_id": api.user_id("manager")})
    assert response.status_code == 403
    body = api.ok("manager", "PATCH", path, {"owner_id": api.user_id("manager")})
    assert body["owner_id"] == api.user_id("manager") and body["team_id"] == api.org.team_a.id
    assert api.call("seller", "GET", path).status_code == 404  # no longer the seller's
    body = api.ok("admin", "PATCH", path, {"owner_id": api.user_id("seller_b")})
    assert body["team_id"] == api.org.team_b.id
    assert api.call("manager", "GET", path).status_code == 404
    assert api.call("seller_b", "GET", path).status_code == 200


def test_delete_removes_the_deal_with_its_lines_history_and_value_case(api: ApiWorld) -> None:
    built = api.deal(line_product_of=api.org.user("admin"))
    path = f"{OPPS}/{built.opp_id}"
    assert api.call("price_desk", "DELETE", path).status_code == 403
    assert api.call("seller_b", "DELETE", path).status_code == 404
    assert api.call("contributor", "DELETE", path).status_code == 404
    assert api.count(Opportunity) == 1
    response = api.call("seller", "DELETE", path)
    assert response.status_code == 204 and response.content == b""
    assert api.call("seller", "GET", path).status_code == 404
    assert api.call("seller", "DELETE", path).status_code == 404
    for model in (Opportunity, LineItem, OpportunityChange, ValueCase, ValueOutcome):
        assert api.count(model) == 0, model
    [entry] = api.audit("opportunity.deleted", built.opp_id)
    assert entry.changes["amount"] == "250000.00" and entry.actor_email == "seller@example.com"


# --- lines -----------------------------------------------------------------------------------


def test_setting_lines_recomputes_the_amount_and_locks_it(api: ApiWorld) -> None:
    opp_id = api.deal(value_case=False).opp_id
    path = f"{OPPS}/{opp_id}"
    pump, valve = products(api, ("1000", "400"), ("99.99", "10"))
    body = api.ok(
        "seller",
        "PUT",
        f"{path}/lines",
        {
            "lines": [
                {"product_id": pump, "quantity": "2", "net_price": "800"},
                {"product_id": valve, "quantity": "3"},
            ]
        },
    )
    assert body["amount"] == "1899.97"  # 2 x 800 + 3 x 99.99
    assert [ln["product_id"] for ln in body["lines"]] == [pump, valve]
    assert history(api, opp_id)[-1] == ("amount", "250000.00", "1899.97")
    [entry] = api.audit("opportunity.lines_set", opp_id)
    assert entry.changes["before"] == []
    assert [ln["product_id"] for ln in entry.changes["after"]] == [pump, valve]

    before = api.audit()
    response = api.call("seller", "PATCH", path, {"amount": "5000"})
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "amount"
    assert api.ok("seller", "GET", path)["amount"] == "1899.97"
    assert len(api.audit()) == len(before)
    # Other fields still change while the lines decide the amount.
    assert api.ok("seller", "PATCH", path, {"name": "Still editable"})["amount"] == "1899.97"

    # The same total again: no amount history; new lines replace the old ones.
    api.ok("seller", "PUT", f"{path}/lines", {"lines": [{"product_id": pump, "quantity": "1"}]})
    same = api.ok(
        "seller",
        "PUT",
        f"{path}/lines",
        {"lines": [{"product_id": valve, "quantity": "10", "net_price": "100"}]},
    )
    assert same["amount"] == "1000.00" and len(same["lines"]) == 1
    amounts = [h for h in history(api, opp_id) if h[0] == "amount"]
    assert amounts[-1] == ("amount", "1899.97", "1000.00") and len(amounts) == 3

    # No lines: the amount stays as it was and may be set directly again.
    cleared = api.ok("seller", "PUT", f"{path}/lines", {"lines": []})
    assert cleared["lines"] == [] and cleared["amount"] == "1000.00"
    assert api.ok("seller", "PATCH", path, {"amount": "1234"})["amount"] == "1234.00"
    assert api.count(LineItem) == 0


def test_lines_with_an_unknown_product_change_nothing(api: ApiWorld) -> None:
    opp_id = api.deal(value_case=False).opp_id
    (pump,) = products(api, ("1000", None))
    api.ok(
        "seller",
        "PUT",
        f"{OPPS}/{opp_id}/lines",
        {"lines": [{"product_id": pump, "quantity": "1"}]},
    )
    before = len(api.audit()), history(api, opp_id)
    response = api.call(
        "seller",
        "PUT",
        f"{OPPS}/{opp_id}/lines",
        {"lines": [{"product_id": pump, "quantity": "2"}, {"product_id": 999, "quantity": "1"}]},
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["field"] == "product_id" and "Line 2" in error["message"]
    detail = api.ok("seller", "GET", f"{OPPS}/{opp_id}")
    assert detail["amount"] == "1000.00" and len(detail["lines"]) == 1
    assert (len(api.audit()), history(api, opp_id)) == before
    response = api.call(
        "seller", "POST", OPPS, {"name": "X", "lines": [{"product_id": 999, "quantity": "1"}]}
    )
    assert response.status_code == 422 and api.count(Opportunity) == 1


def test_lines_follow_scope_and_permission(api: ApiWorld) -> None:
    opp_id = api.deal(value_case=False).opp_id
    (pump,) = products(api, ("10", None))
    body = {"lines": [{"product_id": pump, "quantity": "1"}]}
    assert api.call("seller_b", "PUT", f"{OPPS}/{opp_id}/lines", body).status_code == 404
    assert api.call("contributor", "PUT", f"{OPPS}/{opp_id}/lines", body).status_code == 404
    assert api.call("executive", "PUT", f"{OPPS}/{opp_id}/lines", body).status_code == 403
    assert api.count(LineItem) == 0
    assert api.ok("manager", "PUT", f"{OPPS}/{opp_id}/lines", body)["amount"] == "10.00"


# --- references ------------------------------------------------------------------------------


@pytest.fixture()
def networks(api: ApiWorld) -> dict[str, Any]:
    pumps = seeded_network(api.session_factory, "Pumps")
    other = seeded_network(api.session_factory, "Other")
    with api.session_factory() as s:
        rivals = {c.network_id: c.id for c in s.scalars(select(Competitor))}
    return {"pumps": pumps, "other": other, "rival": rivals[pumps], "other_rival": rivals[other]}


def references(api: ApiWorld, nets: dict[str, Any]) -> list[tuple[dict[str, Any], str, int]]:
    """(fields, the field the error names, status) for references that must be refused."""
    foreign = api.deal("seller_b", value_case=False).account_id
    return [
        ({"stage_id": 99}, "stage_id", 422),
        ({"account_id": 9999}, "account_id", 422),
        ({"account_id": foreign}, "account_id", 422),  # exists, but out of sight
        ({"owner_id": api.user_id("seller_b")}, "owner_id", 403),
        ({"owner_id": 9999}, "owner_id", 403),  # for a seller, anyone else is out of scope
        ({"value_network_id": 9999}, "value_network_id", 422),
        (
            {"competitor_id": 9999, "alternative_kind": "competitor"},
            "competitor_id",
            422,
        ),
        (
            {
                "value_network_id": nets["pumps"],
                "competitor_id": nets["other_rival"],
                "alternative_kind": "competitor",
            },
            "competitor_id",
            422,
        ),
        (
            {
                "value_network_id": nets["pumps"],
                "competitor_id": nets["rival"],
                "alternative_kind": "unknown",
            },
            "alternative_kind",
            422,
        ),
        (
            {"competitor_id": nets["rival"], "alternative_kind": "diy"},
            "alternative_kind",
            422,
        ),
    ]


def test_create_refuses_bad_references_and_writes_nothing(
    api: ApiWorld, networks: dict[str, Any]
) -> None:
    refused = references(api, networks)
    before = api.count(Opportunity), len(api.audit())
    for fields, field, status in refused:
        response = api.call("seller", "POST", OPPS, {"name": "Refs", **fields})
        assert response.status_code == status, (fields, response.text)
        assert response.json()["error"]["field"] == field, fields
    assert (api.count(Opportunity), len(api.audit())) == before
    good = api.ok(
        "seller",
        "POST",
        OPPS,
        {
            "name": "Against Hydrix",
            "value_network_id": networks["pumps"],
            "competitor_id": networks["rival"],
            "alternative_kind": "competitor",
            "alternative_price": "1000",
        },
    )
    assert good["competitor_id"] == networks["rival"]
    assert good["value_network_id"] == networks["pumps"]


def test_update_refuses_bad_references_and_changes_nothing(
    api: ApiWorld, networks: dict[str, Any]
) -> None:
    built = api.deal(value_case=False)
    path = f"{OPPS}/{built.opp_id}"
    refused = references(api, networks)
    before = api.ok("seller", "GET", path), len(api.audit()), history(api, built.opp_id)
    for fields, field, status in refused:
        response = api.call("seller", "PATCH", path, {"name": "Changed", **fields})
        assert response.status_code == status, (fields, response.text)
        assert response.json()["error"]["field"] == field, fields
    assert (api.ok("seller", "GET", path), len(api.audit()), history(api, built.opp_id)) == before
    # A competitor of the deal's network, then a network the competitor is not in.
    api.ok(
        "seller",
        "PATCH",
        path,
        {"value_network_id": networks["pumps"], "competitor_id": networks["rival"]},
    )
    response = api.call("seller", "PATCH", path, {"value_network_id": networks["other"]})
    assert response.status_code == 422 and response.json()["error"]["field"] == "competitor_id"
    response = api.call("seller", "PATCH", path, {"alternative_kind": "status_quo"})
    assert response.status_code == 422
    cleared = api.ok("seller", "PATCH", path, {"competitor_id": None, "alternative_kind": "diy"})
    assert cleared["competitor_id"] is None and cleared["alternative_kind"] == "diy"


def test_an_inactive_owner_is_refused(api: ApiWorld) -> None:
    with api.session_factory() as s:
        user = s.get(User, api.user_id("seller_b"))
        assert user is not None
        user.is_active = False
        s.commit()
    response = api.call("admin", "POST", OPPS, {"name": "X", "owner_id": api.user_id("seller_b")})
    assert response.status_code == 422 and response.json()["error"]["field"] == "owner_id"
    assert api.count(Opportunity) == 0


# --- bad input -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": ""}, "name"),
        ({"name": "   "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "X", "amount": "-1"}, "amount"),
        ({"name": "X", "amount": "1.001"}, "amount"),
        ({"name": "X", "amount": "99999999999999999"}, "amount"),
        ({"name": "X", "currency": "usd"}, "currency"),
        ({"name": "X", "deal_type": "old"}, "deal_type"),
        ({"name": "X", "stage_id": "3"}, "stage_id"),  # a string is not an id
        ({"name": "X", "stage_id": True}, "stage_id"),
        ({"name": "X", "stage_id": 0}, "stage_id"),
        ({"name": "X", "close_date": 0}, "close_date"),
        ({"name": "X", "close_date": "2027-02-30"}, "close_date"),
        ({"name": "X", "close_date": "2027-03-31T00:00:00"}, "close_date"),
        ({"name": "X", "alternative_kind": "magic"}, "alternative_kind"),
        ({"name": "X", "rfp_class": "maybe"}, "rfp_class"),
        ({"name": "X", "description": "x" * 8001}, "description"),
        ({"name": "X", "probability": "0.5"}, "probability"),  # not settable on create
        ({"name": "X", "lines": [{"product_id": 1, "quantity": "0"}]}, "quantity"),
        ({"name": "X", "lines": [{"product_id": 1}]}, "quantity"),
    ],
)
def test_bad_create_input_is_a_422_naming_the_field(
    api: ApiWorld, body: dict[str, Any], field: str
) -> None:
    response = api.call("seller", "POST", OPPS, body)
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["message"]
    assert api.count(Opportunity) == 0 and api.audit("opportunity.created") == []


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": None}, "name"),
        ({"stage_id": None}, "stage_id"),
        ({"owner_id": None}, "owner_id"),
        ({"amount": None}, "amount"),
        ({"deal_type": None}, "deal_type"),
        ({"probability": "1.5"}, "probability"),
        ({"probability": "-0.1"}, "probability"),
        ({"close_date": "tomorrow"}, "close_date"),
        ({"unknown": 1}, "unknown"),
        ({"lines": []}, "lines"),  # lines have their own route
    ],
)
def test_bad_update_input_is_a_422_naming_the_field(
    api: ApiWorld, body: dict[str, Any], field: str
) -> None:
    opp_id = api.deal(value_case=False).opp_id
    before = api.ok("seller", "GET", f"{OPPS}/{opp_id}"), len(api.audit())
    response = api.call("seller", "PATCH", f"{OPPS}/{opp_id}", body)
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["message"]
    assert (api.ok("seller", "GET", f"{OPPS}/{opp_id}"), len(api.audit())) == before


def test_ids_out_of_range_are_422_not_500(api: ApiWorld) -> None:
    for path in (f"{OPPS}/0", f"{OPPS}/2147483648", f"{OPPS}/abc"):
        assert api.call("seller", "GET", path).status_code == 422
    assert api.call("seller", "GET", f"{OPPS}/2147483647").status_code == 404


# --- money and scope in the detail -----------------------------------------------------------


def test_contributors_see_their_deal_without_any_money(api: ApiWorld) -> None:
    built = api.deal("contributor", by=api.org.user("admin"), line_product_of=api.org.user("admin"))
    path = f"{OPPS}/{built.opp_id}"
    api.ok("admin", "PATCH", path, {"stage_id": 3})
    detail = api.ok("contributor", "GET", path)
    assert detail["amount"] is None and detail["alternative_price"] is None
    assert detail["probability"] == "0.4000"  # not money
    [line] = detail["lines"]
    assert (line["list_price"], line["net_price"], line["discount"]) == (None, None, None)
    amounts = [h for h in detail["history"] if h["field"] == "amount"]
    assert amounts and {(h["old_value"], h["new_value"]) for h in amounts} == {(None, None)}
    stages = [h["new_value"] for h in detail["history"] if h["field"] == "stage"]
    assert stages == ["Prospecting", "Engaging"]  # the rest of the history is there
    assert "250000" not in api.call("contributor", "GET", path).text
    # The admin sees the same deal with its money.
    full = api.ok("admin", "GET", path)
    assert full["amount"] == "250000.00" and full["alternative_price"] == "200000.00"


def test_detail_scope(api: ApiWorld) -> None:
    path = f"{OPPS}/{api.deal().opp_id}"
    for role in ("seller", "manager", "price_desk", "executive", "admin"):
        assert api.call(role, "GET", path).status_code == 200, role
    for role in ("seller_b", "contributor"):
        response = api.call(role, "GET", path)
        assert response.status_code == 404, role
        assert response.json()["error"]["message"] == api.call(
            role, "GET", f"{OPPS}/999999"
        ).json()["error"]["message"].replace("999999", path.rsplit("/", 1)[1])
    detail = api.ok("manager", "GET", path)
    assert [c["name"] for c in detail["contacts"]] == ["Dana Buyer"]
    assert detail["has_value_case"] is True


def test_audit_entries_name_the_deal_and_the_actor(api: ApiWorld) -> None:
    opp_id = api.ok("seller", "POST", OPPS, {"name": "Audited"})["id"]
    api.ok("seller", "PATCH", f"{OPPS}/{opp_id}", {"amount": "10"})
    (pump,) = products(api, ("5", None))
    api.ok(
        "seller",
        "PUT",
        f"{OPPS}/{opp_id}/lines",
        {"lines": [{"product_id": pump, "quantity": "1"}]},
    )
    api.call("seller", "DELETE", f"{OPPS}/{opp_id}")
    with api.session_factory() as s:
        entries = list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_type == "opportunity")
                .order_by(AuditEntry.id)
            )
        )
    assert [e.action for e in entries] == [
        "opportunity.created",
        "opportunity.updated",
        "opportunity.lines_set",
        "opportunity.deleted",
    ]
    assert {e.entity_id for e in entries} == {str(opp_id)}
    assert {e.actor_email for e in entries} == {"seller@example.com"}
    assert entries[1].changes == {"amount": ["0.00", "10.00"]}
    assert Decimal(entries[3].changes["amount"]) == Decimal("5.00")
