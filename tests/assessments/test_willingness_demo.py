"""The demo's willingness assessments and kept reputation results: most accounts, varied,
with history, answers that follow the deals, the same for the same seed."""

from __future__ import annotations

from collections import Counter
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.assessments import willingness as w
from valuescout.assessments.engagement_models import ReputationSnapshot, WillingnessAssessment
from valuescout.deals.models import Account
from valuescout.demo.deals import DealScale
from valuescout.demo.generator import seed_demo
from valuescout.demo.willingness import Profile, answers_for, seed_willingness

SCALE = DealScale(accounts=40, opportunities=200)
TODAY = date(2026, 11, 15)


def _rows(session: Session) -> list[tuple[object, ...]]:
    a = WillingnessAssessment
    stmt = select(a.account_id, a.opportunity_id, a.assessed_at, a.answers, a.willingness)
    return [tuple(r) for r in session.execute(stmt.order_by(a.id))]


def test_most_accounts_varied_with_history(session: Session) -> None:
    demo = seed_demo(session, seed=7, today=TODAY, deals=SCALE)
    rows = session.scalars(select(WillingnessAssessment)).all()
    accounts = session.scalars(select(Account.id)).all()
    assessed = {r.account_id for r in rows if r.account_id is not None}
    assert 0.65 * len(accounts) <= len(assessed) <= 0.95 * len(accounts)
    per_account = Counter(r.account_id for r in rows if r.account_id is not None)
    assert any(n == 2 for n in per_account.values())  # histories
    assert any(r.opportunity_id is not None for r in rows)
    assert len({r.quadrant for r in rows}) >= 3
    assert {r.model for r in rows} == {m.value for m in w.SalesModel}
    for r in rows:  # stored scores are the rules' scores of the stored answers
        assert w.score(r.answers).willingness == r.willingness
    kept = session.scalars(select(ReputationSnapshot.period)).all()
    assert kept == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
    before = _rows(session)
    seed_willingness(session, demo)  # a second run adds nothing
    assert _rows(session) == before


def test_answers_follow_the_deals() -> None:
    import random

    renewer = Profile(deals=6, renewals=5, wins=5, amounts=[])
    newcomer = Profile(deals=2, renewals=0, wins=0, with_case=2, amounts=[])
    routine = [w.score(answers_for(random.Random(i), renewer, 1)) for i in range(200)]
    fresh = [w.score(answers_for(random.Random(i), newcomer, 1)) for i in range(200)]
    mean = lambda rs: sum(r.willingness for r in rs) / len(rs)  # noqa: E731
    assert mean(fresh) > mean(routine) + 25
    assert sum(r.model == w.SalesModel.TRUSTED_EXPERT for r in fresh) > 150
    assert sum(r.model == w.SalesModel.DIVIDE_AND_OPTIMISE for r in routine) > 150
