"""HTML pages for the price desk, part 3: the written policy (read it, its versions, and for
an administrator: check, preview the effect on past requests, apply) and delegations."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from sqlalchemy.orm import Session
from starlette.responses import Response

from valuescout.core.errors import Invalid
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, PathId
from valuescout.core.web.schemas import BlankIsNone
from valuescout.core.web.templating import redirect, render
from valuescout.deals.pages import Form, OptionalId
from valuescout.deals.pages_forms import attempt_form, day, record_id, text, validated
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.pricing import delegations, policies, replay
from valuescout.pricing import policy as pol
from valuescout.pricing.approvers import step_role
from valuescout.pricing.pages_desk import desk_context
from valuescout.pricing.schemas import DelegationIn, PolicyIn

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

POLICY_ACTIONS = ("check", "preview", "apply")
KIND_HINTS = {
    "number": "a number; ratios as fractions (0.15 = 15%)",
    "money": "an amount in the deal's currency",
    "bool": "true or false",
    "choice": "one of the choices",
    "text": "any text",
}
OPERATOR_HINTS = {
    "eq": "equals (also `field: value`)",
    "ne": "differs from",
    "lt": "less than (numbers, money)",
    "le": "at most",
    "gt": "more than",
    "ge": "at least",
    "in": "one of a list: [a, b]",
    "not_in": "none of a list",
    "missing": "true: the value is unknown for the deal; false: it is known",
}


# --- the policy ----------------------------------------------------------------------------


def render_policy(
    request: Request,
    principal: Principal,
    session: Session,
    *,
    version: int | None = None,
    source: str | None = None,
    note: str = "",
    outcome: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    history = policies.versions(session, principal)  # needs Permission.SEE_MONEY
    active, _ = policies.active(session)
    shown = policies.version_detail(session, principal, version or active.version)
    return render(
        request,
        "pricing/policy.html",
        {
            "shown": shown,
            "versions": history,
            "source": shown.source if source is None else source,
            "note": note,
            "outcome": outcome or {},
            "may_edit": principal.can(Permission.MANAGE_PRICE_POLICY),
            "kind_hints": KIND_HINTS,
            "operators": {op: OPERATOR_HINTS[op] for op in pol.OPERATORS},
            **desk_context(principal),
        },
        status_code=status_code,
    )


@router.get("/price-desk/policy")
def policy_page(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    version: Annotated[OptionalId, BlankIsNone, Query()] = None,
) -> Response:
    return render_policy(request, principal, session, version=version)


@router.post("/price-desk/policy")
def policy_action(
    request: Request, principal: PagePrincipal, session: DbSession, form: Form
) -> Response:
    """Check, preview or apply the policy text in the editor (administrators)."""
    principal.require(Permission.MANAGE_PRICE_POLICY)
    action = text(form, "action")
    source, note = text(form, "source"), text(form, "note")

    def run() -> dict[str, Any]:
        if action not in POLICY_ACTIONS:
            raise Invalid("Choose Check, Preview effect or Apply.")
        body = validated(PolicyIn, {"source": source, "note": note})
        if action == "check":
            return {"check": policies.check(body.source)}
        if action == "preview":
            return {"preview": replay.replay(session, principal, body.source)}
        return {"applied": policies.apply(session, principal, body.source, body.note).version}

    done = attempt_form(session, run)
    if isinstance(done, FormFailure):
        outcome = {"error": done.message, "problems": done.details or []}
        return render_policy(
            request,
            principal,
            session,
            source=source,
            note=note,
            outcome=outcome,
            status_code=done.status,
        )
    if "applied" in done:
        return redirect(
            "/price-desk/policy", flash=f"Version {done['applied']} of the policy is in force."
        )
    return render_policy(request, principal, session, source=source, note=note, outcome=done)


# --- delegations ---------------------------------------------------------------------------


def render_delegations(
    request: Request,
    principal: Principal,
    session: Session,
    *,
    error: str | None = None,
    values: dict[str, str] | None = None,
    status_code: int = 200,
) -> Response:
    principal.require(Permission.SEE_MONEY)
    approver = step_role(principal.role) is not None
    return render(
        request,
        "pricing/delegations.html",
        {
            "delegations": delegations.mine(session, principal),
            "approver": approver,
            "choices": delegations.candidates(session, principal) if approver else [],
            "error": error,
            "values": values or {},
            **desk_context(principal),
        },
        status_code=status_code,
    )


@router.get("/price-desk/delegations")
def delegations_page(request: Request, principal: PagePrincipal, session: DbSession) -> Response:
    return render_delegations(request, principal, session)


@router.post("/price-desk/delegations")
def delegate(
    request: Request, principal: PagePrincipal, session: DbSession, form: Form
) -> Response:
    principal.require(Permission.SEE_MONEY)
    names = ("delegate_id", "starts_on", "ends_on")
    values = {k: text(form, k) for k in names}

    def create() -> None:
        data = {
            "delegate_id": record_id("Delegate", values["delegate_id"]),
            "starts_on": day("From", values["starts_on"]),
            "ends_on": day("Until", values["ends_on"]),
        }
        for name, label in zip(names, ("Delegate", "From", "Until"), strict=True):
            if data[name] is None:
                raise Invalid(f"{label}: fill it in.")
        delegations.create(session, principal, validated(DelegationIn, data))

    done = attempt_form(session, create)
    if isinstance(done, FormFailure):
        return render_delegations(
            request, principal, session, error=done.message, values=values, status_code=done.status
        )
    return redirect("/price-desk/delegations", flash="The delegation is saved.")


@router.post("/price-desk/delegations/{delegation_id}/revoke")
def revoke(principal: PagePrincipal, session: DbSession, delegation_id: PathId) -> Response:
    delegations.revoke(session, principal, delegation_id)
    return redirect("/price-desk/delegations", flash="The delegation is revoked.")
