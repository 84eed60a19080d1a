"""Price requests: ask (evidence frozen, the policy decides or routes), then the moves of the
workflow (approve, reject, counter, accept, withdraw), each in the caller's transaction.

A decision is a compare-and-set on the request's version: of two approvers acting at once,
exactly one succeeds and the other gets a conflict. A retried ask with the same
Idempotency-Key returns the first request instead of making a second.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.errors import Conflict, Forbidden, Invalid
from valuescout.core.models import utcnow
from valuescout.core.money import to_money
from valuescout.deals.access import editable_opportunity
from valuescout.deals.models import Account, LineItem, Opportunity, Stage
from valuescout.deals.valuecase_figures import deal_settings, value_inputs
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.pricing import approvers, evidence, policies, workflow
from valuescout.pricing import policy as pol
from valuescout.pricing.access import visible_request
from valuescout.pricing.history import history_for
from valuescout.pricing.models import PriceRequest, PriceRequestEvent, PriceRequestLine
from valuescout.pricing.schemas import MoveIn, PriceRequestIn
from valuescout.pricing.staffing import staffed_route
from valuescout.pricing.workflow import Move, State

ENTITY = "price_request"
MAX_KEY = 100


@dataclass(frozen=True)
class AskedPrice:
    list_price: Decimal
    price_before: Decimal
    requested: Decimal
    lines: list[PriceRequestLine]


def _asked_price(session: Session, opp: Opportunity, body: PriceRequestIn) -> AskedPrice:
    deal_lines = list(
        session.scalars(
            select(LineItem).where(LineItem.opportunity_id == opp.id).order_by(LineItem.id)
        )
    )
    if deal_lines:
        list_price = to_money(sum((x.quantity * x.list_price for x in deal_lines), Decimal(0)))
    else:
        list_price = opp.amount  # no catalogue prices: the deal's price is its list
    requested_lines: list[PriceRequestLine] = []
    if body.lines is not None:
        if not deal_lines:
            raise Invalid("This deal has no line items; ask for a deal price or a discount.")
        wanted = {line.line_id: line.net_price for line in body.lines}
        unknown = sorted(set(wanted) - {x.id for x in deal_lines})
        if unknown or len(wanted) != len(body.lines):
            raise Invalid(
                f"Line {unknown[0]} is not a line of this deal."
                if unknown
                else "A line is given twice.",
                field="lines",
            )
        for x in deal_lines:
            requested_lines.append(
                PriceRequestLine(
                    line_id=x.id,
                    product_id=x.product_id,
                    quantity=x.quantity,
                    list_price=x.list_price,
                    net_price_before=x.net_price,
                    requested_net_price=wanted.get(x.id, x.net_price),
                )
            )
        requested = sum((x.quantity * x.requested_net_price for x in requested_lines), Decimal(0))
    elif body.discount is not None:
        requested = list_price * (Decimal(1) - body.discount)
    else:
        requested = body.net_price or Decimal(0)
    return AskedPrice(list_price, opp.amount, to_money(requested), requested_lines)


def _fingerprint(opp_id: int, body: PriceRequestIn) -> str:
    return hashlib.sha256(f"{opp_id}:{body.model_dump_json()}".encode()).hexdigest()


def _by_key(session: Session, principal: Principal, key: str) -> PriceRequest | None:
    return session.scalar(
        select(PriceRequest).where(
            PriceRequest.requester_id == principal.user_id, PriceRequest.idempotency_key == key
        )
    )


def _replayed(existing: PriceRequest, fingerprint: str) -> PriceRequest:
    if existing.request_hash != fingerprint:
        raise Conflict(
            "This Idempotency-Key was already used for a different request; use a new key."
        )
    return existing


def submit(
    session: Session,
    principal: Principal,
    opp_id: int,
    body: PriceRequestIn,
    idempotency_key: str | None = None,
) -> PriceRequest:
    opp = editable_opportunity(session, principal, opp_id)
    principal.require(Permission.SEE_MONEY)
    key = (idempotency_key or "").strip() or None
    if key is not None and len(key) > MAX_KEY:
        raise Invalid(f"Idempotency-Key is longer than {MAX_KEY} characters.")
    fingerprint = _fingerprint(opp_id, body)
    # Two asks at once on one deal: the second waits here until the first commits, then
    # finds the first by its key or finds it open. (SQLite: one writer, no FOR UPDATE.)
    session.execute(select(Opportunity.id).where(Opportunity.id == opp.id).with_for_update())
    if key is not None and (existing := _by_key(session, principal, key)) is not None:
        return _replayed(existing, fingerprint)
    _check_can_ask(session, opp, body)
    asked = _asked_price(session, opp, body)
    frozen = _evidence(session, opp, body, asked)
    policy_row, parsed = policies.active(session)
    decision = pol.evaluate(parsed, frozen)
    request = PriceRequest(
        opportunity_id=opp.id,
        requester_id=principal.user_id,
        owner_id=opp.owner_id,
        replaces_id=body.replaces_id,
        policy_id=policy_row.id,
        reason=body.reason.value,
        justification=body.justification,
        currency=opp.currency,
        list_price=asked.list_price,
        price_before=asked.price_before,
        requested_price=asked.requested,
        requested_discount=frozen["discount"],
        evidence=evidence.to_json(frozen),
        idempotency_key=key,
        request_hash=fingerprint,
        **_first_position(session, opp, decision, asked.requested, principal.user_id),
    )
    try:
        with session.begin_nested():
            session.add(request)
            session.flush()
    except IntegrityError:
        # The same key, sent twice at once: the other one was stored first.
        existing = _by_key(session, principal, key) if key is not None else None
        if existing is None:
            raise
        return _replayed(existing, fingerprint)
    for line in asked.lines:
        line.request_id = request.id
        session.add(line)
    _log(session, request, principal.actor, "submit", price=asked.requested)
    if request.state != State.PENDING or request.route:
        _log(session, request, principal.actor, _POLICY_ACTION[State(request.state)], policy=True)
    audit.record(
        session,
        principal.actor,
        "create",
        ENTITY,
        request.id,
        {
            # The evidence and the decision as frozen, kept where nothing can rewrite them
            # (the audit trail is append-only in the database, ADR 0003).
            "opportunity_id": opp.id,
            "requested_price": str(asked.requested),
            "state": request.state,
            "rule": decision.fired_rule,
            "route": list(request.route),
            "policy_version": policy_row.version,
            "evidence": request.evidence,
        },
    )
    return request


_POLICY_ACTION = {
    State.APPROVED: "auto_approve",
    State.REJECTED: "auto_reject",
    State.PENDING: "route",
}


def _check_can_ask(session: Session, opp: Opportunity, body: PriceRequestIn) -> None:
    outcome = session.scalar(select(Stage.outcome).where(Stage.id == opp.stage_id))
    if outcome != "open":
        raise Invalid("The deal is closed; price exceptions are asked on open deals.")
    open_id = session.scalar(
        select(PriceRequest.id).where(
            PriceRequest.opportunity_id == opp.id,
            PriceRequest.state.in_([s.value for s in workflow.OPEN_STATES]),
        )
    )
    if open_id is not None:
        raise Conflict(
            f"Price request {open_id} on this deal is still open; withdraw it to ask again."
        )
    if body.replaces_id is not None:
        replaced = session.get(PriceRequest, body.replaces_id)
        if replaced is None or replaced.opportunity_id != opp.id:
            raise Invalid("The request to redo is not one of this deal's.", field="replaces_id")


def _evidence(
    session: Session, opp: Opportunity, body: PriceRequestIn, asked: AskedPrice
) -> dict[str, object]:
    segment = ""
    if opp.account_id is not None:
        industry = session.scalar(select(Account.industry).where(Account.id == opp.account_id))
        segment = industry or ""
    cost = _cost(session, opp, asked)
    facts = evidence.DealFacts(
        reason=body.reason.value,
        list_price=asked.list_price,
        price_before=asked.price_before,
        requested_price=asked.requested,
        cost=cost,
        deal_type=opp.deal_type,
        segment=segment,
        alternative_kind=opp.alternative_kind,
    )
    inputs = value_inputs(session, opp)
    value = evidence.ValueFacts(inputs[0], inputs[1]) if inputs is not None else None
    band = evidence.size_band(asked.list_price)
    history = history_for(session, opp, segment, opp.deal_type, band)
    return evidence.build(facts, value, history, deal_settings(session).margin_floor)


def _cost(session: Session, opp: Opportunity, asked: AskedPrice) -> Decimal | None:
    rows = session.execute(
        select(LineItem.quantity, LineItem.unit_cost).where(LineItem.opportunity_id == opp.id)
    ).all()
    if not rows or any(cost is None for _, cost in rows):
        return None
    return to_money(sum((q * (c or 0) for q, c in rows), Decimal(0)))


def _first_position(
    session: Session,
    opp: Opportunity,
    decision: pol.Decision,
    requested: Decimal,
    requester_id: int,
) -> dict[str, object]:
    decided = decision.as_json()
    route: list[pol.ApproverRole] = []
    if decision.outcome.action == pol.Action.APPROVE:
        state = State.APPROVED
    elif decision.outcome.action == pol.Action.REJECT:
        state = State.REJECTED
    else:
        state = State.PENDING
        route, notes = staffed_route(
            session, opp.owner_id, list(decision.outcome.route), requester_id
        )
        decided["staffing"] = notes
    now = utcnow()
    return {
        "state": state.value,
        "approved_price": requested if state == State.APPROVED else None,
        "step": 0,
        "route": [r.value for r in route],
        "waiting_role": route[0].value if state == State.PENDING else None,
        "decision": decided,
        "decided_at": None if state == State.PENDING else now,
        "created_at": now,
        "updated_at": now,
    }


def _log(
    session: Session,
    request: PriceRequest,
    actor: audit.Actor,
    action: str,
    *,
    price: Decimal | None = None,
    comment: str = "",
    authority: approvers.Authority | None = None,
    policy: bool = False,
    role: str | None = None,
    step: int | None = None,
) -> None:
    session.add(
        PriceRequestEvent(
            request_id=request.id,
            action=action,
            actor_id=None if policy else actor.id,
            actor_email="policy" if policy else actor.email,
            on_behalf_of_id=authority.on_behalf_of if authority else None,
            role=(request.waiting_role or "") if role is None else role,
            step=step
            if role is not None
            else (request.step if request.state == State.PENDING else None),
            price=price,
            comment=comment,
            state_after=request.state,
        )
    )


def act(session: Session, principal: Principal, request_id: int, body: MoveIn) -> PriceRequest:
    """One move of the workflow by the caller; Conflict when it is no longer allowed."""
    request = visible_request(session, principal, request_id)
    if body.version is not None and body.version != request.version:
        raise Conflict("The request changed since you opened it; reload it to see its state.")
    before = workflow.Position(State(request.state), request.step, len(request.route))
    after = workflow.apply(before, body.move)  # Conflict when no longer allowed
    acted_as, acted_step = request.waiting_role or "", request.step
    authority = None
    if body.move in workflow.APPROVER_MOVES:
        authority = approvers.acting_authority(session, principal, request, utcnow().date())
        if authority is None:
            raise Forbidden("You are not an approver of this request's current step.")
    elif principal.user_id != request.requester_id:
        raise Forbidden("Only the seller who asked can accept a counter-offer or withdraw.")
    values = _values_after(request, body, after)
    won = session.execute(
        update(PriceRequest)
        .where(
            PriceRequest.id == request.id,
            PriceRequest.version == request.version,
            PriceRequest.state == request.state,
        )
        .values(**values, version=PriceRequest.version + 1)
        .execution_options(synchronize_session=False)
    )
    if won.rowcount != 1:  # type: ignore[attr-defined]
        raise Conflict("Someone else acted on this request just now; reload it.")
    session.refresh(request)
    _log(
        session,
        request,
        principal.actor,
        body.move.value,
        price=body.price if body.move == Move.COUNTER else _approved(values),
        comment=body.comment.strip(),
        authority=authority,
        role=acted_as if authority else "",
        step=acted_step if authority else None,
    )
    audit.record(
        session,
        principal.actor,
        body.move.value,
        ENTITY,
        request.id,
        {
            "state": [before.state.value, request.state],
            "step": acted_step if authority else None,
            "price": str(body.price) if body.price is not None else None,
            "comment": body.comment.strip(),
            "on_behalf_of": authority.on_behalf_of if authority else None,
        },
    )
    return request


def _approved(values: dict[str, object]) -> Decimal | None:
    price = values.get("approved_price")
    return price if isinstance(price, Decimal) else None


def _values_after(
    request: PriceRequest, body: MoveIn, after: workflow.Position
) -> dict[str, object]:
    now = utcnow()
    values: dict[str, object] = {"state": after.state.value, "step": after.step, "updated_at": now}
    values["waiting_role"] = request.route[after.step] if after.state == State.PENDING else None
    if after.state != State.PENDING:
        values["decided_at"] = now
    if body.move == Move.COUNTER:
        values["counter_price"] = body.price
    if after.state == State.APPROVED:
        accepted = body.move == Move.ACCEPT
        values["approved_price"] = request.counter_price if accepted else request.requested_price
    return values
