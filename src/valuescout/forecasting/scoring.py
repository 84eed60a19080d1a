"""The scorecard's fit and engagement shown on an account and on an opportunity, in the same
terms (scoring continuity, domain-method §4.5): the same rules, the same 0..100 scales and
bands; an account has the signals a lead and an account can have (the people in touch, the
economic buyer and champion among its contacts, its deals' meetings), an opportunity adds the
confirmed value-case outcomes and a mutual plan. On an open opportunity, for callers who see
money, every method's win probability too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.deals.access import visible_account, visible_opportunity
from valuescout.deals.models import Opportunity
from valuescout.forecasting import features, methods
from valuescout.forecasting.scorecard import (
    EngagementSignals,
    Score,
    band,
    default_scorecard,
    score_engagement,
    score_fit,
)
from valuescout.forecasting.service import trained_models
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission


@dataclass(frozen=True)
class ScoreView:
    fit: Score
    fit_band: str
    engagement: Score
    engagement_band: str
    probabilities: dict[str, float | None] | None  # open opportunities, for who sees money
    labels: dict[str, str]


def opportunity_scores(
    session: Session, principal: Principal, opp_id: int, today: date | None = None
) -> ScoreView:
    visible_opportunity(session, principal, opp_id)
    today = today or date.today()
    stmt = features.deals_query().where(Opportunity.id == opp_id)
    deal = features.deal_features(session, stmt, today)[0]
    card = default_scorecard()
    fit, engagement = score_fit(card, deal.account), score_engagement(card, deal.engagement)
    probabilities = None
    if deal.outcome == "open" and principal.can(Permission.SEE_MONEY):
        probabilities = methods.score(trained_models(session, today), [deal])[0].probabilities
    return ScoreView(
        fit, band(fit), engagement, band(engagement), probabilities, dict(methods.LABELS)
    )


def account_scores(
    session: Session, principal: Principal, account_id: int, today: date | None = None
) -> ScoreView:
    """The account as a lead or account is scored: no value case, no mutual plan."""
    account = visible_account(session, principal, account_id)
    today = today or date.today()
    card = default_scorecard()
    fit = score_fit(card, features.account_fields(account))
    eb, champion, stakeholders = features.people_of(session, {account.id}).get(
        account.id, (False, False, 0)
    )
    last = session.scalar(
        select(func.max(Opportunity.last_meeting_on)).where(Opportunity.account_id == account.id)
    )
    engagement = score_engagement(
        card,
        EngagementSignals(
            economic_buyer=eb,
            champion=champion,
            stakeholders=stakeholders,
            meetings=(last,) if last else (),
            as_of=today,
        ),
    )
    return ScoreView(fit, band(fit), engagement, band(engagement), None, dict(methods.LABELS))
