"""The role matrix's rows for the deals JSON API: opportunities, lines, value cases, accounts,
contacts, and the company's stages, settings and products.

Every row that names a deal record gets a fresh deal per role (`sellers_deal`): owned by the
seller (team West A), with an account, a contact and a value case with one outcome. The seller,
their manager and the admin read and change it (Permission.EDIT_DEALS); price desk and executive
read it but are refused changes (403); the contributor, who owns nothing, gets "not found".
Rows on a deal of seller_b (team West B) check that callers who cannot see a record get 404
whatever they may do elsewhere; rows on a deal an admin gave the contributor check that the
contributor sees their own. Lists are seeded with deals of several owners, so the leak check has
something to find. Stages, settings and products: everyone reads, only admins change
(Permission.CONFIGURE_DEALS). `cases()` takes the matrix's own `case` factory and `Expect`, so
this module imports nothing from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tests.deals.test_service_builders import Built, make_product, principal, seeded_deal, unique
from valuescout.deals import accounts, setup
from valuescout.deals.account_schemas import AccountIn

if TYPE_CHECKING:
    from tests.web.test_role_matrix import Case, Expect, World

_built: dict[tuple[int, str], Built] = {}  # (id of the world, role) -> the role's fresh deal

API = "/api/v1"
OPP = f"{API}/opportunities/{{opp_id}}"
CASE = f"{OPP}/value-case"
OUTCOME = f"{CASE}/outcomes/{{outcome_id}}"
ACCOUNT = f"{API}/accounts/{{account_id}}"
CONTACT = f"{API}/contacts/{{contact_id}}"
PRODUCT = f"{API}/products/{{product_id}}"

DEAL_EDITORS = frozenset({"seller", "manager", "admin"})  # Permission.EDIT_DEALS
DEAL_VIEWERS = frozenset({"seller", "manager", "price_desk", "executive", "admin"})
SEES_ALL = frozenset({"price_desk", "executive", "admin"})
ADMIN = frozenset({"admin"})


def _ids(built: Built) -> dict[str, int]:
    ids = {"opp_id": built.opp_id, "account_id": built.account_id, "contact_id": built.contact_id}
    if built.outcome_id is not None:
        ids["outcome_id"] = built.outcome_id
    return ids


def deal_of(owner: str, *, by: str | None = None) -> Callable[[World, str], dict[str, int]]:
    """Params: a fresh deal owned by `owner` (made by `by`, default the owner), per role."""

    def params(world: World, role: str) -> dict[str, int]:
        built = seeded_deal(
            world.session_factory,
            world.org.user(owner),
            by=world.org.user(by or owner),
            name=unique(f"Matrix deal {role}"),
        )
        _built[(id(world), role)] = built
        return _ids(built)

    return params


sellers_deal = deal_of("seller")
seller_bs_deal = deal_of("seller_b")
contributors_deal = deal_of("contributor", by="admin")


def sellers_account(world: World, role: str) -> dict[str, int]:
    """An account of the seller's with no deals (so it may be deleted)."""
    with world.session_factory() as s:
        seller = world.org.user("seller")
        account = accounts.create_account(
            s, principal(s, seller), AccountIn(name=unique(f"Bare account {role}"))
        )
        s.commit()
        return {"account_id": account.id}


def everyones_deals(world: World, role: str) -> dict[str, int]:
    """Deals of the seller, seller_b, the manager and the contributor, for the lists."""
    for owner, by in (
        ("seller", "seller"),
        ("seller_b", "seller_b"),
        ("manager", "manager"),
        ("contributor", "admin"),
    ):
        seeded_deal(
            world.session_factory,
            world.org.user(owner),
            by=world.org.user(by),
            name=unique(f"Listed deal of {owner}"),
        )
    return {}


def a_product(world: World, role: str) -> dict[str, int]:
    with world.session_factory() as s:
        product_id = make_product(s, world.org.user("admin"), name=unique(f"Matrix product {role}"))
        s.commit()
    return {"product_id": product_id}


def lines_json(world: World, role: str) -> dict[str, Any]:
    with world.session_factory() as s:
        product_id = make_product(s, world.org.user("admin"), name=unique(f"Line product {role}"))
        s.commit()
    return {"lines": [{"product_id": product_id, "quantity": "2", "net_price": "900"}]}


def stages_json(world: World, role: str) -> dict[str, Any]:
    """The stage list as it is, with the first stage renamed."""
    with world.session_factory() as s:
        stages = setup.stages(s)
        items = [
            {
                "id": st.id,
                "name": st.name,
                "probability": str(st.probability),
                "outcome": st.outcome,
            }
            for st in stages
        ]
    items[0]["name"] = f"First contact {role}"
    return {"stages": items}


def product_json(world: World, role: str) -> dict[str, Any]:
    return {"name": unique(f"Product by {role}"), "list_price": "100", "unit_cost": "40"}


def outcome_json(world: World, role: str) -> dict[str, Any]:
    return {"name": "Faster ramp", "yearly_value": "24000", "confidence": "0.8"}


