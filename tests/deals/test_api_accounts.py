"""Accounts and their contacts through the API: who sees which account, revenue hidden from
contributors, create/change/delete with the audit trail, contacts, and bad input."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_service_builders import ApiWorld, api_world
from tests.valuenet.factories import seeded_network
from valuescout.deals.models import Account, Contact, ValueOutcome
from valuescout.identity.models import User
from valuescout.valuenet.models import Persona

ACCOUNTS = "/accounts"


@pytest.fixture()
def api(client: TestClient, session_factory: sessionmaker[Session]) -> ApiWorld:
    return api_world(client, session_factory)


def names(api: ApiWorld, role: str, **params: Any) -> list[str]:
    response = api.call(role, "GET", ACCOUNTS, params=params)
    assert response.status_code == 200, response.text
    return [a["name"] for a in response.json()["items"]]


# --- reading ---------------------------------------------------------------------------------


def test_who_sees_which_account(api: ApiWorld) -> None:
    api.deal("seller", account="Acme Water")
    api.deal("manager", account="Delta Mills")
    api.deal("seller_b", account="Echo Farms")
    api.deal("contributor", by=api.org.user("admin"), account="Fox Dairy")
    api.ok("seller", "POST", ACCOUNTS, {"name": "Bare Seller Account"})  # owned, no deals
    assert names(api, "seller") == ["Acme Water", "Bare Seller Account"]
    assert names(api, "manager") == ["Acme Water", "Bare Seller Account", "Delta Mills"]
    assert names(api, "seller_b") == ["Echo Farms"]
    assert names(api, "contributor") == ["Fox Dairy"]
    everything = ["Acme Water", "Bare Seller Account", "Delta Mills", "Echo Farms", "Fox Dairy"]
    for role in ("price_desk", "executive", "admin"):
        assert names(api, role) == everything
    echo = api.call("admin", "GET", ACCOUNTS, params={"q": "echo"}).json()["items"][0]["id"]
    for role in ("seller", "manager", "contributor"):
        response = api.call(role, "GET", f"{ACCOUNTS}/{echo}")
        assert response.status_code == 404
        assert response.json()["error"]["message"] == f"Account {echo} not found."


def test_an_account_is_seen_through_ones_own_deal_on_it_without_its_owners_name(
    api: ApiWorld,
) -> None:
    foreign = api.deal("seller_b", account="Echo Farms")
    assert api.call("seller", "GET", f"{ACCOUNTS}/{foreign.account_id}").status_code == 404
    # An admin puts a deal of the seller's on seller_b's account.
    api.ok(
        "admin",
        "POST",
        "/opportunities",
        {"name": "Shared", "owner_id": api.user_id("seller"), "account_id": foreign.account_id},
    )
    seen = api.ok("seller", "GET", f"{ACCOUNTS}/{foreign.account_id}")
    assert seen["name"] == "Echo Farms" and seen["open_opportunities"] == 1  # only their own
    assert seen["owner_name"] is None  # seller_b is out of the seller's sight
    assert api.org.user("seller_b").full_name not in api.call("seller", "GET", ACCOUNTS).text
    assert [c["name"] for c in seen["contacts"]] == ["Dana Buyer"]
    full = api.ok("admin", "GET", f"{ACCOUNTS}/{foreign.account_id}")
    assert full["owner_name"] == api.org.user("seller_b").full_name
    assert full["open_opportunities"] == 2


def test_list_search_paging_and_open_deal_counts(api: ApiWorld) -> None:
    for name in ("Acme Water", "Acme  Steel", "Bolt", "Cobalt Mining"):
        api.ok("seller", "POST", ACCOUNTS, {"name": name})
    assert names(api, "seller", q="ACME") == ["Acme  Steel", "Acme Water"]  # by name
    assert names(api, "seller", q="  acme   steel ") == ["Acme  Steel"]
    assert names(api, "seller", q="olt") == ["Bolt"]
    assert names(api, "seller", q="balt") == ["Cobalt Mining"]
    page = api.call("seller", "GET", ACCOUNTS, params={"limit": 2, "offset": 2}).json()
    assert [a["name"] for a in page["items"]] == ["Bolt", "Cobalt Mining"]
    assert (page["total"], page["limit"], page["offset"]) == (4, 2, 2)
    built = api.deal(account="Deals Inc")
    api.ok("seller", "POST", "/opportunities", {"name": "Second", "account_id": built.account_id})
    won = api.ok(
        "seller", "POST", "/opportunities", {"name": "Won", "account_id": built.account_id}
    )
    api.ok("seller", "PATCH", f"/opportunities/{won['id']}", {"stage_id": 6})
    counted = api.ok("seller", "GET", f"{ACCOUNTS}/{built.account_id}")
    assert counted["open_opportunities"] == 2  # the won deal is not open
    for bad in ({"limit": 0}, {"limit": 201}, {"offset": -1}, {"q": "x" * 101}):
        assert api.call("seller", "GET", ACCOUNTS, params=bad).status_code == 422, bad


def test_contributors_see_no_revenue(api: ApiWorld) -> None:
    built = api.deal("contributor", by=api.org.user("admin"))
    listed = api.call("contributor", "GET", ACCOUNTS).json()["items"]
    assert [a["annual_revenue"] for a in listed] == [None]
    detail = api.ok("contributor", "GET", f"{ACCOUNTS}/{built.account_id}")
    assert detail["annual_revenue"] is None
    assert "5000000" not in api.call("contributor", "GET", f"{ACCOUNTS}/{built.account_id}").text
    assert api.ok("admin", "GET", f"{ACCOUNTS}/{built.account_id}")["annual_revenue"] == (
        "5000000.00"
    )


# --- changing --------------------------------------------------------------------------------


def test_create_and_update_with_audit(api: ApiWorld) -> None:
    created = api.ok(
        "seller",
        "POST",
        ACCOUNTS,
        {
            "name": " Plant One ",
            "industry": "Water",
            "annual_revenue": "1200000.5",
            "employees": 40,
            "attributes": {"erp": "SAP", "plants": 3, "growing": True},
        },
    )
    assert created["name"] == "Plant One" and created["owner_id"] == api.user_id("seller")
    assert created["annual_revenue"] == "1200000.50" and created["contacts"] == []
    assert created["attributes"] == {"erp": "SAP", "plants": 3, "growing": True}
    path = f"{ACCOUNTS}/{created['id']}"
    [entry] = api.audit("account.created", created["id"])
    assert entry.entity_type == "account" and entry.changes["name"] == "Plant One"
    changed = api.ok("seller", "PATCH", path, {"industry": "Utilities", "annual_revenue": None})
    assert changed["industry"] == "Utilities" and changed["annual_revenue"] is None
    [update] = api.audit("account.updated", created["id"])
    assert update.changes == {
        "industry": ["Water", "Utilities"],
        "annual_revenue": ["1200000.50", None],
    }
    api.ok("seller", "PATCH", path, {"industry": "Utilities"})
    assert len(api.audit("account.updated", created["id"])) == 1  # nothing changed
    assert api.ok("manager", "PATCH", path, {"owner_id": api.user_id("manager")})["owner_id"] == (
        api.user_id("manager")
    )
    assert api.call("seller", "GET", path).status_code == 404  # no longer the seller's


def test_names_are_unique_ignoring_case_and_spaces(api: ApiWorld) -> None:
    first = api.ok("seller", "POST", ACCOUNTS, {"name": "Plant One"})
    for name in ("plant one", "PLANT  ONE"):
        response = api.call("seller_b", "POST", ACCOUNTS, {"name": name})
        assert response.status_code == 409 and response.json()["error"]["field"] == "name"
    other = api.ok("seller", "POST", ACCOUNTS, {"name": "Plant Two"})
    response = api.call("seller", "PATCH", f"{ACCOUNTS}/{other['id']}", {"name": "plant one"})
    assert response.status_code == 409
    renamed = api.ok("seller", "PATCH", f"{ACCOUNTS}/{first['id']}", {"name": "PLANT one"})
    assert renamed["name"] == "PLANT one"  # its own name in other letters is fine
    assert api.count(Account) == 2


def test_owner_must_be_in_scope_and_roles_without_edit_deals_are_refused(api: ApiWorld) -> None:
    body = {"name": "For B", "owner_id": api.user_id("seller_b")}
    for role in ("seller", "manager"):
        response = api.call(role, "POST", ACCOUNTS, body)
        assert response.status_code == 403 and response.json()["error"]["field"] == "owner_id"
    for role in ("price_desk", "executive", "contributor"):
        assert api.call(role, "POST", ACCOUNTS, {"name": f"By {role}"}).status_code == 403
    assert api.count(Account) == 0 and api.audit("account.created") == []
    made = api.ok("admin", "POST", ACCOUNTS, body)
    assert made["owner_id"] == api.user_id("seller_b")
    path = f"{ACCOUNTS}/{made['id']}"
    assert api.call("price_desk", "PATCH", path, {"industry": "x"}).status_code == 403
    assert api.call("seller", "PATCH", path, {"industry": "x"}).status_code == 404


def test_delete_only_without_deals(api: ApiWorld) -> None:
    built = api.deal()
    path = f"{ACCOUNTS}/{built.account_id}"
    response = api.call("seller", "DELETE", path)
    assert response.status_code == 409 and "1 opportunities" in response.json()["error"]["message"]
    assert api.count(Account) == 1 and api.count(Contact) == 1
    api.ok("seller", "PATCH", f"/opportunities/{built.opp_id}", {"account_id": None})
    assert api.call("executive", "DELETE", path).status_code == 403
    assert api.call("seller_b", "DELETE", path).status_code == 404
    assert api.call("seller", "DELETE", path).status_code == 204
    assert api.count(Account) == 0 and api.count(Contact) == 0  # its contacts go with it
    assert api.count(ValueOutcome) == 1  # the outcome stays, without its contact
    [entry] = api.audit("account.deleted", built.account_id)
    assert entry.actor_email == "seller@example.com"
    assert api.call("seller", "DELETE", path).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": " "}, "name"),
        ({"name": "x" * 201}, "name"),
        ({"name": "X", "annual_revenue": "-5"}, "annual_revenue"),
        ({"name": "X", "employees": "40"}, "employees"),
        ({"name": "X", "employees": -1}, "employees"),
        ({"name": "X", "industry": "x" * 201}, "industry"),
        ({"name": "X", "owner_id": "3"}, "owner_id"),
        ({"name": "X", "attributes": {"k": [1]}}, "attributes"),
        ({"name": "X", "attributes": {str(i): i for i in range(41)}}, "attributes"),
        ({"name": "X", "external_id": "E-1"}, "external_id"),
    ],
)
def test_bad_account_input_is_a_422(api: ApiWorld, body: dict[str, Any], field: str) -> None:
    response = api.call("seller", "POST", ACCOUNTS, body)
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["message"]
    assert api.count(Account) == 0


@pytest.mark.parametrize(
    "body",
    [{"name": None}, {"attributes": None}, {"owner_id": None}, {"industry": None}, {"x": 1}],
)
def test_bad_account_update_is_a_422(api: ApiWorld, body: dict[str, Any]) -> None:
    built = api.deal()
    path = f"{ACCOUNTS}/{built.account_id}"
    before = api.ok("seller", "GET", path)
    response = api.call("seller", "PATCH", path, body)
    assert response.status_code == 422, response.text
    assert next(iter(body)) in response.json()["error"]["message"]
    assert api.ok("seller", "GET", path) == before


# --- contacts --------------------------------------------------------------------------------


def test_contacts_add_change_remove_with_audit(api: ApiWorld) -> None:
    built = api.deal()
    seeded_network(api.session_factory)
    with api.session_factory() as s:
        persona_id = s.scalars(select(Persona.id)).first()
    path = f"{ACCOUNTS}/{built.account_id}/contacts"
    response = api.call(
        "seller",
        "POST",
        path,
        {
            "name": "Aaron Able",
            "title": "CFO",
            "email": "aaron@customer.example",
            "buying_role": "economic_buyer",
            "is_ally": True,
            "persona_id": persona_id,
        },
    )
    assert response.status_code == 201, response.text
    contact = response.json()
    assert contact["account_id"] == built.account_id and contact["persona_id"] == persona_id
    [entry] = api.audit("contact.created", contact["id"])
    assert entry.entity_type == "contact" and entry.changes["account_id"] == built.account_id
    detail = api.ok("seller", "GET", f"{ACCOUNTS}/{built.account_id}")
    assert [c["name"] for c in detail["contacts"]] == ["Aaron Able", "Dana Buyer"]  # by name
    opp = api.ok("seller", "GET", f"/opportunities/{built.opp_id}")
    assert [c["name"] for c in opp["contacts"]] == ["Aaron Able", "Dana Buyer"]

    one = f"/contacts/{contact['id']}"
    changed = api.ok("manager", "PATCH", one, {"buying_role": "champion", "persona_id": None})
    assert changed["buying_role"] == "champion" and changed["persona_id"] is None
    [update] = api.audit("contact.updated", contact["id"])
    assert update.changes == {
        "buying_role": ["economic_buyer", "champion"],
        "persona_id": [persona_id, None],
    }
    assert api.call("seller", "DELETE", one).status_code == 204
    assert api.call("seller", "DELETE", one).status_code == 404
    assert len(api.audit("contact.deleted", contact["id"])) == 1
    assert api.count(Contact) == 1


def test_contacts_follow_their_accounts_scope(api: ApiWorld) -> None:
    built = api.deal("seller_b")
    one = f"/contacts/{built.contact_id}"
    missing = api.call("seller", "PATCH", "/contacts/999999", {"title": "x"}).json()["error"]
    for role in ("seller", "manager", "contributor"):
        response = api.call(role, "PATCH", one, {"title": "x"})
        assert response.status_code == 404, role
        # Worded as for a contact that does not exist: the account's id does not show.
        assert response.json()["error"]["message"] == missing["message"].replace(
            "999999", str(built.contact_id)
        )
        assert api.call(role, "DELETE", one).status_code == 404
        body = {"name": "Sneaky"}
        add = api.call(role, "POST", f"{ACCOUNTS}/{built.account_id}/contacts", body)
        assert add.status_code == 404
    for role in ("price_desk", "executive"):
        assert api.call(role, "PATCH", one, {"title": "x"}).status_code == 403
        assert api.call(role, "DELETE", one).status_code == 403
    assert api.count(Contact) == 1 and api.audit("contact.updated") == []
    assert api.ok("admin", "PATCH", one, {"title": "Boss"})["title"] == "Boss"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "name"),
        ({"name": "X", "buying_role": "king"}, "buying_role"),
        ({"name": "X", "is_ally": 1}, "is_ally"),
        ({"name": "X", "is_ally": "yes"}, "is_ally"),
        ({"name": "X", "email": "x" * 321}, "email"),
        ({"name": "X", "persona_id": 999999}, "persona_id"),
        ({"name": "X", "account_id": 1}, "account_id"),
    ],
)
def test_bad_contact_input_is_refused(api: ApiWorld, body: dict[str, Any], field: str) -> None:
    built = api.deal()
    response = api.call("seller", "POST", f"{ACCOUNTS}/{built.account_id}/contacts", body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert field in error["message"] or error.get("field") == field
    assert api.count(Contact) == 1


def test_an_owner_must_be_an_active_user(api: ApiWorld) -> None:
    """Admins may give an account to anyone, but only to someone who exists and is active (an
    unknown id was a foreign-key error, a 500)."""
    built = api.deal()
    with api.session_factory() as s:
        user = s.get(User, api.user_id("seller_b"))
        assert user is not None
        user.is_active = False
        s.commit()
    for owner in (109057, api.user_id("seller_b")):
        response = api.call("admin", "POST", ACCOUNTS, {"name": "Orphan", "owner_id": owner})
        assert response.status_code == 422, response.text
        assert response.json()["error"]["field"] == "owner_id"
        path = f"{ACCOUNTS}/{built.account_id}"
        response = api.call("admin", "PATCH", path, {"owner_id": owner})
        assert response.status_code == 422 and response.json()["error"]["field"] == "owner_id"
    assert api.count(Account) == 1 and api.audit("account.updated") == []
