"""The demo company's forecasting history: a snapshot rebuilt at the start of each of the last
four quarters and of this one, quotas per team, and an accuracy page with every method."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from tests.demo_store import ReadDemo
from valuescout.forecasting import service_accuracy
from valuescout.forecasting.models import ForecastQuota, ForecastSnapshot
from valuescout.identity.models import User
from valuescout.identity.roles import Role
from valuescout.identity.service import principal_of

TODAY = date(2026, 6, 15)


@pytest.mark.xdist_group("demo-full")
def test_demo_forecast_history(read_demo: ReadDemo) -> None:
    demo, session = read_demo(seed=7, today=TODAY)
    snaps = session.scalars(select(ForecastSnapshot).order_by(ForecastSnapshot.as_of)).all()
    assert [s.period for s in snaps] == ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]
    assert all(s.kind == "backfill" and s.as_of.day == 1 for s in snaps)
    assert demo.forecasts.snapshots == 5
    quotas = session.scalar(select(func.count()).select_from(ForecastQuota))
    assert quotas == demo.forecasts.quotas and quotas > 0
    executive = session.scalars(select(User).where(User.role == Role.EXECUTIVE)).first()
    assert executive is not None
    out = service_accuracy.accuracy(session, principal_of(executive), today=TODAY)
    assert [p.period for p in out.periods] == ["2025-Q2", "2025-Q3", "2025-Q4", "2026-Q1"]
    assert all(m.wape is not None and m.brier is not None for m in out.methods)
    assert all(p.deals > 20 for p in out.periods)
    assert out.most_accurate is not None