def cases(
    case: Callable[..., Case],
    *,
    everyone: frozenset[str],
    expect: type[Expect],
) -> list[Case]:
    def hidden_from_contributor(row: Case) -> Case:
        """The contributor, who owns nothing, cannot see the seller's records at all."""
        return replace(row, expect={**row.expect, "contributor": expect(404)})

    def on_sellers_deal(
        method: str,
        path: str,
        allowed: frozenset[str],
        ok: int,
        body: Callable[[World, str], dict[str, Any]] | None = None,
    ) -> Case:
        """Price desk and executive are refused changes (403); the contributor cannot see the
        deal at all (404)."""
        return hidden_from_contributor(
            case(method, path, allowed, ok, params=sellers_deal, body=body)
        )

    def on_seller_bs_deal(
        method: str,
        path: str,
        ok: int,
        body: Callable[[World, str], dict[str, Any]] | None = None,
        *,
        allowed: frozenset[str] = SEES_ALL,
    ) -> Case:
        """Team West B's deal: the seller, manager and contributor of the matrix cannot see it."""
        row = case(
            method,
            path,
            allowed,
            ok,
            denied=404,
            params=seller_bs_deal,
            body=body,
            label="team B seller's",
        )
        if allowed == SEES_ALL:
            return row
        # A change: those who see the deal but may not change it are refused (403).
        return replace(
            row, expect={**row.expect, "price_desk": expect(403), "executive": expect(403)}
        )

    def on_contributors_deal(path: str) -> Case:
        """The contributor sees a deal of their own (without money); team A does not."""
        return case(
            "GET",
            path,
            SEES_ALL | {"contributor"},
            200,
            denied=404,
            params=contributors_deal,
            label="contributor's own",
        )

    return [
        # --- opportunities -------------------------------------------------------------------
        case("GET", f"{API}/opportunities", everyone, 200, params=everyones_deals),
        case(
            "POST",
            f"{API}/opportunities",
            DEAL_EDITORS,
            201,
            body=lambda w, r: {"name": f"New deal {r}", "amount": "1000"},
        ),
        on_sellers_deal("GET", OPP, DEAL_VIEWERS, 200),
        on_sellers_deal(
            "PATCH", OPP, DEAL_EDITORS, 200, body=lambda w, r: {"name": f"Renamed by {r}"}
        ),
        on_sellers_deal("PUT", f"{OPP}/lines", DEAL_EDITORS, 200, body=lines_json),
        on_sellers_deal("DELETE", OPP, DEAL_EDITORS, 204),
        on_seller_bs_deal("GET", OPP, 200),
        on_seller_bs_deal(
            "PATCH",
            OPP,
            200,
            body=lambda w, r: {"name": f"Renamed by {r}"},
            allowed=ADMIN,
        ),
        on_seller_bs_deal("DELETE", OPP, 204, allowed=ADMIN),
        on_contributors_deal(OPP),
        # --- value cases ---------------------------------------------------------------------
        on_sellers_deal("GET", CASE, DEAL_VIEWERS, 200),
        on_sellers_deal("POST", CASE, DEAL_EDITORS, 200),
        on_sellers_deal(
            "PATCH", CASE, DEAL_EDITORS, 200, body=lambda w, r: {"assumptions": f"By {r}"}
        ),
        on_sellers_deal("POST", f"{CASE}/outcomes", DEAL_EDITORS, 201, body=outcome_json),
        on_sellers_deal(
            "PATCH", OUTCOME, DEAL_EDITORS, 200, body=lambda w, r: {"state": "discussed"}
        ),
        on_sellers_deal("DELETE", OUTCOME, DEAL_EDITORS, 200),
        on_sellers_deal(
            "POST",
            f"{CASE}/preview",
            DEAL_VIEWERS,
            200,
            body=lambda w, r: {"outcomes": [outcome_json(w, r)]},
        ),
        on_seller_bs_deal("GET", CASE, 200),
        on_seller_bs_deal("POST", f"{CASE}/outcomes", 201, body=outcome_json, allowed=ADMIN),
        on_contributors_deal(CASE),
        # --- accounts and contacts -----------------------------------------------------------
        case("GET", f"{API}/accounts", everyone, 200, params=everyones_deals),
        case(
            "POST",
            f"{API}/accounts",
            DEAL_EDITORS,
            201,
            body=lambda w, r: {"name": unique(f"New account {r}"), "annual_revenue": "10"},
        ),
        on_sellers_deal("GET", ACCOUNT, DEAL_VIEWERS, 200),
        on_sellers_deal(
            "PATCH", ACCOUNT, DEAL_EDITORS, 200, body=lambda w, r: {"industry": f"Set by {r}"}
        ),
        hidden_from_contributor(case("DELETE", ACCOUNT, DEAL_EDITORS, 204, params=sellers_account)),
        on_sellers_deal(
            "POST",
            f"{ACCOUNT}/contacts",
            DEAL_EDITORS,
            201,
            body=lambda w, r: {"name": f"Contact of {r}", "buying_role": "champion"},
        ),
        on_sellers_deal(
            "PATCH", CONTACT, DEAL_EDITORS, 200, body=lambda w, r: {"title": f"Set by {r}"}
        ),
        on_sellers_deal("DELETE", CONTACT, DEAL_EDITORS, 204),
        on_seller_bs_deal("GET", ACCOUNT, 200),
        on_seller_bs_deal(
            "PATCH", CONTACT, 200, body=lambda w, r: {"title": f"Set by {r}"}, allowed=ADMIN
        ),
        on_contributors_deal(ACCOUNT),
        # --- configuration: everyone reads, admins change ------------------------------------
        case("GET", f"{API}/deal-stages", everyone, 200),
        case("PUT", f"{API}/deal-stages", ADMIN, 200, body=stages_json),
        case("GET", f"{API}/deal-settings", everyone, 200),
        case(
            "PATCH",
            f"{API}/deal-settings",
            ADMIN,
            200,
            body=lambda w, r: {"margin_floor": "0.3"},
        ),
        case("GET", f"{API}/products", everyone, 200, params=a_product),
        case("POST", f"{API}/products", ADMIN, 201, body=product_json),
        case("PUT", PRODUCT, ADMIN, 200, params=a_product, body=product_json),
    ]
