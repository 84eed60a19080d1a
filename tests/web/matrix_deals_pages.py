"""The role matrix's rows for the deals pages: pipeline, opportunities, accounts, buying team,
value case editor and the customer's business case.

Every row that names a deal gets a fresh deal per role, owned by the seller (team West A), with
an account, a contact and a value case: the seller, their manager, price desk, executive and
admin see it; the contributor (who owns nothing) gets "not found". Changing needs
Permission.EDIT_DEALS as well: price desk and executive are refused (403). The business case
needs money too: on a deal the contributor owns, the contributor is refused (403).
`cases()` takes the matrix's own `case` factory and `Expect`, so this module imports nothing
from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from itertools import count
from typing import TYPE_CHECKING, Any

from tests.deals.test_pages import Deal, principal_of, seed_deal
from valuescout.deals.pages_import import stage

if TYPE_CHECKING:
    from tests.web.test_role_matrix import Case, Expect, World

_seq = count(1)
_deals: dict[tuple[int, str], Deal] = {}  # (id of the world, role) -> the role's deal

DEAL_EDITORS = frozenset({"seller", "manager", "admin"})  # Permission.EDIT_DEALS
DEAL_VIEWERS = frozenset({"seller", "manager", "price_desk", "executive", "admin"})
OPP = "/opportunities/{opp_id}"
ACCOUNT = "/accounts/{account_id}"


def _ids(deal: Deal) -> dict[str, int]:
    return {
        "opp_id": deal.opp_id,
        "account_id": deal.account_id,
        "contact_id": deal.contact_id,
    }


def sellers_deal(world: World, role: str) -> dict[str, int]:
    """A fresh deal owned by the seller, for this role to look at or change."""
    deal = seed_deal(
        world.session_factory,
        world.org.user("seller"),
        name=f"Matrix deal {role}",
        account=f"Matrix account {role} {next(_seq)}",
    )
    _deals[(id(world), role)] = deal
    return _ids(deal)


def contributors_deal(world: World, role: str) -> dict[str, int]:
    """A deal the contributor owns (an admin gave it to them)."""
    deal = seed_deal(
        world.session_factory,
        world.org.user("contributor"),
        admin=world.org.user("admin"),
        name=f"Contributor deal {role}",
        account=f"Contributor account {role} {next(_seq)}",
    )
    return _ids(deal)


def deal_form(world: World, role: str) -> dict[str, Any]:
    deal = _deals[(id(world), role)]
    return {
        "name": f"Renamed by {role}",
        "account_id": str(deal.account_id),
        "stage_id": "2",
        "amount": "260000",
        "alternative_kind": "competitor",
        "alternative_name": "Rival Corp",
    }


def value_case_form(world: World, role: str) -> dict[str, Any]:
    deal = _deals[(id(world), role)]
    form = {"discount_rate": "10", "target_share": "50", "assumptions": "", "internal_notes": ""}
    for i, outcome_id in enumerate(deal.outcome_ids):
        form |= {
            f"o-{i}-id": str(outcome_id),
            f"o-{i}-name": f"Outcome {i}",
            f"o-{i}-yearly_value": "1000",
            f"o-{i}-years": "1",
            f"o-{i}-confidence": "80",
        }
    return form


def contact_form(world: World, role: str) -> dict[str, Any]:
    return {"name": f"Contact of {role}", "buying_role": "champion", "is_ally": "1"}


def new_account_form(world: World, role: str) -> dict[str, Any]:
    return {"name": f"New account {role} {next(_seq)}", "employees": "10"}


def new_opportunity_form(world: World, role: str) -> dict[str, Any]:
    return {"name": f"New deal {role}", "amount": "1000", "deal_type": "new"}


IMPORT_CSV = (
    "external_id,name,stage,amount,close_date,account,owner\n"
    "M-{n},Matrix import {n},Prospecting,1200,2027-01-31,Matrix import co,admin@example.com\n"
)
IMPORT_OPTIONS = {"preset": "generic", "encoding": "utf-8", "create_missing": True}
IMPORT_OPTIONS |= {"skip_invalid": False, "mapping": "", "mapping_name": ""}


def import_form(world: World, role: str) -> dict[str, Any]:
    return {"preset": "generic", "create_missing": "1", "content": IMPORT_CSV.format(n=role)}


def staged_import(world: World, role: str) -> dict[str, Any]:
    """An import this role previewed: its files wait for the commit under a token."""
    with world.session_factory() as s:
        principal = principal_of(s, world.user(role))
    csv = IMPORT_CSV.format(n=f"{role}-{next(_seq)}").encode()
    token = stage(world.app.state.settings, principal, [("deals.csv", csv)], IMPORT_OPTIONS)
    return {"token": token}


def cases(
    case: Callable[..., Case],
    *,
    everyone: frozenset[str],
    sees_all: frozenset[str],
    expect: type[Expect],
) -> list[Case]:
    def hidden_from_contributor(row: Case) -> Case:
        """Refused roles get 403, except the contributor, who cannot see the deal at all."""
        return replace(row, expect={**row.expect, "contributor": expect(404)})

    def change(path: str, body: Callable[[World, str], dict[str, Any]], to: str) -> Case:
        row = case("POST", path, DEAL_EDITORS, expect(303, to), params=sellers_deal, body=body)
        return hidden_from_contributor(row)

    def money_needed(row: Case) -> Case:
        """Money is needed too: the contributor is refused even on a deal of their own."""
        return replace(row, expect={**row.expect, "contributor": expect(403)})

    to_deal, to_account = expect(303, "/opportunities/"), expect(303, "/accounts/")
    return [
        case("GET", "/pipeline", everyone, 200),
        case("GET", "/accounts", everyone, 200),
        case("GET", "/accounts/options", DEAL_EDITORS, 200, query={"account_q": "a"}),
        case("POST", "/accounts", DEAL_EDITORS, to_account, body=new_account_form),
        case("GET", ACCOUNT, DEAL_VIEWERS, 200, denied=404, params=sellers_deal),
        change(f"{ACCOUNT}/contacts", contact_form, "/accounts/"),
        change(f"{ACCOUNT}/contacts/{{contact_id}}", contact_form, "/accounts/"),
        case("GET", "/opportunities/new", DEAL_EDITORS, 200),
        case("POST", "/opportunities", DEAL_EDITORS, to_deal, body=new_opportunity_form),
        case("GET", OPP, DEAL_VIEWERS, 200, denied=404, params=sellers_deal),
        change(OPP, deal_form, "/opportunities/"),
        change(f"{OPP}/lines", lambda w, r: {"line_count": "0"}, "/opportunities/"),
        change(f"{OPP}/contacts", contact_form, "/opportunities/"),
        change(f"{OPP}/contacts/{{contact_id}}", contact_form, "/opportunities/"),
        change(f"{OPP}/value-case/start", lambda w, r: {}, "/opportunities/"),
        change(f"{OPP}/value-case", value_case_form, "/opportunities/"),
        case(
            "POST",
            f"{OPP}/value-case/preview",
            DEAL_VIEWERS,
            200,
            denied=404,
            params=sellers_deal,
            body=value_case_form,
        ),
        case("GET", f"{OPP}/business-case", DEAL_VIEWERS, 200, denied=404, params=sellers_deal),
        case("GET", f"{OPP}/business-case.pdf", DEAL_VIEWERS, 200, denied=404, params=sellers_deal),
        money_needed(
            case(
                "GET",
                f"{OPP}/business-case",
                sees_all,
                200,
                denied=404,
                params=contributors_deal,
                label="contributor's own deal",
            )
        ),
        # Importing creates records for others: administrators only.
        case("GET", "/deals/import", frozenset({"admin"}), 200),
        case("POST", "/deals/import", frozenset({"admin"}), 200, body=import_form),
        case(
            "POST",
            "/deals/import/commit",
            frozenset({"admin"}),
            expect(303, "/pipeline"),
            body=staged_import,
        ),
    ]
