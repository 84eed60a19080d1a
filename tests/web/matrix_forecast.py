"""The role matrix's rows for the forecast (JSON API and pages).

Everyone who sees money sees a forecast (Permission.SEE_MONEY): a seller their own deals, a
manager their team's, price desk, executives and admins the company's; contributors are
refused (403). Snapshots are taken by executives and admins
(Permission.TAKE_FORECAST_SNAPSHOTS), quotas set by them too (Permission.SET_QUOTAS). Every
row first books closed history and open deals for both teams (`forecast_book`), so the leak
check sees the owners' names: a manager's or a seller's forecast must name nobody outside
their scope. `cases()` takes the matrix's own `case` factory and `Expect`, so this module
imports nothing from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from tests.forecasting.web_builders import forecast_book, quarters

if TYPE_CHECKING:
    from tests.web.test_role_matrix import Case, Expect, World

API = "/api/v1/forecast"
MONEY = frozenset({"seller", "manager", "price_desk", "executive", "admin"})
SNAPSHOTTERS = frozenset({"executive", "admin"})
QUOTA_SETTERS = frozenset({"executive", "admin"})


def booked(world: World, role: str) -> dict[str, Any]:
    with world.session_factory() as s:
        forecast_book(s, world.org, tag=f" {role}")
        s.commit()
    return {}


def quota_target(world: World, role: str) -> dict[str, Any]:
    booked(world, role)
    return {"team_id": world.org.team_b.id, "period": quarters().current.label}


def sellers_open_deal(world: World, role: str) -> dict[str, Any]:
    """The seller's open deal and its account, in a freshly booked history."""
    from sqlalchemy import select

    from valuescout.deals.models import Opportunity

    booked(world, role)
    with world.session_factory() as s:
        opp = s.scalar(select(Opportunity).where(Opportunity.name == f"Big A {role}"))
        assert opp is not None and opp.account_id is not None
        return {"opp_id": opp.id, "account_id": opp.account_id}


def this_quarter(world: World, role: str) -> dict[str, Any]:
    return {"period": quarters().current.label}


def cases(case: Callable[..., Case], *, expect: type[Expect]) -> list[Case]:
    rows: list[Case] = [
        case("GET", path, MONEY, 200, params=booked)
        for path in (API, f"{API}/accuracy", f"{API}/snapshots", "/forecast", "/forecast/accuracy")
    ]
    rows += [
        case("POST", f"{API}/snapshots", SNAPSHOTTERS, 201, params=booked, body=this_quarter),
        case(
            "PUT",
            f"{API}/quotas/{{team_id}}/{{period}}",
            QUOTA_SETTERS,
            200,
            params=quota_target,
            body=lambda w, r: {"amount": "25000"},
        ),
        case(
            "POST",
            "/forecast/snapshots",
            SNAPSHOTTERS,
            expect(303, "/forecast"),
            params=booked,
            body=this_quarter,
        ),
    ]
    # The scorecard panels: whoever sees the seller's deal or account; the contributor does not
    # (not found). Probabilities show only to those who see money (checked in the page tests).
    sees_deal = frozenset({"seller", "manager", "price_desk", "executive", "admin"})
    for path in ("/opportunities/{opp_id}/scores/panel", "/accounts/{account_id}/scores/panel"):
        rows.append(case("GET", path, sees_deal, 200, denied=404, params=sellers_open_deal))
    return rows
