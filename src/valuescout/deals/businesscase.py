"""The business case a seller hands to the customer: the outcomes, what they are worth, the
assumptions and evidence behind them, and the return on the investment.

It goes outside the company, so it is built from a view model of its own that has no field for
anything internal: no price corridor (floor, target, ceiling), no cost or margin, no list
prices or discounts, no internal notes, no alternative's price and no "preference" framing.
The HTML page and the PDF render only this model; what it does not hold cannot leak.

Seeing it needs what seeing the deal's money needs: the deal in the caller's scope (else "not
found") and a role that sees money (contributors do not).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.core.errors import Forbidden, NotFound
from valuescout.core.models import utcnow
from valuescout.core.money import to_money
from valuescout.deals import valuecase as vc
from valuescout.deals.access import visible_opportunity
from valuescout.deals.models import Account, Contact, ValueCase, ValueOutcome
from valuescout.deals.terms import AlternativeKind
from valuescout.deals.valuecase_figures import figures_for
from valuescout.deals.valuecase_rows import as_input
from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.identity.scope import scope_for
from valuescout.valuenet.models import Persona

# How the customer reads an outcome's state: it is their confirmation, not our pipeline step.
CUSTOMER_STATE_LABELS: dict[vc.OutcomeState, str] = {
    vc.OutcomeState.HYPOTHESISED: "To be discussed",
    vc.OutcomeState.DISCUSSED: "Discussed",
    vc.OutcomeState.ENVISIONED: "Recognised by you",
    vc.OutcomeState.QUANTIFIED: "Quantified together",
    vc.OutcomeState.CONFIRMED: "Confirmed by you",
}
_COMPARED_WITH = {
    AlternativeKind.DIY: "building it yourselves",
    AlternativeKind.STATUS_QUO: "keeping things as they are",
}


@dataclass(frozen=True, slots=True)
class CaseOutcome:
    name: str
    benefit: bool  # False: a cost of the change (where the alternative does better)
    yearly_value: Decimal
    recurring: bool
    years: int
    confidence: Decimal  # the share of the value this case counts, 0..1
    counted_value: Decimal  # over its years, at its confidence; positive for costs too
    status: str
    evidence_source: str
    evidence_note: str
    stakeholder: str  # the contact or persona who cares about it, if named


@dataclass(frozen=True, slots=True)
class YearPoint:
    year: int
    cumulative_value: Decimal  # counted value received by the end of the year (year 0: at once)


@dataclass(frozen=True, slots=True)
class BusinessCase:
    """Everything the customer's business case shows, and nothing else."""

    opportunity_id: int
    title: str
    customer: str
    prepared_by: str
    prepared_on: date
    currency: str
    compared_with: str  # the alternative the outcomes are measured against, or ""
    assumptions: str
    outcomes: tuple[CaseOutcome, ...]
    total_benefits: Decimal
    total_costs: Decimal
    total_value: Decimal  # benefits - costs, as counted
    investment: Decimal
    net_benefit: Decimal
    roi: Decimal | None
    payback_months: Decimal | None
    npv: Decimal
    discount_rate: Decimal
    horizon_years: int
    confirmed_share: Decimal | None
    cumulative: tuple[YearPoint, ...]


def cumulative_value(outcomes: list[vc.OutcomeInput]) -> tuple[YearPoint, ...]:
    """Counted value received by each year end (one-time values at once), up to the horizon."""
    horizon = max((o.years for o in outcomes if o.recurrence == vc.Recurrence.RECURRING), default=1)
    points = []
    for year in range(horizon + 1):
        total = Decimal(0)
        for o in outcomes:
            sign = -1 if o.direction == vc.Direction.AGAINST else 1
            amount = o.yearly_value * o.confidence * sign
            if o.recurrence == vc.Recurrence.ONE_TIME:
                total += amount
            else:
                total += amount * min(year, o.years)
        points.append(YearPoint(year, to_money(total)))
    return tuple(points)


def _compared_with(kind: str, name: str) -> str:
    if kind == AlternativeKind.COMPETITOR:
        return name or "the alternative you are considering"
    return _COMPARED_WITH.get(AlternativeKind(kind), name)


def customer_business_case(session: Session, principal: Principal, opp_id: int) -> BusinessCase:
    opp = visible_opportunity(session, principal, opp_id)
    if not scope_for(session, principal).sees_money:
        raise Forbidden("Your role does not allow this.")
    case = session.scalar(select(ValueCase).where(ValueCase.opportunity_id == opp.id))
    if case is None:
        raise NotFound(f"Opportunity {opp_id} has no value case yet.")
    rows = list(
        session.scalars(
            select(ValueOutcome)
            .where(ValueOutcome.value_case_id == case.id)
            .order_by(ValueOutcome.position, ValueOutcome.id)
        )
    )
    figures, prices = figures_for(session, opp, case, rows)
    contacts = _names(session, Contact, {o.contact_id for o in rows})
    personas = _names(session, Persona, {o.persona_id for o in rows})
    outcomes = []
    for row in rows:
        item = as_input(row)
        outcomes.append(
            CaseOutcome(
                name=row.name,
                benefit=item.direction == vc.Direction.FOR,
                yearly_value=row.yearly_value,
                recurring=item.recurrence == vc.Recurrence.RECURRING,
                years=row.years,
                confidence=row.confidence,
                counted_value=abs(vc.outcome_value(item, risk_adjusted=True)),
                status=CUSTOMER_STATE_LABELS[item.state],
                evidence_source=row.evidence_source,
                evidence_note=row.evidence_note,
                stakeholder=contacts.get(row.contact_id) or personas.get(row.persona_id) or "",
            )
        )
    benefits = sum((o.counted_value for o in outcomes if o.benefit), Decimal(0))
    costs = sum((o.counted_value for o in outcomes if not o.benefit), Decimal(0))
    account = session.get(Account, opp.account_id) if opp.account_id else None
    owner = session.get(User, opp.owner_id)
    inputs = [as_input(r) for r in rows]
    cumulative = cumulative_value(inputs)
    return BusinessCase(
        opportunity_id=opp.id,
        title=opp.name,
        customer=account.name if account else "",
        prepared_by=owner.full_name if owner else "",
        prepared_on=utcnow().date(),
        currency=opp.currency,
        compared_with=_compared_with(opp.alternative_kind, opp.alternative_name),
        assumptions=case.assumptions,
        outcomes=tuple(outcomes),
        total_benefits=to_money(benefits),
        total_costs=to_money(costs),
        total_value=figures.value_risk_adjusted,
        investment=prices.our_price,
        net_benefit=to_money(figures.value_risk_adjusted - prices.our_price),
        roi=figures.roi,
        payback_months=figures.payback_months,
        npv=figures.npv,
        discount_rate=case.discount_rate,
        horizon_years=len(cumulative) - 1,
        confirmed_share=figures.confirmed_share,
        cumulative=cumulative,
    )


def _names(
    session: Session, model: type[Contact] | type[Persona], ids: set[int | None]
) -> dict[int | None, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(model.id, model.name).where(model.id.in_(wanted))).all()
    return {row[0]: row[1] for row in rows}
