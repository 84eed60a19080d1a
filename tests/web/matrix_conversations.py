"""The role matrix's rows for call plans, the interaction log and value-quality metrics (JSON
API and pages).

- Call plans are working a deal: Permission.EDIT_DEALS on a deal in scope (seller, manager,
  admin); executives and the price desk, who see the deal, are refused (403); the contributor
  does not see it (404). A plan is read by whoever sees its deal; only its author shares it.
- Interactions are logged by everyone customer-facing - all but the price desk (403); the
  contributor logs against any deal by name. They are read within the row scope on the author
  (the seller's: not by the contributor, 404). Metrics and the list: everyone.
- Editing and deleting a plan or an interaction: its author (the seller) or whoever may edit
  the deal (manager, admin); executives and the price desk, who read it, are refused (403);
  the contributor does not see it (404).

Every row works on the seller's own deal (account "CV <role>"), made fresh for the caller, with
a plan and an interaction the seller wrote. `cases()` takes the matrix's own `case` factory and
`Expect`, so this module imports nothing from it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from tests.analytics.deal_builders import account, deal, product
from tests.deals.test_service_builders import principal
from valuescout.conversations import service, service_plans
from valuescout.conversations.schemas import CallPlanIn, InteractionIn
from valuescout.deals.models import Opportunity

if TYPE_CHECKING:
    from tests.web.test_role_matrix import Case, Expect, World

API = "/api/v1"
EVERYONE = frozenset({"seller", "manager", "price_desk", "executive", "admin", "contributor"})
SEES_DEAL = EVERYONE - {"contributor"}
PLANNERS = frozenset({"seller", "manager", "admin"})
LOGGERS = EVERYONE - {"price_desk"}
CHANGERS = PLANNERS  # the seller wrote it; the manager and admin may edit the deal
YESTERDAY = date.today() - timedelta(days=1)


def _deal_id(world: World, role: str) -> int:
    """The seller's deal for this caller, made on first use."""
    name = f"CV deal {role}"
    with world.session_factory() as s:
        found = s.scalar(select(Opportunity.id).where(Opportunity.name == name))
        if found is not None:
            return found
        seller = world.org.user("seller")
        acc = account(s, seller, f"CV {role}", "enterprise")
        opp = deal(
            s, seller, acc, product(s, f"CV pump {role}"), [("1", "900")], outcome="open", name=name
        )
        s.commit()
        return opp.id


def the_deal(world: World, role: str) -> dict[str, Any]:
    return {"opp_id": _deal_id(world, role)}


def a_plan(world: World, role: str) -> dict[str, Any]:
    opp_id = _deal_id(world, role)
    with world.session_factory() as s:
        who = principal(s, world.org.user("seller"))
        plan = service_plans.create_plan(
            s, who, CallPlanIn(opportunity_id=opp_id, meeting_on=YESTERDAY)
        )
        s.commit()
        return {"plan_id": plan.id}


def an_interaction(world: World, role: str) -> dict[str, Any]:
    opp_id = _deal_id(world, role)
    with world.session_factory() as s:
        who = principal(s, world.org.user("seller"))
        data = InteractionIn(opportunity_id=opp_id, occurred_on=YESTERDAY, notes="Met them.")
        row = service.create_interaction(s, who, data, date.today())
        s.commit()
        return {"interaction_id": row.id}


def plan_json(world: World, role: str) -> dict[str, Any]:
    return {"opportunity_id": _deal_id(world, role), "meeting_on": YESTERDAY.isoformat()}


def interaction_json(world: World, role: str) -> dict[str, Any]:
    return {
        "opportunity_id": _deal_id(world, role),
        "occurred_on": YESTERDAY.isoformat(),
        "questions": [{"text": "What does a stop cost you?", "kind": "expansion"}],
    }


def interaction_form(world: World, role: str) -> dict[str, Any]:
    return {
        "opportunity_id": str(_deal_id(world, role)),
        "occurred_on": YESTERDAY.isoformat(),
        "kind": "meeting",
        "question-0-text": "What does a stop cost you?",
        "question-0-kind": "expansion",
        "action": "save",
    }


def plan_form(world: World, role: str) -> dict[str, Any]:
    return {"meeting_on": YESTERDAY.isoformat(), "goal": "Agree the figure"}


def interaction_patch(world: World, role: str) -> dict[str, Any]:
    return {"notes": f"Corrected by {role}."}


