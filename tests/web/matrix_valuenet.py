"""The role matrix's rows for value networks: their JSON API and their pages.

Everyone signed in reads a network and asks it questions; only admins and managers
(Permission.EDIT_VALUE_NETWORKS) change one. Every row that names a network gets a fresh copy
of the small test network per role (`network_ids`), so each role edits or deletes its own.
`cases()` takes the matrix's own `case` factory, so this module imports nothing from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from tests.factories import TEST_ACTOR
from tests.valuenet.factories import small_spec
from valuescout.valuenet import service as valuenet_service
from valuescout.valuenet.models import Competitor, NetworkLink, Persona
from valuescout.valuenet.repository import nodes_of

if TYPE_CHECKING:
    from tests.web.test_role_matrix import Case, Expect, World

VN = "/api/v1/value-networks"
NET = f"{VN}/{{network_id}}"


def network_ids(world: World, role: str) -> dict[str, int]:
    """A fresh value network per role, so each role edits or deletes its own copy.

    Returns every id a value-network path may need; bodies read them back from the world."""
    with world.session_factory() as s:
        network = valuenet_service.import_as(
            s, TEST_ACTOR, small_spec(f"Matrix {role} {len(world.networks)}")
        )
        nodes = {n.name: n.id for n in nodes_of(s, network.id)}
        link = s.scalars(
            select(NetworkLink).where(
                NetworkLink.network_id == network.id,
                NetworkLink.target_id == nodes["Calmer nights"],
            )
        ).one()
        persona = s.scalars(
            select(Persona).where(Persona.network_id == network.id, Persona.name == "Plant manager")
        ).one()
        competitor = s.scalars(select(Competitor).where(Competitor.network_id == network.id)).one()
        ids = {
            "network_id": network.id,
            "node_id": nodes["Calmer nights"],
            "outcome_id": nodes["Higher output"],  # the persona already wants it
            "differentiator_id": nodes["4-hour service"],
            "link_id": link.id,
            "persona_id": persona.id,
            "competitor_id": competitor.id,
        }
        s.commit()
    world.networks[role] = ids
    return ids


def new_link_json(world: World, role: str) -> dict[str, Any]:
    ids = world.networks[role]  # 4-hour service -> Calmer nights is not linked yet
    return {"source_id": ids["differentiator_id"], "target_id": ids["node_id"]}


def network_file(role: str) -> str:
    return (
        "format: valuescout.value-network/1\n"
        f"name: Imported {role}\n"
        "offer: {name: Offer}\n"
        "differentiators: [{name: D}]\n"
    )


def import_form(world: World, role: str) -> dict[str, Any]:
    return {"content": network_file(role), "file_format": "yaml"}


def cases(
    case: Callable[..., Case],
    *,
    everyone: frozenset[str],
    editors: frozenset[str],
    to_network: Expect,
) -> list[Case]:
    return [
        # Value networks: everyone signed in reads; admins and managers change.
        case("GET", VN, everyone, 200),
        case(
            "POST",
            VN,
            editors,
            201,
            body=lambda w, r: {"name": f"New {r}", "offer_name": "Offer"},
        ),
        case("GET", NET, everyone, 200, params=network_ids),
        case(
            "PATCH", NET, editors, 200, params=network_ids, body=lambda w, r: {"description": "x"}
        ),
        case("DELETE", NET, editors, 204, params=network_ids),
        case(
            "POST",
            f"{NET}/nodes",
            editors,
            201,
            params=network_ids,
            body=lambda w, r: {"node_type": "outcome", "name": "Brand new outcome"},
        ),
        case(
            "PATCH",
            f"{NET}/nodes/{{node_id}}",
            editors,
            200,
            params=network_ids,
            body=lambda w, r: {"description": "x"},
        ),
        case("DELETE", f"{NET}/nodes/{{node_id}}", editors, 204, params=network_ids),
        case("POST", f"{NET}/links", editors, 201, params=network_ids, body=new_link_json),
        case(
            "PATCH",
            f"{NET}/links/{{link_id}}",
            editors,
            200,
            params=network_ids,
            body=lambda w, r: {"rationale": "because"},
        ),
        case("DELETE", f"{NET}/links/{{link_id}}", editors, 204, params=network_ids),
        case(
            "POST",
            f"{NET}/personas",
            editors,
            201,
            params=network_ids,
            body=lambda w, r: {"name": "New persona"},
        ),
        case(
            "PATCH",
            f"{NET}/personas/{{persona_id}}",
            editors,
            200,
            params=network_ids,
            body=lambda w, r: {"description": "x"},
        ),
        case("DELETE", f"{NET}/personas/{{persona_id}}", editors, 204, params=network_ids),
        case(
            "PUT",
            f"{NET}/personas/{{persona_id}}/outcomes/{{outcome_id}}",
            editors,
            200,
            params=network_ids,
            body=lambda w, r: {"strength": "secondary"},
        ),
        case(
            "DELETE",
            f"{NET}/personas/{{persona_id}}/outcomes/{{outcome_id}}",
            editors,
            204,
            params=network_ids,
        ),
        case(
            "POST",
            f"{NET}/competitors",
            editors,
            201,
            params=network_ids,
            body=lambda w, r: {"name": "New rival"},
        ),
        case(
            "PATCH",
            f"{NET}/competitors/{{competitor_id}}",
            editors,
            200,
            params=network_ids,
            body=lambda w, r: {"description": "x"},
        ),
        case("DELETE", f"{NET}/competitors/{{competitor_id}}", editors, 204, params=network_ids),
        case(
            "PUT",
            f"{NET}/competitors/{{competitor_id}}/matches/{{differentiator_id}}",
            editors,
            200,
            params=network_ids,
            body=lambda w, r: {"match": "partly"},
        ),
        # Files and graph questions: importing changes data; everything else only reads.
        case(
            "POST",
            "/api/v1/value-network-imports",
            editors,
            201,
            body=lambda w, r: {"format": "yaml", "content": network_file(r)},
        ),
        case("GET", f"{NET}/export", everyone, 200, params=network_ids, query={"format": "dot"}),
        case("GET", f"{NET}/chains", everyone, 200, params=network_ids),
        case("GET", f"{NET}/loops", everyone, 200, params=network_ids),
        case("GET", f"{NET}/lint", everyone, 200, params=network_ids),
        case("GET", f"{NET}/coverage", everyone, 200, params=network_ids),
        case(
            "GET",
            f"{NET}/persona-view",
            everyone,
            200,
            params=network_ids,
            query={"persona": "Plant manager"},
        ),
        case("GET", f"{NET}/executive-conversations", everyone, 200, params=network_ids),
        case(
            "GET",
            f"{NET}/positioning",
            everyone,
            200,
            params=network_ids,
            query={"competitor": "Hydrix"},
        ),
        case(
            "POST",
            f"{NET}/overlap",
            everyone,
            200,
            params=network_ids,
            body=lambda w, r: {"outcomes": ["Less downtime", "Elsewhere"]},
        ),
        case(
            "GET",
            f"{NET}/messages",
            everyone,
            200,
            params=network_ids,
            query={"persona": "Plant manager", "competitor": "Hydrix"},
        ),
        case("GET", "/value-networks", everyone, 200),
        case(
            "POST",
            "/value-networks",
            editors,
            to_network,
            body=lambda w, r: {"name": f"New {r}", "offer_name": "Offer", "offer_kind": "product"},
        ),
        case("POST", "/value-networks/import", editors, to_network, body=import_form),
        case("GET", "/value-networks/{network_id}", everyone, 200, params=network_ids),
        case(
            "GET",
            "/value-networks/{network_id}/personas/{persona_id}",
            everyone,
            200,
            params=network_ids,
        ),
    ]
