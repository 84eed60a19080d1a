"""The role matrix's rows for value-scout discoveries (JSON API and pages).

Everyone signed in logs discoveries, lists their own and reads a network's customer voices.
Reviewing is for editors of the value network (Permission.EDIT_VALUE_NETWORKS: manager,
admin); the product-ideas list for editors and analytics readers (manager, price desk,
executive, admin). A discovery is seen by whoever logged it and by editors; anyone else gets
404. Rows on one discovery use a fresh one per role logged by the seller (in the manager's
team), and the leak check holds editors to names in their own scope. `cases()` takes the
matrix's own `case` factory and `Expect`, so this module imports nothing from it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from tests.deals.test_service_builders import principal
from tests.valuenet.factories import small_spec
from valuescout.discoveries import service
from valuescout.discoveries.schemas import DiscoveryIn
from valuescout.valuenet import service as networks

if TYPE_CHECKING:
    from tests.web.test_role_matrix import Case, Expect, World

API = "/api/v1/discoveries"
EVERYONE = frozenset({"seller", "manager", "price_desk", "executive", "admin", "contributor"})
EDITORS = frozenset({"manager", "admin"})
IDEA_READERS = frozenset({"manager", "price_desk", "executive", "admin"})
SEES_SELLERS = frozenset({"seller", "manager", "admin"})  # the reporter and the editors


def _log(world: World, who: str, role: str, outcome: str) -> int:
    with world.session_factory() as s:
        row = service.log_discovery(
            s,
            principal(s, world.org.user(who)),
            DiscoveryIn(customer_name=f"Customer of {role}", situation="Slow audits.",
                        desired_outcome=outcome),
        )  # fmt: skip
        s.commit()
        return row.id


def sellers_discovery(world: World, role: str) -> dict[str, int]:
    """A new discovery the seller logged, and one by the contributor in the lists."""
    _log(world, "contributor", role, f"Contributor's gap {role}")
    return {"discovery_id": _log(world, "seller", role, f"Faster audits {role}")}


def a_network(world: World, role: str) -> dict[str, int]:
    from tests.factories import TEST_ACTOR

    with world.session_factory() as s:
        network = networks.import_as(s, TEST_ACTOR, small_spec(f"Voices {role}"))
        s.commit()
        return {"network_id": network.id}


def log_json(world: World, role: str) -> dict[str, Any]:
    return {"customer_name": f"Harbour {role}", "situation": "Doors left open.",
            "desired_outcome": "Lower energy use"}  # fmt: skip


def decline_json(world: World, role: str) -> dict[str, Any]:
    return {"action": "decline", "decline_reason": "not_a_gap", "note": f"matrix {role}"}


def cases(case: Callable[..., Case], *, expect: type[Expect]) -> list[Case]:
    def hidden(row: Case) -> Case:
        """Someone else's discovery is not found for those who are not editors."""
        others = {r: expect(404) for r in EVERYONE - SEES_SELLERS}
        return replace(row, expect={**row.expect, **others})

    rows: list[Case] = [
        case("POST", API, EVERYONE, 201, body=log_json),
        case("GET", API, EVERYONE, 200, params=sellers_discovery),
        # The queue names only people in the editor's scope (the contributor's is nameless).
        case(
            "GET",
            API,
            EDITORS,
            200,
            params=sellers_discovery,
            label="the review queue",
            query={"status": "new"},
        ),
        case("GET", f"{API}/ideas", IDEA_READERS, 200, params=sellers_discovery),
        case("GET", f"{API}/networks/{{network_id}}", EVERYONE, 200, params=a_network),
        hidden(case("GET", f"{API}/{{discovery_id}}", SEES_SELLERS, 200, params=sellers_discovery)),
        case(
            "POST",
            f"{API}/{{discovery_id}}/review",
            EDITORS,
            200,
            params=sellers_discovery,
            body=decline_json,
        ),
        # Pages.
        case("GET", "/discoveries", EVERYONE, 200, params=sellers_discovery),
        case("POST", "/discoveries", EVERYONE, expect(303, "/discoveries/"), body=log_json),
        case("GET", "/discoveries/ideas", IDEA_READERS, 200, params=sellers_discovery),
        case("GET", "/discoveries/ideas.csv", IDEA_READERS, 200, params=sellers_discovery),
        hidden(
            case("GET", "/discoveries/{discovery_id}", SEES_SELLERS, 200, params=sellers_discovery)
        ),
        case(
            "POST",
            "/discoveries/{discovery_id}/review",
            EDITORS,
            expect(303, "/discoveries"),
            params=sellers_discovery,
            body=decline_json,
        ),
        case("GET", "/value-networks/{network_id}/discoveries", EVERYONE, 200, params=a_network),
    ]
    return rows