def plan_patch(world: World, role: str) -> dict[str, Any]:
    return {"goal": f"Agreed by {role}"}


def cases(case: Callable[..., Case], *, expect: type[Expect]) -> list[Case]:
    def hidden_from_contributor(c: Case) -> Case:
        return dataclasses.replace(c, expect={**c.expect, "contributor": expect(404)})

    plan, interaction = f"{API}/call-plans/{{plan_id}}", f"{API}/interactions/{{interaction_id}}"
    rows = [
        hidden_from_contributor(case("POST", f"{API}/call-plans", PLANNERS, 201, body=plan_json)),
        case("GET", f"{API}/call-plans", EVERYONE, 200),
        case("GET", plan, SEES_DEAL, 200, denied=404, params=a_plan),
        hidden_from_contributor(case("POST", f"{plan}/share", {"seller"}, 200, params=a_plan)),
        hidden_from_contributor(case("PATCH", plan, PLANNERS, 200, params=a_plan, body=plan_patch)),
        hidden_from_contributor(case("DELETE", plan, PLANNERS, 204, params=a_plan)),
        case("POST", f"{API}/interactions", LOGGERS, 201, body=interaction_json),
        case("GET", f"{API}/interactions", EVERYONE, 200),
        hidden_from_contributor(
            case("PATCH", interaction, CHANGERS, 200, params=an_interaction, body=interaction_patch)
        ),
        hidden_from_contributor(case("DELETE", interaction, CHANGERS, 204, params=an_interaction)),
        case("GET", interaction, SEES_DEAL, 200, denied=404, params=an_interaction),
        case(
            "POST",
            f"{API}/interaction-proposals",
            LOGGERS,
            200,
            body=lambda w, r: {"text": "Dana: What would it cost you if nothing changes?"},
        ),
        case("GET", f"{API}/conversations/metrics", EVERYONE, 200),
        # --- pages ---
        case("GET", "/conversations", EVERYONE, 200),
        case("GET", "/conversations/new", LOGGERS, 200),
        case(
            "POST",
            "/conversations/new",
            LOGGERS,
            expect(303, "/conversations/"),
            body=interaction_form,
        ),
        case(
            "GET",
            "/conversations/{interaction_id}",
            SEES_DEAL,
            200,
            denied=404,
            params=an_interaction,
        ),
        hidden_from_contributor(
            case(
                "GET",
                "/conversations/{interaction_id}/edit",
                CHANGERS,
                200,
                params=an_interaction,
            )
        ),
        hidden_from_contributor(
            case(
                "POST",
                "/conversations/{interaction_id}/edit",
                CHANGERS,
                expect(303, "/conversations/"),
                params=an_interaction,
                body=interaction_form,
            )
        ),
        hidden_from_contributor(
            case(
                "POST",
                "/conversations/{interaction_id}/delete",
                CHANGERS,
                expect(303, "/conversations"),
                params=an_interaction,
            )
        ),
        case(
            "GET",
            "/opportunities/{opp_id}/conversations/panel",
            SEES_DEAL,
            200,
            denied=404,
            params=the_deal,
        ),
        hidden_from_contributor(
            case("GET", "/opportunities/{opp_id}/call-plans/new", PLANNERS, 200, params=the_deal)
        ),
        hidden_from_contributor(
            case(
                "POST",
                "/opportunities/{opp_id}/call-plans",
                PLANNERS,
                expect(303, "/call-plans/"),
                params=the_deal,
                body=plan_form,
            )
        ),
        case("GET", "/call-plans/{plan_id}", SEES_DEAL, 200, denied=404, params=a_plan),
        hidden_from_contributor(
            case("GET", "/call-plans/{plan_id}/edit", PLANNERS, 200, params=a_plan)
        ),
        hidden_from_contributor(
            case(
                "POST",
                "/call-plans/{plan_id}/edit",
                PLANNERS,
                expect(303, "/call-plans/"),
                params=a_plan,
                body=plan_form,
            )
        ),
        hidden_from_contributor(
            case(
                "POST",
                "/call-plans/{plan_id}/delete",
                PLANNERS,
                expect(303, "/opportunities/"),
                params=a_plan,
            )
        ),
        hidden_from_contributor(
            case(
                "POST",
                "/call-plans/{plan_id}/share",
                {"seller"},
                expect(303, "/call-plans/"),
                params=a_plan,
            )
        ),
    ]
    return rows
