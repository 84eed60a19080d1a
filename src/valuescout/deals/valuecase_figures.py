"""A value case's figures: the pricing inputs from the deal and the deal settings, the figures
computed from the outcomes (ADR 0006), previews for unsaved outcomes, and the inputs the price
desk judges other prices with. Nothing here writes; valuecases.py holds the use cases that do.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.core.errors import NotFound
from valuescout.deals import valuecase as vc
from valuescout.deals.access import visible_opportunity
from valuescout.deals.lines import deal_cost
from valuescout.deals.models import DealSettings, Opportunity, ValueCase, ValueOutcome
from valuescout.deals.schemas import CorridorOut, FiguresOut, OutcomeIn, ValueCaseUpdate
from valuescout.deals.valuecase_rows import as_input
from valuescout.identity.principal import Principal
from valuescout.identity.scope import scope_for


def deal_settings(session: Session) -> DealSettings:
    settings = session.get(DealSettings, 1)
    if settings is None:  # the migration creates it; a missing row is a broken database
        raise NotFound("Deal settings are missing; run `valuescout db upgrade`.")
    return settings


def case_of(session: Session, opp: Opportunity) -> ValueCase | None:
    return session.scalar(select(ValueCase).where(ValueCase.opportunity_id == opp.id))


def outcomes_of(session: Session, case: ValueCase) -> list[ValueOutcome]:
    return list(
        session.scalars(
            select(ValueOutcome)
            .where(ValueOutcome.value_case_id == case.id)
            .order_by(ValueOutcome.position, ValueOutcome.id)
        )
    )


def price_inputs(session: Session, opp: Opportunity, case: ValueCase) -> vc.PriceInputs:
    settings = deal_settings(session)
    return vc.PriceInputs(
        our_price=opp.amount,
        alternative_price=opp.alternative_price,
        cost=deal_cost(session, opp.id),
        margin_floor=settings.margin_floor,
        target_share=case.target_share,
        discount_rate=case.discount_rate,
    )


def figures_for(
    session: Session, opp: Opportunity, case: ValueCase, outcomes: list[ValueOutcome]
) -> tuple[vc.ValueFigures, vc.PriceInputs]:
    prices = price_inputs(session, opp, case)
    return vc.evaluate([as_input(o) for o in outcomes], prices), prices


def figures_out(figures: vc.ValueFigures, prices: vc.PriceInputs) -> FiguresOut:
    c = figures.corridor
    return FiguresOut(
        our_price=prices.our_price,
        alternative_price=prices.alternative_price,
        cost=prices.cost,
        value_unadjusted=figures.value_unadjusted,
        value_risk_adjusted=figures.value_risk_adjusted,
        price_difference=figures.price_difference,
        preference=figures.preference,
        preference_unadjusted=figures.preference_unadjusted,
        value_to_price=figures.value_to_price,
        roi=figures.roi,
        payback_months=figures.payback_months,
        npv=figures.npv,
        confirmed_share=figures.confirmed_share,
        corridor=CorridorOut(floor=c.floor, target=c.target, ceiling=c.ceiling),
        position=figures.position,
        curve=vc.preference_curve(figures, prices),
    )


def preview_figures(
    session: Session, principal: Principal, opp_id: int, outcomes: list[OutcomeIn]
) -> FiguresOut | None:
    """Figures for unsaved outcomes, so an editor can recalculate as the user types."""
    opp = visible_opportunity(session, principal, opp_id)
    scope = scope_for(session, principal)
    case = case_of(session, opp)
    if case is None or not scope.sees_money:
        return None
    inputs = [
        vc.OutcomeInput(
            yearly_value=o.yearly_value,
            direction=o.direction,
            recurrence=o.recurrence,
            years=o.years,
            confidence=o.confidence,
            state=o.state,
        )
        for o in outcomes
    ]
    prices = price_inputs(session, opp, case)
    return figures_out(vc.evaluate(inputs, prices), prices)


def preview_figures_with_terms(
    session: Session,
    principal: Principal,
    opp_id: int,
    outcomes: list[OutcomeIn],
    terms: ValueCaseUpdate,
) -> FiguresOut | None:
    """Like `preview_figures`, with an unsaved discount rate and target share as well, so the
    value-case editor recalculates while either is typed. Nothing is written."""
    opp = visible_opportunity(session, principal, opp_id)
    case = case_of(session, opp)
    if case is None or not scope_for(session, principal).sees_money:
        return None
    inputs = [
        vc.OutcomeInput(
            yearly_value=o.yearly_value,
            direction=o.direction,
            recurrence=o.recurrence,
            years=o.years,
            confidence=o.confidence,
            state=o.state,
        )
        for o in outcomes
    ]
    prices = replace(
        price_inputs(session, opp, case),
        **{k: v for k, v in terms.model_dump(exclude_unset=True).items() if k in _PRICE_TERMS},
    )
    return figures_out(vc.evaluate(inputs, prices), prices)


_PRICE_TERMS = frozenset({"discount_rate", "target_share"})


def value_inputs(
    session: Session, opp: Opportunity
) -> tuple[list[vc.OutcomeInput], vc.PriceInputs] | None:
    """The deal's value-case outcomes and pricing settings, for judging other prices (the
    price desk); None when the deal has no value case."""
    case = case_of(session, opp)
    if case is None:
        return None
    return [as_input(o) for o in outcomes_of(session, case)], price_inputs(session, opp, case)
