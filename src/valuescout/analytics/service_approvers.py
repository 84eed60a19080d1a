"""Approver leniency over the price desk's decisions: who approves more, or grants deeper
discounts, than peers deciding comparable requests — and, where value cases exist, how much
was granted to customers who already preferred us.

Only for callers who see every approver (Permission.REVIEW_APPROVERS: price desk, executive,
admin): the comparison is across the whole company's approvers, and naming them to a manager
would show people outside their team.

The review reads every decision of the company (seconds at 100,000 deals; bench/README.md,
load test), so one reading is shared for `MAX_AGE` seconds by every caller asking for the same
period and currency, then served for up to `STALE_FOR` seconds while a background thread reads
it again; the page says as of when.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.orm import Session

from valuescout.analytics.approvals import DecisionQuery, decisions
from valuescout.analytics.leniency import PeerComparison, leniency
from valuescout.analytics.schemas import ApproverOut, LeniencyOut, PeerComparisonOut
from valuescout.core.shared_cache import SharedCache
from valuescout.deals.valuecase_figures import deal_settings
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission

MAX_AGE = 60.0
STALE_FOR = 600.0  # served while recomputed behind, up to this old; older: in the request
REVIEWS: SharedCache[LeniencyOut] = SharedCache(32, max_age=MAX_AGE, name="approver-reviews")


def _peer(p: PeerComparison | None) -> PeerComparisonOut | None:
    if p is None:
        return None
    return PeerComparisonOut(
        compared=p.compared,
        uncompared=p.uncompared,
        rate=p.rate,
        expected_rate=p.expected_rate,
        residual=p.residual,
        z=p.z,
        shrunk_residual=p.shrunk_residual,
        shrunk_z=p.shrunk_z,
    )


def approver_leniency(session: Session, principal: Principal, query: DecisionQuery) -> LeniencyOut:
    """Every approver's approval rate and granted discount against peers in the same cells."""
    principal.require(Permission.REVIEW_APPROVERS)
    currency = query.currency or deal_settings(session).currency
    wanted = DecisionQuery(query.start, query.end, currency)
    engine = session.get_bind().engine

    def refresh() -> LeniencyOut:  # its own session: the request's is gone by then
        with Session(engine) as own:
            return _review(own, wanted)

    key = (str(engine.url), wanted)
    return REVIEWS.get(key, lambda: _review(session, wanted), refresh=refresh, stale_for=STALE_FOR)


def _review(session: Session, query: DecisionQuery) -> LeniencyOut:
    figures_at = datetime.now(UTC)
    found = decisions(session, query)
    report = leniency(found)
    return LeniencyOut(
        start=query.start,
        end=query.end,
        currency=query.currency or "",
        decisions=len(found),
        figures_at=figures_at,
        approvers=[
            ApproverOut(
                approver=a.approver,
                flag=a.flag,
                decisions=a.decisions,
                approvals=a.approvals,
                approval_rate=a.approval_rate,
                approval=_peer(a.approval),
                approved_list_revenue=float(a.approved_list_revenue),
                approved_discount=float(a.approved_discount),
                approved_discount_rate=a.approved_discount_rate,
                discount=_peer(a.discount),
                money_at_stake=float(a.money_at_stake),
                valued_approvals=a.valued_approvals,
                left_on_table=float(a.left_on_table),
                quantified_value=float(a.quantified_value),
                discount_share_of_value=a.discount_share_of_value,
            )
            for a in report.approvers
        ],
    )
