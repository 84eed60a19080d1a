"""The role matrix's rows for the price desk pages: asking on a deal, the deal's panel, a
request and its moves, the queue, the inbox, the desk's list, the policy and delegations.

Rows that name a deal or a request get a fresh one per role: a deal owned by the seller (team
West A) with a product and confirmed value, and the seller's request on it, which the default
policy routes to the seller's manager. Everyone who sees money reads; the contributor gets
"not found" where a deal is named (it cannot see the deal) and "forbidden" elsewhere. Asking
needs Permission.EDIT_DEALS; deciding needs the authority of the current step (the manager
here); only the seller who asked withdraws; only an administrator edits the policy; only
approvers delegate. `cases()` takes the matrix's own `case` factory and `Expect`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tests.deals.test_pages import principal_of
from tests.pricing.test_pages import APPROVE_ALL, ask_form, asked, priced_deal
from valuescout.core.db import unit_of_work
from valuescout.pricing import delegations
from valuescout.pricing.schemas import DelegationIn

if TYPE_CHECKING:
    from tests.web.test_role_matrix import Case, Expect, World

DEAL_EDITORS = frozenset({"seller", "manager", "admin"})  # Permission.EDIT_DEALS
MONEY = frozenset({"seller", "manager", "price_desk", "executive", "admin"})
DESK_LIST = frozenset({"manager", "price_desk", "executive", "admin"})
APPROVERS = frozenset({"manager", "price_desk", "executive"})
ADMIN = frozenset({"admin"})
REQUEST = "/price-desk/requests/{request_id}"


def sellers_deal(world: World, role: str) -> dict[str, int]:
    deal = priced_deal(world.session_factory, world.org.user("seller"), world.org.user("admin"))
    return {"opp_id": deal.opp_id}


def sellers_request(world: World, role: str) -> dict[str, int]:
    """A fresh request by the seller, waiting for their manager."""
    opp_id = sellers_deal(world, role)["opp_id"]
    return {"request_id": asked(world.session_factory, world.org.user("seller"), opp_id)}


def managers_delegation(world: World, role: str) -> dict[str, int]:
    """The manager names the seller to decide for them."""
    with unit_of_work(world.session_factory) as s:
        body = DelegationIn(
            delegate_id=world.org.user("seller").id,
            starts_on="2020-01-01",  # type: ignore[arg-type]
            ends_on="2099-12-31",  # type: ignore[arg-type]
        )
        row = delegations.create(s, principal_of(s, world.org.user("manager")), body)
        s.flush()
        return {"delegation_id": row.id}


def move(name: str) -> Callable[[World, str], dict[str, Any]]:
    def body(world: World, role: str) -> dict[str, Any]:
        return {"move": name, "comment": f"{name} by {role}", "version": "1"}

    return body


def delegation_form(world: World, role: str) -> dict[str, Any]:
    return {
        "delegate_id": str(world.org.user("seller").id),
        "starts_on": "2030-01-01",
        "ends_on": "2030-01-31",
    }


def cases(
    case: Callable[..., Case], *, everyone: frozenset[str], expect: type[Expect]
) -> list[Case]:
    def deal_hidden_from_contributor(row: Case) -> Case:
        """The contributor cannot see the seller's deal at all: not found, not forbidden."""
        return replace(row, expect={**row.expect, "contributor": expect(404)})

    to_request = expect(303, "/price-desk/requests/")
    new, asks = (
        "/opportunities/{opp_id}/price-requests/new",
        "/opportunities/{opp_id}/price-requests",
    )
    panel = "/opportunities/{opp_id}/price-requests/panel"
    return [
        case("GET", "/price-desk", MONEY, expect(303, "/price-desk/")),
        deal_hidden_from_contributor(case("GET", new, DEAL_EDITORS, 200, params=sellers_deal)),
        deal_hidden_from_contributor(
            case(
                "POST",
                asks,
                DEAL_EDITORS,
                to_request,
                params=sellers_deal,
                body=lambda w, r: ask_form(),
            )
        ),
        case("GET", panel, MONEY, 200, denied=404, params=sellers_deal),
        case("GET", REQUEST, MONEY, 200, params=sellers_request),
        case(
            "POST",
            f"{REQUEST}/moves",
            frozenset({"manager"}),
            to_request,
            params=sellers_request,
            body=move("approve"),
            label="approve",
        ),
        case(
            "POST",
            f"{REQUEST}/moves",
            frozenset({"seller"}),
            to_request,
            params=sellers_request,
            body=move("withdraw"),
            label="withdraw",
        ),
        case("GET", "/price-desk/queue", MONEY, 200),
        case("GET", "/price-desk/inbox", MONEY, 200),
        case("GET", "/price-desk/requests", DESK_LIST, 200),
        case("GET", "/price-desk/policy", MONEY, 200),
        case(
            "POST",
            "/price-desk/policy",
            ADMIN,
            200,
            body=lambda w, r: {"action": "check", "source": APPROVE_ALL},
            label="check",
        ),
        case(
            "POST",
            "/price-desk/policy",
            ADMIN,
            expect(303, "/price-desk/policy"),
            body=lambda w, r: {"action": "apply", "source": APPROVE_ALL, "note": r},
            label="apply",
        ),
        case("GET", "/price-desk/delegations", MONEY, 200),
        case(
            "POST",
            "/price-desk/delegations",
            APPROVERS,
            expect(303, "/price-desk/delegations"),
            body=delegation_form,
        ),
        # The approver who gave it or the delegate who received it; to anyone else it is not there.
        case(
            "POST",
            "/price-desk/delegations/{delegation_id}/revoke",
            frozenset({"manager", "seller"}),
            expect(303, "/price-desk/delegations"),
            denied=404,
            params=managers_delegation,
        ),
    ]
