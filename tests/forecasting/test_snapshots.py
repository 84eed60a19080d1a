"""Snapshots (taken today, or rebuilt for a past day from the deals' history) and the accuracy
of every method once the quarter has closed."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.analytics.deal_builders import account, deal, product
from tests.deals.test_service_builders import principal
from tests.factories import Org, make_org
from valuescout.core.errors import Forbidden
from valuescout.deals.models import Opportunity, OpportunityChange
from valuescout.forecasting import service_accuracy, snapshots
from valuescout.forecasting.models import ForecastSnapshotDeal
from valuescout.forecasting.periods import Period

Q3 = Period(2026, 3)
TODAY = date(2026, 11, 15)


def _moved(session: Session, opp: Opportunity, changes: list[tuple[str, str, str]]) -> None:
    """Stage / close-date history: (field, new value, ISO day)."""
    for field, value, day in changes:
        at = datetime.fromisoformat(day).replace(hour=10, tzinfo=UTC)
        session.add(
            OpportunityChange(opportunity_id=opp.id, field=field, new_value=value, changed_at=at)
        )
    session.flush()


@pytest.fixture()
def org(session: Session) -> Org:
    """Closed history before Q3 (6 won, 6 lost), and three deals open on 1 July 2026: one won
    in Q3 (10,000), one lost in Q3, one still open; a deal created in August is not in the
    1 July snapshot."""
    made = make_org(session)
    seller = made.user("seller")
    pump = product(session, "Pump", "1000", "400")
    acc = account(session, seller, "Plant", "enterprise")
    for j in range(12):
        opp = deal(
            session,
            seller,
            acc,
            pump,
            [("1", "900")],
            outcome="won" if j % 2 else "lost",
            close=date(2026, 3, 1 + j),
        )
        _moved(session, opp, [("stage", "Won" if j % 2 else "Lost", f"2026-03-{1 + j:02d}")])
    for name, outcome, qty in [("Win", "won", "10"), ("Loss", "lost", "5"), ("Still", "open", "3")]:
        opp = deal(
            session,
            seller,
            acc,
            pump,
            [(qty, "1000")],
            outcome=outcome,
            close=date(2026, 9, 1),
            name=name,
        )
        _moved(
            session,
            opp,
            [("stage", "Proposal", "2026-06-01"), ("close_date", "2026-09-01", "2026-06-01")],
        )
    late = deal(
        session,
        seller,
        acc,
        pump,
        [("7", "1000")],
        outcome="won",
        close=date(2026, 9, 5),
        name="Late",
    )
    _moved(session, late, [("stage", "Proposal", "2026-08-01")])
    return made


def test_a_rebuilt_snapshot_sees_the_past(session: Session, org: Org) -> None:
    scored, won, currency = snapshots.rebuild(session, Q3, Q3.start)
    assert sorted(s.deal.name for s in scored) == ["Loss", "Still", "Win"]
    assert all(s.probabilities["stage"] == pytest.approx(0.6) for s in scored)  # Proposal then
    assert won == [] and currency == "USD"
    early, _, _ = snapshots.rebuild(session, Period(2026, 2), date(2026, 4, 1))
    assert early == []  # nothing was open yet on 1 April


def test_accuracy_of_a_closed_quarter(session: Session, org: Org) -> None:
    snap = snapshots.backfill(session, Q3, Q3.start)
    rows = session.scalars(
        select(ForecastSnapshotDeal).where(ForecastSnapshotDeal.snapshot_id == snap.id)
    ).all()
    assert len(rows) == 3 and snap.kind == "backfill"
    out = service_accuracy.accuracy(session, principal(session, org.user("executive")), today=TODAY)
    q3 = next(p for p in out.periods if p.period == "2026-Q3")
    assert q3.actual == 17000  # Win 10,000 + Late 7,000 (created after the snapshot)
    stage = q3.methods["stage"]
    assert stage.forecast == pytest.approx(0.6 * 18000)
    assert stage.error_pct == pytest.approx((0.6 * 18000 - 17000) / 17000)
    assert stage.brier == pytest.approx(((0.6 - 1) ** 2 + 0.6**2 + 0.6**2) / 3)
    assert out.most_accurate in {"stage", "fit_engagement", "value", "trained"}
    assert {m.method for m in out.methods} == {"stage", "fit_engagement", "value", "trained"}


def test_taking_a_snapshot_today(session: Session, org: Org) -> None:
    exec_ = principal(session, org.user("executive"))
    snap = snapshots.take(session, exec_, Period(2026, 4), TODAY)
    rows = session.scalars(
        select(ForecastSnapshotDeal).where(ForecastSnapshotDeal.snapshot_id == snap.id)
    ).all()
    assert [r.amount for r in rows] == [3000]  # "Still" is overdue and still expected
    assert snap.kind == "manual" and snap.taken_by_id == org.user("executive").id
    for role in ("manager", "seller", "price_desk", "contributor"):
        with pytest.raises(Forbidden):
            snapshots.take(session, principal(session, org.user(role)), Period(2026, 4), TODAY)
