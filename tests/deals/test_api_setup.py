"""The company's deal configuration through the API: the stage list (reorder, rename, add,
remove), the value-case defaults, and the product catalogue with its cost kept to admins."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_service_builders import ROLES, ApiWorld, api_world
from tests.valuenet.factories import seeded_network
from valuescout.deals.models import Product, Stage

STAGES = "/deal-stages"
DEFAULT = ["Prospecting", "Qualifying", "Engaging", "Proposal", "Negotiation", "Won", "Lost"]


@pytest.fixture()
def api(client: TestClient, session_factory: sessionmaker[Session]) -> ApiWorld:
    return api_world(client, session_factory)


def current(api: ApiWorld) -> list[dict[str, Any]]:
    response = api.call("seller", "GET", STAGES)
    assert response.status_code == 200
    stages: list[dict[str, Any]] = response.json()
    return stages


def as_items(stages: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {"id": s["id"], "name": s["name"], "probability": s["probability"], "outcome": s["outcome"]}
        for s in stages
    ]


# --- stages ----------------------------------------------------------------------------------


def test_everyone_reads_the_default_stages(api: ApiWorld) -> None:
    for role in ROLES:
        stages = api.call(role, "GET", STAGES).json()
        assert [s["name"] for s in stages] == DEFAULT, role
    stages = current(api)
    assert [s["position"] for s in stages] == [1, 2, 3, 4, 5, 6, 7]
    assert [s["outcome"] for s in stages][-3:] == ["open", "won", "lost"]
    assert stages[3]["probability"] == "0.6000"


def test_reorder_rename_and_add_keep_ids(api: ApiWorld) -> None:
    built = api.deal(value_case=False, stage_id=2)  # in Qualifying
    items = as_items(current(api))
    by_name = {i["name"]: i for i in items}
    by_name["Qualifying"]["name"] = "Discovery"
    by_name["Qualifying"]["probability"] = "0.25"
    new = {"name": "Trial", "probability": "0.5", "outcome": "open"}
    order = ["Prospecting", "Engaging", "Qualifying", "Proposal", "Negotiation", "Won", "Lost"]
    ordered = [by_name[n] for n in order]
    body = [*ordered[:3], new, *ordered[3:]]
    response = api.call("admin", "PUT", STAGES, {"stages": body})
    assert response.status_code == 200, response.text
    stages = response.json()
    assert [s["name"] for s in stages] == [
        "Prospecting",
        "Engaging",
        "Discovery",
        "Trial",
        "Proposal",
        "Negotiation",
        "Won",
        "Lost",
    ]
    assert [s["position"] for s in stages] == list(range(1, 9))
    assert stages[2]["id"] == by_name["Qualifying"]["id"]  # the same stage, renamed
    assert stages[2]["probability"] == "0.2500"
    assert stages[3]["id"] not in {i["id"] for i in items}
    assert current(api) == stages
    deal = api.ok("seller", "GET", f"/opportunities/{built.opp_id}")
    assert deal["stage_name"] == "Discovery" and deal["probability"] == "0.2500"
    [entry] = api.audit("deal_stages.set")
    assert entry.actor_email == "admin@example.com"
    assert [s["name"] for s in entry.changes["before"]] == DEFAULT
    assert [s["name"] for s in entry.changes["after"]] == [s["name"] for s in stages]
    # Two stages may swap names in one go.
    swapped = as_items(stages)
    swapped[0]["name"], swapped[1]["name"] = swapped[1]["name"], swapped[0]["name"]
    again = api.ok_list("admin", "PUT", STAGES, {"stages": swapped})
    assert [s["name"] for s in again][:2] == ["Engaging", "Prospecting"]


def test_unused_stages_may_be_removed_used_ones_not(api: ApiWorld) -> None:
    built = api.deal(value_case=False, stage_id=3)  # in Engaging
    items = as_items(current(api))
    without_qualifying = [i for i in items if i["name"] != "Qualifying"]
    stages = api.ok_list("admin", "PUT", STAGES, {"stages": without_qualifying})
    assert "Qualifying" not in [s["name"] for s in stages] and api.count(Stage) == 6
    before = current(api), len(api.audit())
    without_engaging = [i for i in without_qualifying if i["name"] != "Engaging"]
    renamed = [{**i, "name": f"{i['name']} (new)"} for i in without_engaging]
    response = api.call("admin", "PUT", STAGES, {"stages": renamed})
    assert response.status_code == 409, response.text
    error = response.json()["error"]
    assert "Engaging" in error["message"] and "1 opportunities" in error["message"]
    assert error["field"] == "stages"
    assert (current(api), len(api.audit())) == before  # nothing renamed either
    assert api.ok("seller", "GET", f"/opportunities/{built.opp_id}")["stage_name"] == "Engaging"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda items: [i for i in items if i["outcome"] != "won"], "won stage"),
        (lambda items: [i for i in items if i["outcome"] != "lost"], "lost stage"),
        (lambda items: [i for i in items if i["outcome"] != "open"], "open stage"),
        (lambda items: [*items, {**items[0], "id": None, "name": "prospecting"}], "repeat"),
        (lambda items: [*items[:-1], {**items[-1], "id": 99}], "does not exist"),
        (lambda items: [*items, {**items[0], "name": "Again"}], "twice"),
    ],
)
def test_a_stage_list_that_breaks_the_rules_is_refused(
    api: ApiWorld, change: Any, message: str
) -> None:
    before = current(api)
    response = api.call("admin", "PUT", STAGES, {"stages": change(as_items(before))})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert message in error["message"] and error["field"] == "stages"
    assert current(api) == before and api.audit("deal_stages.set") == []


@pytest.mark.parametrize(
    "stages",
    [
        [],
        [{"name": "Only", "probability": "0.1"}],
        [{"name": "", "probability": "0.1"}, {"name": "B", "probability": "0.2"}],
        [{"name": "A", "probability": "1.1"}, {"name": "B", "probability": "0.2"}],
        [{"name": "A", "probability": "0.1", "outcome": "maybe"}, {"name": "B", "probability": 0}],
        [{"name": "A"}, {"name": "B", "probability": "0.2"}],
        [{"name": "x" * 81, "probability": "0.1"}, {"name": "B", "probability": "0.2"}],
        [{"id": "1", "name": "A", "probability": "0.1"}, {"name": "B", "probability": "0.2"}],
    ],
)
def test_bad_stage_input_is_a_422(api: ApiWorld, stages: list[dict[str, Any]]) -> None:
    before = current(api)
    response = api.call("admin", "PUT", STAGES, {"stages": stages})
    assert response.status_code == 422, response.text
    assert current(api) == before


def test_only_admins_change_stages(api: ApiWorld) -> None:
    items = as_items(current(api))
    items[0]["name"] = "Hello"
    for role in ROLES:
        if role != "admin":
            assert api.call(role, "PUT", STAGES, {"stages": items}).status_code == 403, role
    assert current(api)[0]["name"] == "Prospecting"


# --- settings --------------------------------------------------------------------------------


def test_settings_everyone_reads_admins_change_with_audit(api: ApiWorld) -> None:
    expected = {
        "margin_floor": "0.2500",
        "discount_rate": "0.1000",
        "target_share": "0.5000",
        "currency": "USD",
    }
    for role in ROLES:
        assert api.ok(role, "GET", "/deal-settings") == expected, role
    for role in ROLES:
        if role != "admin":
            response = api.call(role, "PATCH", "/deal-settings", {"margin_floor": "0.3"})
            assert response.status_code == 403, role
    assert api.ok("seller", "GET", "/deal-settings") == expected
    changed = api.ok("admin", "PATCH", "/deal-settings", {"margin_floor": "0.3", "currency": "EUR"})
    assert changed == {**expected, "margin_floor": "0.3000", "currency": "EUR"}
    assert api.ok("seller", "GET", "/deal-settings") == changed
    [entry] = api.audit("deal_settings.updated")
    assert entry.changes == {"margin_floor": ["0.2500", "0.3000"], "currency": ["USD", "EUR"]}
    api.ok("admin", "PATCH", "/deal-settings", {"currency": "EUR"})
    assert len(api.audit("deal_settings.updated")) == 1  # nothing changed


@pytest.mark.parametrize(
    "body",
    [
        {"margin_floor": "1"},
        {"margin_floor": "-0.1"},
        {"discount_rate": "1.01"},
        {"target_share": "0.12345"},
        {"currency": "usd"},
        {"currency": "EURO"},
        {"currency": None},
        {"margin_floor": None},
        {"colour": "red"},
    ],
)
def test_bad_settings_are_a_422(api: ApiWorld, body: dict[str, Any]) -> None:
    before = api.ok("admin", "GET", "/deal-settings")
    response = api.call("admin", "PATCH", "/deal-settings", body)
    assert response.status_code == 422, response.text
    assert next(iter(body)) in response.json()["error"]["message"]
    assert api.ok("admin", "GET", "/deal-settings") == before


# --- products --------------------------------------------------------------------------------


def test_products_create_update_and_who_sees_cost(api: ApiWorld) -> None:
    network = seeded_network(api.session_factory)
    response = api.call(
        "admin",
        "POST",
        "/products",
        {
            "name": " SmartFlow 200 ",
            "family": "Pumps",
            "list_price": "1200",
            "unit_cost": "450.5",
            "value_network_id": network,
        },
    )
    assert response.status_code == 201, response.text
    product = response.json()
    assert product["name"] == "SmartFlow 200" and product["unit_cost"] == "450.50"
    assert product["currency"] == "USD" and product["value_network_id"] == network
    [entry] = api.audit("product.created", product["id"])
    assert entry.changes["unit_cost"] == "450.50"

    seen = {role: api.call(role, "GET", "/products").json()[0] for role in ROLES}
    assert seen["admin"]["unit_cost"] == "450.50"
    for role in ("seller", "seller_b", "manager", "price_desk", "executive"):
        assert seen[role]["unit_cost"] is None, role
        assert seen[role]["list_price"] == "1200.00", role
    assert (seen["contributor"]["list_price"], seen["contributor"]["unit_cost"]) == (None, None)
    assert "450.5" not in api.call("price_desk", "GET", "/products").text

    path = f"/products/{product['id']}"
    updated = api.ok(
        "admin", "PUT", path, {"name": "SmartFlow 200", "list_price": "1300", "family": "Pumps"}
    )
    assert updated["list_price"] == "1300.00"
    assert updated["unit_cost"] is None and updated["value_network_id"] is None  # a full replace
    [update] = api.audit("product.updated", product["id"])
    assert update.changes["list_price"] == ["1200.00", "1300.00"]
    assert update.changes["unit_cost"] == ["450.50", None]
    api.ok("admin", "PUT", path, {"name": "SmartFlow 200", "list_price": "1300", "family": "Pumps"})
    assert len(api.audit("product.updated", product["id"])) == 1  # nothing changed
    body = {"name": "Hack", "list_price": "1"}
    for role in ROLES:
        if role != "admin":
            assert api.call(role, "PUT", path, body).status_code == 403, role
            assert api.call(role, "POST", "/products", body).status_code == 403, role
    assert api.count(Product) == 1
    assert api.call("admin", "PUT", "/products/999999", body).status_code == 404


def test_product_names_are_unique_and_references_checked(api: ApiWorld) -> None:
    first = api.ok("admin", "POST", "/products", {"name": "Pump", "list_price": "1"})
    second = api.ok("admin", "POST", "/products", {"name": "Valve", "list_price": "1"})
    for name in ("pump", " PUMP "):
        response = api.call("admin", "POST", "/products", {"name": name, "list_price": "2"})
        assert response.status_code == 409 and response.json()["error"]["field"] == "name"
    response = api.call(
        "admin", "PUT", f"/products/{second['id']}", {"name": "PUMP", "list_price": "1"}
    )
    assert response.status_code == 409
    assert api.ok("admin", "PUT", f"/products/{first['id']}", {"name": "PUMP", "list_price": "1"})[
        "name"
    ] == ("PUMP")
    response = api.call(
        "admin", "POST", "/products", {"name": "N", "list_price": "1", "value_network_id": 999}
    )
    assert response.status_code == 422 and response.json()["error"]["field"] == ("value_network_id")
    assert api.count(Product) == 2


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"list_price": "1"}, "name"),
        ({"name": "X"}, "list_price"),
        ({"name": "X", "list_price": "-1"}, "list_price"),
        ({"name": "X", "list_price": "1.005"}, "list_price"),
        ({"name": "X", "list_price": "1", "unit_cost": "-2"}, "unit_cost"),
        ({"name": "X", "list_price": "1", "currency": "eur"}, "currency"),
        ({"name": "X", "list_price": "1", "value_network_id": "1"}, "value_network_id"),
        ({"name": "X", "list_price": "1", "sku": "A-1"}, "sku"),
    ],
)
def test_bad_product_input_is_a_422(api: ApiWorld, body: dict[str, Any], field: str) -> None:
    response = api.call("admin", "POST", "/products", body)
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["message"]
    assert api.count(Product) == 0
