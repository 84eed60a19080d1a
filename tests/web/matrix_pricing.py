"""The role matrix's rows for the price desk JSON API: price requests and their moves, the
queue and inbox, the policy and its versions, and delegations.

Money is the line: everyone who sees deal money (Permission.SEE_MONEY) reads requests in their
row scope and the policy; the contributor is refused all of it (403). Requests are asked by
whoever may change the deal (seller, manager, admin); price desk and executive are refused
(403) and the contributor cannot see the deal (404). A move is made by the approver of the
current step (the seller's request waits for their manager; seller_b's team has no manager, so
theirs waits for an executive) or, to accept or withdraw, by the seller who asked. Records of
team West B are "not found" for team A's seller and manager. Only admins apply or preview a
policy; approvers delegate. Every row that names a request gets a fresh one per role.
`cases()` takes the matrix's own `case` factory and `Expect`, so this module imports nothing
from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tests.deals.test_service_builders import principal, seeded_deal, unique
from tests.pricing.builders import APPROVE_ALL, ask
from valuescout.pricing import delegations, service
from valuescout.pricing.schemas import DelegationIn

if TYPE_CHECKING:
    from tests.web.test_role_matrix import Case, Expect, World

API = "/api/v1"
DEAL_REQUESTS = f"{API}/opportunities/{{opp_id}}/price-requests"
REQUESTS = f"{API}/price-requests"
REQUEST = f"{REQUESTS}/{{request_id}}"
MOVES = f"{REQUEST}/moves"
POLICY = f"{API}/price-policy"
DELEGATIONS = f"{API}/price-delegations"

SEES_MONEY = frozenset({"seller", "manager", "price_desk", "executive", "admin"})
DEAL_EDITORS = frozenset({"seller", "manager", "admin"})
SEES_ALL = frozenset({"price_desk", "executive", "admin"})
APPROVERS = frozenset({"manager", "price_desk", "executive"})
ADMIN = frozenset({"admin"})
TEAM_A = ("seller", "manager")


def deal_of(owner: str) -> Callable[[World, str], dict[str, int]]:
    def params(world: World, role: str) -> dict[str, int]:
        built = seeded_deal(
            world.session_factory, world.org.user(owner), name=unique(f"Priced deal {role}")
        )
        return {"opp_id": built.opp_id}

    return params


def request_of(owner: str) -> Callable[[World, str], dict[str, int]]:
    """A fresh pending request on a fresh deal of `owner`, asked by the owner."""

    def params(world: World, role: str) -> dict[str, int]:
        ids = deal_of(owner)(world, role)
        with world.session_factory() as s:
            who = principal(s, world.org.user(owner))
            request = service.submit(s, who, ids["opp_id"], ask("230000"))
            s.commit()
            return {**ids, "request_id": request.id}

    return params


def everyones_requests(world: World, role: str) -> dict[str, int]:
    """Requests of the seller, seller_b and the manager, for the lists and queues."""
    for owner in ("seller", "seller_b", "manager"):
        request_of(owner)(world, role)
    return {}


def a_delegation(approver: str, delegate: str) -> Callable[[World, str], dict[str, int]]:
    def params(world: World, role: str) -> dict[str, int]:
        with world.session_factory() as s:
            row = delegations.create(
                s,
                principal(s, world.org.user(approver)),
                DelegationIn(
                    delegate_id=world.org.user(delegate).id,
                    starts_on=date.today(),
                    ends_on=date.today() + timedelta(days=3),
                ),
            )
            s.commit()
            return {"delegation_id": row.id}

    return params


def delegations_to_list(world: World, role: str) -> dict[str, int]:
    """A delegation between two people team A may not see: listed to its two parties only.
    (A delegate sees whose authority they hold, by design, so a seller named delegate of
    their manager sees the manager's name: not seeded here, where it would read as a leak.)"""
    a_delegation("price_desk", "seller_b")(world, role)
    return {}


def ask_json(world: World, role: str) -> dict[str, Any]:
    return {"net_price": "230000", "reason": "budget", "justification": f"Asked by {role}"}


def delegation_json(world: World, role: str) -> dict[str, Any]:
    today = date.today()
    return {
        "delegate_id": world.org.user("seller").id,
        "starts_on": str(today),
        "ends_on": str(today + timedelta(days=1)),
    }


def cases(
    case: Callable[..., Case],
    *,
    everyone: frozenset[str],
    expect: type[Expect],
) -> list[Case]:
    def with_status(row: Case, status: int, *roles: str) -> Case:
        return replace(row, expect={**row.expect, **{r: expect(status) for r in roles}})

    def team_b(row: Case) -> Case:
        """Team West B's records do not exist for team A (404); the contributor sees no
        money at all (403)."""
        return with_status(with_status(row, 404, *TEAM_A), 403, "contributor")

    move = lambda what: lambda w, r: {"move": what}  # noqa: E731
    policy = lambda w, r: {"source": APPROVE_ALL}  # noqa: E731

    return [
        # --- asking ---------------------------------------------------------------------------
        with_status(
            case("POST", DEAL_REQUESTS, DEAL_EDITORS, 201, params=deal_of("seller"), body=ask_json),
            404,
            "contributor",
        ),
        with_status(
            case(
                "POST",
                DEAL_REQUESTS,
                ADMIN,
                201,
                params=deal_of("seller_b"),
                body=ask_json,
                label="team B seller's",
            ),
            404,
            *TEAM_A,
            "contributor",  # the deal is out of their sight before money is asked about
        ),
        case("GET", DEAL_REQUESTS, SEES_MONEY, 200, params=request_of("seller")),
        team_b(
            case(
                "GET",
                DEAL_REQUESTS,
                SEES_ALL,
                200,
                params=request_of("seller_b"),
                label="team B seller's",
            )
        ),
        # --- reading ------------------------------------------------------------------------
        case("GET", REQUESTS, SEES_MONEY, 200, params=everyones_requests),
        case("GET", f"{REQUESTS}/queue", SEES_MONEY, 200, params=everyones_requests),
        case("GET", f"{REQUESTS}/inbox", SEES_MONEY, 200, params=everyones_requests),
        case("GET", REQUEST, SEES_MONEY, 200, params=request_of("seller")),
        team_b(
            case(
                "GET",
                REQUEST,
                SEES_ALL,
                200,
                params=request_of("seller_b"),
                label="team B seller's",
            )
        ),
        # --- moves: the current step's approver, or the seller who asked ----------------------
        case(
            "POST",
            MOVES,
            frozenset({"manager"}),
            200,
            params=request_of("seller"),
            body=move("approve"),
            label="approve",
        ),
        case(
            "POST",
            MOVES,
            frozenset({"seller"}),
            200,
            params=request_of("seller"),
            body=move("withdraw"),
            label="withdraw",
        ),
        team_b(
            case(
                "POST",
                MOVES,
                frozenset({"executive"}),
                200,
                params=request_of("seller_b"),
                body=move("approve"),
                label="team B seller's",
            )
        ),
        # --- the policy ---------------------------------------------------------------------
        case("GET", POLICY, SEES_MONEY, 200),
        case("PUT", POLICY, ADMIN, 200, body=policy),
        case("GET", f"{POLICY}/versions", SEES_MONEY, 200),
        case(
            "GET",
            f"{POLICY}/versions/{{version}}",
            SEES_MONEY,
            200,
            params=lambda w, r: {"version": 1},
        ),
        case("POST", f"{POLICY}/check", SEES_MONEY, 200, body=policy),
        case("POST", f"{POLICY}/preview", ADMIN, 200, body=policy, params=everyones_requests),
        # --- delegations --------------------------------------------------------------------
        case("GET", DELEGATIONS, everyone, 200, params=delegations_to_list),
        case("POST", DELEGATIONS, APPROVERS, 201, body=delegation_json),
        case(
            "DELETE",
            f"{DELEGATIONS}/{{delegation_id}}",
            frozenset({"manager", "seller"}),
            204,
            denied=404,
            params=a_delegation("manager", "seller"),
            label="approver's or delegate's",
        ),
    ]
