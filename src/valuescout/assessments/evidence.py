"""Data-backed indicators: what ValueScout's own data says about a practice the maturity
assessment asks about. Each item has its figure, what it means, the period it covers and whether
it supports the indicator (None: no data to say). The thresholds below are the stated rules.

Company-wide by design (the maturity of the company, not of one team): only those who may see
maturity results are shown them (service.py checks), and no item carries a money amount.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from valuescout.assessments.schemas import EvidenceOut
from valuescout.conversations.models import Interaction
from valuescout.deals.models import LineItem, Opportunity, Stage, ValueCase, ValueOutcome
from valuescout.forecasting import service_accuracy
from valuescout.forecasting.methods import LABELS
from valuescout.forecasting.service import OPERATOR
from valuescout.pricing import policies
from valuescout.pricing.models import PriceRequest

PERIOD_DAYS = 365
TRACKED_SHARE = Decimal("0.8")  # won deals with priced lines, seller and customer
PLANNED_SHARE = Decimal("0.6")  # meetings prepared with a call plan
CONFIRMED_SHARE = Decimal("0.5")  # won deals whose value case the customer confirmed
WAPE_LIMIT = 0.25  # the best method's error over the closed quarters
MIN_QUARTERS = 2
EVIDENCE_REQUEST_SHARE = Decimal("0.5")  # decided price requests that had a value case
# Price-policy fields that come from the value case (pricing/fields.py).
VALUE_FIELDS = frozenset(
    {
        "has_value_case",
        "value_risk_adjusted",
        "preference_before",
        "preference_after",
        "confirmed_share",
        "confidence",
        "value_to_price_after",
        "corridor_zone",
        "corridor_target",
        "corridor_ceiling",
    }
)


def _period(today: date) -> tuple[date, date, str]:
    start = today - timedelta(days=PERIOD_DAYS)
    return start, today, f"{start.isoformat()} to {today.isoformat()}"


def _pct(part: int, whole: int) -> str:
    return f"{100 * part / whole:.0f}%"


def _won_in(start: date, end: date):  # type: ignore[no-untyped-def]
    won = select(Stage.id).where(Stage.outcome == "won")
    return and_(
        Opportunity.stage_id.in_(won), Opportunity.close_date > start, Opportunity.close_date <= end
    )


def discount_tracking(session: Session, today: date) -> EvidenceOut:
    start, end, label = _period(today)
    won = session.scalar(select(func.count()).where(_won_in(start, end))) or 0
    priced = exists().where(LineItem.opportunity_id == Opportunity.id, LineItem.list_price > 0)
    tracked_rows = session.execute(
        select(func.count(), func.count(func.distinct(Opportunity.owner_id)),
               func.count(func.distinct(Opportunity.account_id)))
        .where(_won_in(start, end), priced, Opportunity.account_id.is_not(None))
    ).one()  # fmt: skip
    tracked, sellers, customers = (int(v or 0) for v in tracked_rows)
    base = EvidenceOut(
        id="discount_tracking",
        title="Discounts tracked by seller and customer",
        value="no won deals in the period",
        meaning="Without won deals priced line by line there is nothing to track discounts on.",
        period=label,
        supports=None,
        basis=won,
    )
    if not won:
        return base
    share = Decimal(tracked) / won
    return base.model_copy(
        update={
            "value": f"{_pct(tracked, won)} of {won} won deals carry list and net prices per "
            f"line with their seller and customer ({sellers} sellers, {customers} customers)",
            "meaning": "ValueScout's discount analytics can say who discounts how much, to "
            "which customers, on these deals"
            + ("." if share >= TRACKED_SHARE else "; too many deals lack priced lines."),
            "supports": share >= TRACKED_SHARE,
        }
    )


def call_planning(session: Session, today: date) -> EvidenceOut:
    start, end, label = _period(today)
    meetings, planned = session.execute(
        select(func.count(), func.count(Interaction.call_plan_id)).where(
            Interaction.kind == "meeting",
            Interaction.occurred_on > start,
            Interaction.occurred_on <= end,
        )
    ).one()
    meetings, planned = int(meetings or 0), int(planned or 0)
    base = EvidenceOut(
        id="call_planning",
        title="Meetings prepared with a call plan",
        value="no meetings recorded in the period",
        meaning="Record customer meetings in ValueScout to see how many were planned.",
        period=label,
        supports=None,
        basis=meetings,
    )
    if not meetings:
        return base
    share = Decimal(planned) / meetings
    return base.model_copy(
        update={
            "value": f"{_pct(planned, meetings)} of {meetings} recorded meetings had a call plan",
            "meaning": f"At {100 * PLANNED_SHARE:.0f}% or more, planning meetings is the habit "
            + ("it is here." if share >= PLANNED_SHARE else "- not yet here."),
            "supports": share >= PLANNED_SHARE,
        }
    )


def confirmed_value_cases(session: Session, today: date) -> EvidenceOut:
    start, end, label = _period(today)
    won = session.scalar(select(func.count()).where(_won_in(start, end))) or 0
    confirmed = exists().where(
        ValueCase.opportunity_id == Opportunity.id,
        ValueOutcome.value_case_id == ValueCase.id,
        ValueOutcome.state == "confirmed",
    )
    count = session.scalar(select(func.count()).where(_won_in(start, end), confirmed)) or 0
    base = EvidenceOut(
        id="confirmed_value_cases",
        title="Won deals with a customer-confirmed value case",
        value="no won deals in the period",
        meaning="The share of wins where the customer confirmed at least one valued outcome.",
        period=label,
        supports=None,
        basis=won,
    )
    if not won:
        return base
    share = Decimal(count) / won
    return base.model_copy(
        update={
            "value": f"{_pct(count, won)} of {won} won deals had an outcome the customer confirmed",
            "meaning": "Customers who confirm an outcome have put their own figure on it; at "
            f"{100 * CONFIRMED_SHARE:.0f}% of wins or more that is how the company sells.",
            "supports": share >= CONFIRMED_SHARE,
        }
    )


def forecast_evidence(session: Session, today: date) -> tuple[EvidenceOut, EvidenceOut]:
    """The forecast's rigour (closed quarters compared, the best method's error) and whether
    the value-informed method is the most accurate."""
    result = service_accuracy.accuracy(session, OPERATOR, None, today)
    quarters = len(result.periods)
    label = (
        f"{result.periods[0].period} to {result.periods[-1].period}"
        if quarters
        else "closed quarters with a forecast snapshot"
    )
    wape = {m.method: m.wape for m in result.methods if m.wape is not None}
    best = result.most_accurate
    rigour = EvidenceOut(
        id="forecast_accuracy",
        title="Forecast method in use and its accuracy",
        value="no closed quarter has a forecast snapshot",
        meaning="Snapshot the forecast each quarter to measure how right it was.",
        period=label,
        supports=None,
        basis=quarters,
    )
    informed = rigour.model_copy(
        update={"id": "forecast_value_informed", "title": "Value-informed forecasting"}
    )
    if not quarters or best is None:
        return rigour, informed
    methods = ", ".join(f"{LABELS[m]} {100 * w:.0f}%" for m, w in wape.items())
    good = quarters >= MIN_QUARTERS and wape[best] <= WAPE_LIMIT
    rigour = rigour.model_copy(
        update={
            "value": f"{quarters} closed quarters snapshotted; error (WAPE) by method: {methods}",
            "meaning": f"{LABELS[best]} was the most accurate. Rigour here means at least "
            f"{MIN_QUARTERS} quarters measured and the best method within "
            f"{100 * WAPE_LIMIT:.0f}% of what was won.",
            "supports": good,
        }
    )
    value_wape = wape.get("value")
    informed = informed.model_copy(
        update={
            "value": "value-informed forecast error "
            + ("not available" if value_wape is None else f"{100 * value_wape:.0f}%")
            + f"; most accurate: {LABELS[best]}",
            "meaning": "When the deal's value to the customer against its price forecasts best, "
            "the company's value figures carry real information about customer preference.",
            "supports": quarters >= MIN_QUARTERS and best == "value",
        }
    )
    return rigour, informed


def approvals_value_evidence(session: Session, today: date) -> EvidenceOut:
    start, end, label = _period(today)
    _, policy = policies.active(session)
    value_rules = [r.id for r in policy.rules if any(c.field in VALUE_FIELDS for c in r.conditions)]
    since = datetime.combine(start, time.min, tzinfo=UTC)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=UTC)
    rows = session.scalars(
        select(PriceRequest.evidence).where(
            PriceRequest.state.in_(("approved", "rejected")),
            PriceRequest.decided_at >= since,
            PriceRequest.decided_at < until,
        )
    ).all()
    decided = len(rows)
    with_value = sum(1 for e in rows if isinstance(e, dict) and e.get("has_value_case") is True)
    rules_text = f"{len(value_rules)} of {len(policy.rules)} rules of the price policy in force"
    base = EvidenceOut(
        id="approvals_value_evidence",
        title="Price approvals using value evidence",
        value=f"{rules_text} test value-case evidence; no price request decided in the period",
        meaning="Policy rules that test the value case make approvers look at customer value.",
        period=label,
        supports=None if not value_rules and not decided else False,
        basis=decided,
    )
    if not decided:
        return base
    share = Decimal(with_value) / decided
    return base.model_copy(
        update={
            "value": f"{rules_text} test value-case evidence; {_pct(with_value, decided)} of "
            f"{decided} decided price requests had a value case behind them",
            "meaning": "Exceptions are decided on customer value when the policy asks for it and "
            f"at least {100 * EVIDENCE_REQUEST_SHARE:.0f}% of decisions had a value case to read.",
            "supports": bool(value_rules) and share >= EVIDENCE_REQUEST_SHARE,
        }
    )


def gather(session: Session, today: date) -> dict[str, EvidenceOut]:
    """Every data-backed indicator, by id."""
    rigour, informed = forecast_evidence(session, today)
    items = [
        discount_tracking(session, today),
        call_planning(session, today),
        confirmed_value_cases(session, today),
        rigour,
        informed,
        approvals_value_evidence(session, today),
    ]
    return {item.id: item for item in items}
