"""The role matrix's rows for RFP engagement (JSON API and pages).

RFPs follow their deal: rows on one deal or one RFP use a fresh deal of the seller's per role
with one RFP on it. The seller, their manager and the admin record and change RFPs
(Permission.EDIT_DEALS in scope); price desk and executive read them but are refused changes
(403); the contributor, who owns no deal, gets 404. Everyone lists the RFPs in their scope;
the analysis shows deal amounts, so contributors are refused it (403). `cases()` takes the
matrix's own `case` factory and `Expect`, so this module imports nothing from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from tests.deals.test_service_builders import principal, seeded_deal, unique
from valuescout.rfp import service
from valuescout.rfp.schemas import RfpIn

if TYPE_CHECKING:
    from tests.web.test_role_matrix import Case, Expect, World

API = "/api/v1/rfps"
EVERYONE = frozenset({"seller", "manager", "price_desk", "executive", "admin", "contributor"})
MONEY = EVERYONE - {"contributor"}
DEAL_EDITORS = frozenset({"seller", "manager", "admin"})
DEAL_VIEWERS = MONEY


def sellers_rfp(world: World, role: str) -> dict[str, int]:
    """A fresh deal of the seller's with one RFP, and one on seller_b's deal for the lists."""
    ids: dict[str, int] = {}
    for owner in ("seller_b", "seller"):
        built = seeded_deal(world.session_factory, world.org.user(owner),
                            name=unique(f"RFP deal {role}"))  # fmt: skip
        with world.session_factory() as s:
            row = service.create_rfp(
                s, principal(s, world.org.user(owner)), built.opp_id,
                RfpIn(engagement_class="known", received_on=date(2026, 1, 5)),
            )  # fmt: skip
            s.commit()
            ids = {"opp_id": built.opp_id, "rfp_id": row.id}
    return ids


def rfp_json(world: World, role: str) -> dict[str, Any]:
    return {"engagement_class": "shaped", "received_on": "2026-02-01", "outcome": "pending"}


def rfp_form(world: World, role: str) -> dict[str, Any]:
    return {**rfp_json(world, role), "competitors_responding": "3"}


def cases(case: Callable[..., Case], *, expect: type[Expect]) -> list[Case]:
    def hidden(row: Case) -> Case:
        return replace(row, expect={**row.expect, "contributor": expect(404)})

    def on_deal(method: str, path: str, allowed: frozenset[str], ok: Any, **kw: Any) -> Case:
        return hidden(case(method, path, allowed, ok, params=sellers_rfp, **kw))

    return [
        case("GET", API, EVERYONE, 200, params=sellers_rfp),
        case("GET", f"{API}/analysis", MONEY, 200, params=sellers_rfp),
        on_deal("GET", f"{API}/opportunities/{{opp_id}}", DEAL_VIEWERS, 200),
        on_deal("POST", f"{API}/opportunities/{{opp_id}}", DEAL_EDITORS, 201, body=rfp_json),
        on_deal("GET", f"{API}/records/{{rfp_id}}", DEAL_VIEWERS, 200),
        on_deal("PUT", f"{API}/records/{{rfp_id}}", DEAL_EDITORS, 200, body=rfp_json),
        on_deal("DELETE", f"{API}/records/{{rfp_id}}", DEAL_EDITORS, 204),
        # Pages.
        case("GET", "/rfps", EVERYONE, 200, params=sellers_rfp),
        on_deal("GET", "/opportunities/{opp_id}/rfps", DEAL_VIEWERS, 200),
        on_deal(
            "POST",
            "/opportunities/{opp_id}/rfps",
            DEAL_EDITORS,
            expect(303, "/opportunities/"),
            body=rfp_form,
        ),
        on_deal("GET", "/rfps/{rfp_id}", DEAL_VIEWERS, 200),
        on_deal(
            "POST", "/rfps/{rfp_id}", DEAL_EDITORS, expect(303, "/opportunities/"), body=rfp_form
        ),
        on_deal("POST", "/rfps/{rfp_id}/delete", DEAL_EDITORS, expect(303, "/opportunities/")),
    ]
