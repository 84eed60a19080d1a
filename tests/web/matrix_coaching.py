"""The role matrix's rows for coaching (JSON API and pages).

Coaches (Permission.COACH_SELLERS: the manager for their team, admins for anyone) record
sessions; everyone but contributors reads sessions in their row scope (a seller their own;
contributors 403); the seller of a session and coaches tick its actions; the effectiveness
view is for coaches and analysts (manager, price desk, executive, admin). Each row first has
the manager coach the seller (West A) and the admin coach seller_b (West B), so the leak check
sees both: a seller must not see seller_b's session, nor a manager the admin's or seller_b's.
`cases()` takes the matrix's own `case` factory and `Expect`, so this module imports nothing
from it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.web.test_role_matrix import Case, Expect, World

API = "/api/v1/coaching"
READERS = frozenset({"seller", "manager", "price_desk", "executive", "admin"})
COACHES = frozenset({"manager", "admin"})
TICKERS = frozenset({"seller", "manager", "admin"})  # the seller's own, the coaches in scope
ANALYSTS = frozenset({"manager", "price_desk", "executive", "admin"})


def sessions(world: World, role: str) -> dict[str, Any]:
    """The seller's session (by the manager) and seller_b's (by the admin)."""
    from tests.conversations.coaching_builders import record

    with world.session_factory() as s:
        mine = record(s, world.org)
        record(s, world.org, coach="admin", seller="seller_b")
        s.commit()
    return {"session_id": mine.id, "action_id": mine.actions[0].id}


def new_session(world: World, role: str) -> dict[str, Any]:
    today = date.today()
    return {
        "seller_id": world.org.user("seller").id,
        "held_on": str(today - timedelta(days=1)),
        "focus": "offering_insights",
        "notes": f"matrix {role}",
        "actions": [{"text": "Bring one benchmark", "due_on": str(today + timedelta(days=3))}],
    }


def new_session_form(world: World, role: str) -> dict[str, Any]:
    sent = new_session(world, role)
    return {
        "seller_id": str(sent["seller_id"]),
        "held_on": sent["held_on"],
        "focus": sent["focus"],
        "notes": sent["notes"],
        "action_0": "Bring one benchmark",
        "action_0_due": sent["actions"][0]["due_on"],
    }


def cases(case: Callable[..., Case], *, expect: type[Expect]) -> list[Case]:
    one = f"{API}/sessions/{{session_id}}"
    return [
        case("GET", f"{API}/sessions", READERS, 200, params=sessions),
        case("POST", f"{API}/sessions", COACHES, 201, params=sessions, body=new_session),
        case("GET", one, READERS, 200, params=sessions),
        case("GET", f"{one}/effect", READERS, 200, params=sessions),
        case(
            "PUT",
            f"{API}/actions/{{action_id}}/done",
            TICKERS,
            200,
            params=sessions,
            body=lambda w, r: {"done": True},
        ),
        case("GET", f"{API}/effectiveness", ANALYSTS, 200, params=sessions),
        case("GET", "/coaching", READERS, 200, params=sessions),
        case(
            "POST",
            "/coaching",
            COACHES,
            expect(303, "/coaching/"),
            params=sessions,
            body=new_session_form,
        ),
        case("GET", "/coaching/effectiveness", ANALYSTS, 200, params=sessions),
        case("GET", "/coaching/{session_id}", READERS, 200, params=sessions),
        case(
            "POST",
            "/coaching/{session_id}/actions/{action_id}",
            TICKERS,
            expect(303, "/coaching/"),
            params=sessions,
            body=lambda w, r: {"done": "true"},
        ),
    ]
