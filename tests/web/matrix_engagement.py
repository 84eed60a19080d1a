"""The role matrix's rows for willingness-to-engage assessments and the reputation check.

Willingness on the seller's account and deal: reading follows the row scope (everyone who
sees the seller's records; the contributor does not: 404); assessing needs EDIT_DEALS (seller,
manager, admin), checked first, so price desk, executives and contributors are refused (403).
The questions and scoring answers without keeping them: everyone signed in. The portfolio and
the reputation check: VIEW_ANALYTICS (manager, price desk, executive, admin); sellers and
contributors get nothing company-wide (403). Every row books both teams' records first, so the
leak check sees seller_b's records: a manager's or a seller's answer must not name them.
`cases()` takes the matrix's own `case` factory and `Expect`, so this module imports nothing
from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.assessments.test_reputation_api import reputation_book
from tests.assessments.willingness_builders import EXPERT, engagement_book

if TYPE_CHECKING:
    from tests.web.test_role_matrix import Case, Expect, World

API = "/api/v1/willingness"
EVERYONE = frozenset({"seller", "manager", "price_desk", "executive", "admin", "contributor"})
SEES_SELLER = frozenset({"seller", "manager", "price_desk", "executive", "admin"})
ASSESSORS = frozenset({"seller", "manager", "admin"})  # Permission.EDIT_DEALS
ANALYSTS = frozenset({"manager", "price_desk", "executive", "admin"})  # VIEW_ANALYTICS


def booked(world: World, role: str) -> dict[str, Any]:
    """Both teams' accounts and deals, each assessed by its owner, and a reputation book."""
    from valuescout.assessments import willingness_service
    from valuescout.assessments.engagement_schemas import AnswersIn
    from valuescout.identity.service import principal_of

    with world.session_factory() as s:
        made = engagement_book(s, world.org, tag=f" {role}")
        reputation_book(s, world.org, tag=f" {role}")
        for who, account_id, deal_id in (("seller", made.account_a, made.deal_a),
                                          ("seller_b", made.account_b, made.deal_b)):  # fmt: skip
            me = principal_of(world.org.user(who))
            data = AnswersIn(answers=EXPERT)
            willingness_service.assess_account(s, me, account_id, data)
            willingness_service.assess_opportunity(s, me, deal_id, data)
        s.commit()
    return {"account_id": made.account_a, "opp_id": made.deal_a}


def answers(world: World, role: str) -> dict[str, Any]:
    return {"answers": EXPERT}


def answers_form(world: World, role: str) -> dict[str, Any]:
    return {k: str(v) for k, v in EXPERT.items()}


def cases(case: Callable[..., Case], *, expect: type[Expect]) -> list[Case]:
    rows: list[Case] = [
        case("GET", f"{API}/questions", EVERYONE, 200),
        case("POST", f"{API}/score", EVERYONE, 200, body=answers),
        case("GET", f"{API}/portfolio", ANALYSTS, 200, params=booked),
        case("GET", "/assessments/willingness", ANALYSTS, 200, params=booked),
        case("GET", "/api/v1/reputation", ANALYSTS, 200, params=booked),
        case("GET", "/api/v1/reputation/snapshots", ANALYSTS, 200, params=booked),
        case("POST", "/api/v1/reputation/snapshots", ANALYSTS, 201, params=booked,
             body=lambda w, r: {}),
        case("GET", "/assessments/reputation", ANALYSTS, 200, params=booked),
        case("POST", "/assessments/reputation/snapshots", ANALYSTS,
             expect(303, "/assessments/reputation"), params=booked, body=lambda w, r: {}),
    ]  # fmt: skip
    for kind, key in (("accounts", "account_id"), ("opportunities", "opp_id")):
        api_path, page = f"{API}/{kind}/{{{key}}}", f"/{kind}/{{{key}}}/willingness"
        rows += [
            case("GET", api_path, SEES_SELLER, 200, denied=404, params=booked),
            case("GET", page, SEES_SELLER, 200, denied=404, params=booked),
            case("POST", api_path, ASSESSORS, 201, params=booked, body=answers),
            case("POST", page, ASSESSORS, expect(303, f"/{kind}/"), params=booked,
                 body=answers_form),
        ]  # fmt: skip
    return rows
