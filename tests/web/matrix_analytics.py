"""The role matrix's rows for discount and margin analytics (JSON API and pages).

Analytics is for the people who oversee prices: managers (their team's deals), price desk,
executives and admins (everything) hold Permission.VIEW_ANALYTICS; sellers and contributors
are refused (403). Every row first books won deals for both teams, with approvals by the
manager and by the price desk on team A's deals, so the leak check sees names: a manager's
answers must name nobody outside team A — an approver outside it shows as a placeholder.
`cases()` takes the matrix's own `case` factory and `Expect`, so this module imports nothing
from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.analytics.deal_builders import account, approved_request, book, deal, product

if TYPE_CHECKING:
    from tests.web.test_role_matrix import Case, Expect, World

API = "/api/v1/analytics"
ANALYSTS = frozenset({"manager", "price_desk", "executive", "admin"})
REVIEWERS = frozenset({"price_desk", "executive", "admin"})
PLAN = "name: Revenue\nrevenue_commission:\n  rate: 0.1\n"


def booked(world: World, role: str) -> dict[str, Any]:
    with world.session_factory() as s:
        book(s, world.org)
        seller = world.org.user("seller")
        acc = account(s, seller, f"Matrix account {role}", "enterprise")
        opp = deal(s, seller, acc, product(s, f"Matrix pump {role}"), [("3", "700")])
        approved_request(s, opp, world.org.user("price_desk"))
        s.commit()
    return {}


def cases(case: Callable[..., Case], *, expect: type[Expect]) -> list[Case]:
    rows: list[Case] = []
    for path, query in [
        (f"{API}/discounts", {"by": "approver"}),
        (f"{API}/waterfall", {"compare": "segment=enterprise"}),
        (f"{API}/outliers", {"actor": "approver"}),
        (f"{API}/concentration", {"across": "rep"}),
        (f"{API}/bands", None),
        (f"{API}/leakage", None),
        ("/analytics", {"by": "approver"}),
        ("/analytics/waterfall", {"compare": "rep=nobody"}),
        ("/analytics/outliers", {"actor": "manager"}),
        ("/analytics/bands", None),
    ]:
        rows.append(case("GET", path, ANALYSTS, 200, params=booked, query=query))
    for path in (f"{API}/approvers", "/analytics/approvers"):
        rows.append(case("GET", path, REVIEWERS, 200, params=booked))
    rows += [
        case("GET", "/analytics/compensation", ANALYSTS, 200, params=booked),
        case(
            "POST",
            "/analytics/compensation",
            ANALYSTS,
            200,
            params=booked,
            body=lambda w, r: {"plan_a": PLAN, "plan_b": PLAN.replace("0.1", "0.2")},
        ),
        case(
            "POST",
            f"{API}/compensation",
            ANALYSTS,
            200,
            params=booked,
            body=lambda w, r: {"plans": [{"source": PLAN}]},
        ),
    ]
    return rows
