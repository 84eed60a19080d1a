"""What the forecasting methods know of each opportunity, read from the deals in a few queries.

Per deal: the stage's (or the deal's own) probability; the account as the scorecard reads it
(columns and attributes); the buyer's engagement (economic buyer and champion from the buying
roles of the account's contacts, stakeholders = contacts with a known role, outcomes the
customer confirmed in the value case, the last meeting, a mutual plan); the value case's
figures at the deal's price; and the CRM fields a history-trained model learns from.

A closed deal is described as of its close date (the day its outcome was known), an open one
as of `today`, so the engagement of the deals a model learns from is measured like that of the
deals it scores.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.orm import Session

from valuescout.core.sql_sets import id_filters
from valuescout.deals import valuecase as vc
from valuescout.deals.models import (
    Account,
    Contact,
    Opportunity,
    Stage,
    ValueCase,
    ValueOutcome,
)
from valuescout.deals.terms import BuyingRole
from valuescout.deals.valuecase_rows import OUTCOME_COLUMNS, outcome_input
from valuescout.forecasting.engagement_history import engagement_on, trails
from valuescout.forecasting.scorecard import EngagementSignals, ValueSignals

DealsQuery = Select[Any]
ACCOUNT_COLUMNS = ("industry", "employees", "annual_revenue", "region", "country")
# What a deal's features read, as columns: whole ORM rows cost more to build than the rest of
# a forecast (a team's forecast reads thousands of deals).
_DEAL_COLUMNS = (
    Opportunity.id,
    Opportunity.name,
    Opportunity.owner_id,
    Opportunity.team_id,
    Opportunity.account_id,
    Opportunity.amount,
    Opportunity.currency,
    Opportunity.close_date,
    Opportunity.probability,
    Opportunity.alternative_price,
    Opportunity.last_meeting_on,
    Opportunity.mutual_plan,
    Opportunity.deal_type,
    Opportunity.alternative_kind,
    Opportunity.rfp_class,
    Stage.id.label("stage_id"),
    Stage.name.label("stage_name"),
    Stage.outcome.label("outcome"),
    Stage.probability.label("stage_probability"),
    Account.name.label("account_name"),
    Account.attributes.label("account_attributes"),
    *(getattr(Account, c).label(f"account_{c}") for c in ACCOUNT_COLUMNS),
)


@dataclass(frozen=True)
class DealFeatures:
    opportunity_id: int
    name: str
    owner_id: int
    team_id: int | None
    account_name: str | None
    stage_id: int
    stage_name: str
    outcome: str  # open | won | lost
    amount: Decimal
    currency: str
    close_date: date | None
    p_stage: Decimal
    account: dict[str, Any]  # what the scorecard's fit rules read
    engagement: EngagementSignals
    value: ValueSignals
    crm: dict[str, Any]  # what the history-trained model learns from


def people_of(session: Session, account_ids: set[int]) -> dict[int, tuple[bool, bool, int]]:
    """Per account: economic buyer identified, champion identified, stakeholders engaged."""
    out: dict[int, tuple[bool, bool, int]] = {}
    found: dict[int, list[tuple[str, bool]]] = defaultdict(list)
    for among in id_filters(session, Contact.account_id, account_ids):
        rows = session.execute(
            select(Contact.account_id, Contact.buying_role, Contact.is_ally).where(among)
        )
        for account_id, role, ally in rows:
            found[account_id].append((role, bool(ally)))
    for account_id, people in found.items():
        out[account_id] = (
            any(r == BuyingRole.ECONOMIC_BUYER for r, _ in people),
            any(r == BuyingRole.CHAMPION or ally for r, ally in people),
            sum(1 for r, _ in people if r != BuyingRole.UNKNOWN),
        )
    return out


def _cases(session: Session, opp_ids: set[int]) -> dict[int, tuple[list[vc.OutcomeInput], Any]]:
    """Per opportunity with a value case: its outcomes and the case's policy (target share,
    discount rate)."""
    cases: dict[int, tuple[int, CasePolicy]] = {}
    outcomes: dict[int, list[vc.OutcomeInput]] = defaultdict(list)
    for among in id_filters(session, ValueCase.opportunity_id, opp_ids):
        for case_id, opp_id, target_share, discount_rate in session.execute(
            select(
                ValueCase.id,
                ValueCase.opportunity_id,
                ValueCase.target_share,
                ValueCase.discount_rate,
            ).where(among)
        ):
            cases[case_id] = (opp_id, CasePolicy(target_share, discount_rate))
        rows = session.execute(
            select(ValueOutcome.value_case_id, *OUTCOME_COLUMNS)
            .join(ValueCase, ValueCase.id == ValueOutcome.value_case_id)
            .where(among)
            .order_by(ValueOutcome.id)
        )
        for case_id, value, direction, recurrence, years, confidence, state in rows:
            outcomes[case_id].append(
                outcome_input(value, direction, recurrence, years, confidence, state)
            )
    return {opp_id: (outcomes.get(cid, []), policy) for cid, (opp_id, policy) in cases.items()}


@dataclass(frozen=True)
class CasePolicy:
    target_share: Decimal
    discount_rate: Decimal


def _value(
    opp: Row[Any], found: tuple[list[vc.OutcomeInput], Any] | None
) -> tuple[ValueSignals, int]:
    if found is None or not found[0]:
        return ValueSignals(price=opp.amount), 0
    outcomes, case = found
    confirmed = sum(1 for o in outcomes if o.state == vc.OutcomeState.CONFIRMED)
    figures = vc.evaluate(
        outcomes,
        vc.PriceInputs(
            our_price=opp.amount,
            alternative_price=opp.alternative_price,
            target_share=case.target_share,
            discount_rate=case.discount_rate,
        ),
    )
    return (
        ValueSignals(
            preference=figures.preference,
            price=opp.amount,
            value_to_price=figures.value_to_price,
            confirmed_share=figures.confirmed_share,
        ),
        confirmed,
    )


def deal_features(
    session: Session,
    stmt: DealsQuery,
    today: date,
    *,
    closed_as_of_close: bool = True,
    days_by_deal: Mapping[int, Sequence[date]] | None = None,
) -> list[DealFeatures]:
    """Features of the opportunities `stmt` selects (see `deals_query`). A closed deal is
    described as of its close date unless `closed_as_of_close` is False (rebuilding a past
    day: then every deal is described as of `today`). With `days_by_deal`, each deal is
    described once per given day of its open life (training examples), from one load."""
    rows = session.execute(stmt).all()
    ids = {opp.id for opp in rows}
    people = people_of(session, {opp.account_id for opp in rows if opp.account_id is not None})
    cases = _cases(session, ids)
    history = trails(session, ids)
    out: list[DealFeatures] = []
    for opp in rows:
        stage = _StageOf(opp.stage_id, opp.stage_name, opp.outcome, opp.stage_probability)
        value_now, confirmed_now = _value(opp, cases.get(opp.id))
        eb, champion, stakeholders = people.get(opp.account_id, (False, False, 0))
        account = _account_of(opp)
        if days_by_deal is not None:  # days in the deal's open life: what was known then
            days: Sequence[tuple[date, bool]] = [(d, True) for d in days_by_deal[opp.id]]
        else:
            closed = stage.outcome != "open" and closed_as_of_close
            days = [((opp.close_date or today) if closed else today, not closed_as_of_close)]
        for as_of, past in days:
            # The current values are the deal's state then, except on a past day of its life.
            final = not past or (
                stage.outcome != "open" and opp.close_date is not None and as_of >= opp.close_date
            )
            then = engagement_on(
                history.get(opp.id),
                as_of,
                final=final,
                last_meeting=opp.last_meeting_on,
                mutual_plan=opp.mutual_plan,
                confirmed_now=confirmed_now,
            )
            value = value_now
            if then.confirmed != confirmed_now and value.confirmed_share is not None:
                share = float(value.confirmed_share) * then.confirmed / max(confirmed_now, 1)
                value = replace(value, confirmed_share=share)  # as confirmed by then, roughly
            out.append(
                DealFeatures(
                    opportunity_id=opp.id,
                    name=opp.name,
                    owner_id=opp.owner_id,
                    team_id=opp.team_id,
                    account_name=opp.account_name,
                    stage_id=stage.id,
                    stage_name=stage.name,
                    outcome=stage.outcome,
                    amount=opp.amount,
                    currency=opp.currency,
                    close_date=opp.close_date,
                    p_stage=opp.probability if opp.probability is not None else stage.probability,
                    account=account,
                    engagement=EngagementSignals(
                        economic_buyer=eb,
                        champion=champion,
                        stakeholders=stakeholders,
                        confirmed_outcomes=then.confirmed,
                        mutual_plan=then.mutual_plan,
                        meetings=then.meetings,
                        as_of=as_of,
                    ),
                    value=value,
                    crm=_crm(opp, account),
                )
            )
    return out


@dataclass(frozen=True)
class _StageOf:
    id: int
    name: str
    outcome: str
    probability: Decimal


def account_fields(acc: Account | None) -> dict[str, Any]:
    if acc is None:
        return {}
    return _fields(acc.attributes, {name: getattr(acc, name) for name in ACCOUNT_COLUMNS})


def _account_of(row: Row[Any]) -> dict[str, Any]:
    if row.account_id is None:
        return {}
    columns = {name: getattr(row, f"account_{name}") for name in ACCOUNT_COLUMNS}
    return _fields(row.account_attributes, columns)


def _fields(attributes: dict[str, Any] | None, columns: dict[str, Any]) -> dict[str, Any]:
    return {**(attributes or {}), **{k: v for k, v in columns.items() if v not in (None, "")}}


def _crm(opp: Row[Any], account: dict[str, Any]) -> dict[str, Any]:
    """Fields known before the outcome, as a CRM export would hold them (never the stage: a
    closed deal's stage is its outcome)."""
    return {
        "deal_type": opp.deal_type,
        "amount": float(opp.amount),
        "alternative": opp.alternative_kind,
        "rfp": opp.rfp_class,
        "industry": account.get("industry"),
        "segment": account.get("segment"),
        "region": account.get("region"),
    }


def deals_query() -> DealsQuery:
    """Opportunities with their stage and account, for `deal_features`."""
    return (
        select(*_DEAL_COLUMNS)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .outerjoin(Account, Account.id == Opportunity.account_id)
        .order_by(Opportunity.id)
    )


def closed_key(session: Session) -> tuple[int, Any]:
    """How many deals are closed and when a closed deal last changed: what the trained models
    learn from, so their cache key (editing an open deal does not retrain)."""
    closed = (
        select(func.count(), func.max(Opportunity.updated_at))
        .select_from(Opportunity)
        .join(Stage)
        .where(Stage.outcome != "open")
    )
    count, latest = session.execute(closed).one()
    return int(count or 0), latest
