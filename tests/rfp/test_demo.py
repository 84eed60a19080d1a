"""The demo company's RFPs: one per deal with an RFP class, all four classes, outcomes that
agree with the deal's stage, dates inside the deal's life, and shaped RFPs winning more."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.deals.models import Opportunity, Stage
from valuescout.demo.deals import DealScale
from valuescout.demo.generator import seed_demo
from valuescout.forecasting.service import OPERATOR
from valuescout.rfp import service
from valuescout.rfp.models import RfpRecord

TODAY = date(2026, 6, 15)
AGREES = {"won": {"won"}, "lost": {"lost", "no_decision", "withdrawn"}, "open": {"pending"}}


def test_demo_rfps_follow_their_deals(session: Session) -> None:
    seed_demo(session, seed=7, deals=DealScale(accounts=60, opportunities=400), today=TODAY)
    rows = session.execute(
        select(RfpRecord, Opportunity, Stage.outcome)
        .join(Opportunity, Opportunity.id == RfpRecord.opportunity_id)
        .join(Stage, Stage.id == Opportunity.stage_id)
    ).all()
    with_class = session.scalars(select(Opportunity.id).where(Opportunity.rfp_class != "none"))
    assert sorted(r.opportunity_id for r, _, _ in rows) == sorted(with_class)
    assert Counter(r.engagement_class for r, _, _ in rows).keys() == {
        "unknown", "known", "contents", "shaped"
    }  # fmt: skip
    for rfp, opp, stage_outcome in rows:
        assert rfp.engagement_class == opp.rfp_class
        assert rfp.outcome in AGREES[stage_outcome], (rfp.outcome, stage_outcome)
        assert opp.created_at.date() <= rfp.received_on <= TODAY
        for later in (rfp.due_on, rfp.submitted_on, rfp.decided_on):
            assert later is None or later >= rfp.received_on
        if stage_outcome != "open":
            assert rfp.decided_on is not None and rfp.decided_on <= TODAY
    _, out = service.analyse(session, OPERATOR)
    rate = {c.engagement_class: c.win_rate for c in out.classes}
    assert rate["shaped"] is not None and rate["unknown"] is not None
    assert rate["shaped"] > rate["unknown"]
