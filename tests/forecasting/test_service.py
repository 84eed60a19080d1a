"""The forecast of a team and quarter by every method: which deals count, the stage-weighted
figures by hand, the learned methods trained on closed deals, the team roll-up, quotas, and who
may see what."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy.orm import Session

from tests.analytics.deal_builders import account, deal, product
from tests.deals.test_service_builders import principal
from tests.factories import Org, make_org
from tests.shared_caches import sharing
from valuescout.core.errors import Forbidden, NotFound
from valuescout.forecasting import model_cache, owner_deals, service
from valuescout.forecasting.models import ForecastQuota
from valuescout.forecasting.periods import Period

TODAY = date(2026, 11, 15)
Q4 = Period(2026, 4)


@pytest.fixture()
def org(session: Session) -> Org:
    """Team A's seller and team B's seller_b, 12 closed deals each (half won), and open deals:
    seller 2 in Q4 and 1 overdue, seller_b 1 in Q4 and 1 in 2027-Q1."""
    made = make_org(session)
    pump = product(session, "Pump", "1000", "400")
    for i, who in enumerate(("seller", "seller_b")):
        owner = made.user(who)
        acc = account(session, owner, f"Plant {i}", "enterprise")
        for j in range(12):
            outcome = "won" if j % 2 == 0 else "lost"
            close = date(2026, 1 + j % 9, 10)
            deal(session, owner, acc, pump, [("1", str(900 + j))], outcome=outcome, close=close)
    a, b = made.user("seller"), made.user("seller_b")
    acc_a = account(session, a, "Open plant A", "mid-market")
    acc_b = account(session, b, "Open plant B", "small")
    deal(session, a, acc_a, pump, [("10", "1000")], outcome="open", close=date(2026, 12, 1))
    deal(session, a, acc_a, pump, [("5", "1000")], outcome="open", close=date(2026, 11, 30))
    deal(session, a, acc_a, pump, [("2", "1000")], outcome="open", close=date(2026, 9, 30))
    deal(session, b, acc_b, pump, [("4", "1000")], outcome="open", close=date(2026, 12, 20))
    deal(session, b, acc_b, pump, [("8", "1000")], outcome="open", close=date(2027, 2, 1))
    deal(session, a, acc_a, pump, [("3", "1000")], outcome="won", close=date(2026, 10, 5))
    return made


def _run(session: Session, org: Org, role: str, **kw: object) -> service.ForecastOut:
    who = principal(session, org.user(role))
    return service.forecast(session, who, service.ForecastQuery(Q4, today=TODAY, **kw))  # type: ignore[arg-type]


def _p_stage(session: Session) -> Decimal:
    from sqlalchemy import select

    from valuescout.deals.models import Stage

    first = session.scalar(select(Stage).where(Stage.outcome == "open").order_by(Stage.id))
    assert first is not None
    return first.probability


def test_the_company_forecast(session: Session, org: Org) -> None:
    out = _run(session, org, "executive")
    assert out.period == "2026-Q4" and out.start == date(2026, 10, 1)
    assert out.deal_count == 4  # 3 in Q4 + 1 overdue; 2027-Q1 is next quarter's
    assert out.won == 3000 and out.open_amount == 21000
    p = float(_p_stage(session))
    stage = next(m for m in out.methods if m.method == "stage")
    assert stage.expected == pytest.approx(3000 + 21000 * p)
    assert stage.p10 is not None and stage.p10 <= stage.p50 <= stage.p90  # type: ignore[operator]
    learned = [m for m in out.methods if m.method != "stage"]
    assert all(m.available for m in learned) and out.closed_deals_learned_from == 25
    assert [d.amount for d in out.deals] == [10000, 5000, 4000, 2000]
    assert next(d for d in out.deals if d.amount == 2000).overdue
    assert all(
        set(d.probabilities) == {"stage", "fit_engagement", "value", "trained"} for d in out.deals
    )
    assert out.deals[0].factors  # the trained model's pushes
    assert [t.name for t in out.teams] == ["West"]  # the company's one child


def test_team_rollup_and_scope(session: Session, org: Org) -> None:
    west = _run(session, org, "executive", team_id=org.region.id)
    assert [t.name for t in west.teams] == ["West A", "West B"]
    team_a = next(t for t in west.teams if t.name == "West A")
    assert team_a.won == 3000
    manager = _run(session, org, "manager")
    assert manager.team_name == "West A" and manager.deal_count == 3
    with pytest.raises(NotFound):
        _run(session, org, "manager", team_id=org.team_b.id)
    seller_b = _run(session, org, "seller_b")
    assert seller_b.deal_count == 1 and seller_b.team_id is None
    with pytest.raises(NotFound):
        _run(session, org, "seller", team_id=org.team_a.id)
    with pytest.raises(Forbidden):
        _run(session, org, "contributor")


def test_quota_gives_coverage_and_chance(session: Session, org: Org) -> None:
    session.add(
        ForecastQuota(
            team_id=org.team_a.id, period="2026-Q4", amount=Decimal(10000), currency="USD"
        )
    )
    session.flush()
    out = _run(session, org, "manager")
    assert out.quota == 10000
    stage = next(m for m in out.methods if m.method == "stage")
    assert stage.coverage == pytest.approx(stage.expected / 10000)  # type: ignore[operator]
    assert 0 <= stage.chance_of_quota <= 1  # type: ignore[operator]


def test_learned_methods_say_why_they_are_unavailable(session: Session) -> None:
    made = make_org(session)
    pump = product(session, "Pump", "1000", "400")
    acc = account(session, made.user("seller"), "Only plant", "small")
    deal(
        session,
        made.user("seller"),
        acc,
        pump,
        [("1", "900")],
        outcome="open",
        close=date(2026, 12, 1),
    )
    model_cache.CACHE.clear()
    out = service.forecast(
        session, principal(session, made.user("admin")), service.ForecastQuery(Q4, today=TODAY)
    )
    trained = next(m for m in out.methods if m.method == "trained")
    assert not trained.available and "wins" in (trained.reason or "")
    assert next(m for m in out.methods if m.method == "stage").available


def test_a_forecast_is_shared_only_by_who_would_get_the_same(
    session: Session, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    with sharing(monkeypatch, service.FORECASTS):
        company = _run(session, org, "executive")
        assert _run(session, org, "admin") is company  # the same deals, team and period
        seller = _run(session, org, "seller")
        assert seller is not company and seller.deal_count == 3
        assert _run(session, org, "seller_b").deal_count == 1  # not the other seller's
        assert _run(session, org, "executive", team_id=org.region.id) is not company
        with pytest.raises(NotFound):  # the team check runs before anything shared
            _run(session, org, "manager", team_id=org.team_b.id)
        with pytest.raises(Forbidden):
            _run(session, org, "contributor")
        later = service.forecast(
            session,
            principal(session, org.user("executive")),
            service.ForecastQuery(Q4, today=date(2026, 11, 16)),
        )
        assert later is not company and later.figures_at >= company.figures_at


def test_each_owners_scored_deals_are_shared_by_the_forecasts_that_include_them(
    session: Session, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    read: list[set[int]] = []
    reading = owner_deals.open_deals

    def counted(s: Session, owners: set[int], *args: object) -> object:
        read.append(set(owners))
        return reading(s, owners, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(owner_deals, "open_deals", counted)
    with sharing(monkeypatch, owner_deals.OWNER_DEALS, model_cache.CACHE, model_cache.CLOSED):
        alone = _run(session, org, "seller")
        company = _run(session, org, "executive")
        seller, other = org.user("seller").id, org.user("seller_b").id
        assert read[0] == {seller} and seller not in read[1] and other in read[1]
        assert company.deal_count == 4 and alone.deal_count == 3  # as computed alone
        assert company.figures_at == alone.figures_at  # as old as the oldest deals in it
        read.clear()
        assert _run(session, org, "executive").deal_count == 4
        assert read == []  # every owner's deals still current
    unshared = _run(session, org, "executive")
    assert unshared.methods == company.methods and unshared.deals == company.deals
