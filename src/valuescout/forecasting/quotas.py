"""A team's quota for a forecast period, in the company's currency. Executives and admins set
it (`Permission.SET_QUOTAS`); the forecast reads it (`service._quota`) for coverage and the
chance of making it. Every change is in the audit trail."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.errors import NotFound
from valuescout.core.money import to_money
from valuescout.deals.valuecase_figures import deal_settings
from valuescout.forecasting.models import ForecastQuota
from valuescout.forecasting.periods import Period
from valuescout.forecasting.schemas import QuotaOut
from valuescout.identity.models import Team
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission

ENTITY = "forecast_quota"


def set_quota(
    session: Session, principal: Principal, team_id: int, period: Period, amount: Decimal
) -> QuotaOut:
    """Set (or replace) the team's quota for the period."""
    principal.require(Permission.SET_QUOTAS)
    if session.get(Team, team_id) is None:
        raise NotFound(f"Team {team_id} not found.")
    currency = deal_settings(session).currency
    amount = to_money(amount)
    quota = session.scalar(
        select(ForecastQuota).where(
            ForecastQuota.team_id == team_id, ForecastQuota.period == period.label
        )
    )
    before = None if quota is None else str(quota.amount)
    if quota is None:
        quota = ForecastQuota(
            team_id=team_id, period=period.label, amount=amount, currency=currency
        )
        session.add(quota)
    else:
        quota.amount, quota.currency = amount, currency
    session.flush()
    audit.record(
        session, principal.actor, "forecast_quota.set", ENTITY, quota.id,
        {"team_id": team_id, "period": period.label, "amount": [before, str(amount)]},
    )  # fmt: skip
    return QuotaOut(team_id=team_id, period=period.label, amount=amount, currency=currency)
