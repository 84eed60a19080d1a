"""The reputation check: the maths by hand on a small book (pure), trends, the reading's
rules, and the service over the database - scope, stored snapshots, refusals."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.analytics.deal_builders import account, deal, product
from tests.deals.test_service_builders import principal
from tests.factories import Org, make_org
from valuescout.assessments import reputation as rep
from valuescout.assessments import reputation_service
from valuescout.assessments.engagement_models import ReputationSnapshot
from valuescout.core.errors import Forbidden
from valuescout.deals.models import ValueCase, ValueOutcome
from valuescout.rfp.models import RfpRecord

Q3 = rep.Quarter("2026-Q3", date(2026, 7, 1), date(2026, 9, 30))
D = Decimal


def won(on: date, listed: str | None, net: str | None, confirmed: bool = False) -> rep.WonOrLost:
    return rep.WonOrLost(on, True, D(listed) if listed else None, D(net) if net else None,
                         confirmed)  # fmt: skip


def test_one_quarter_by_hand() -> None:
    deals = [
        won(date(2026, 7, 3), "1000", "700", confirmed=True),  # 30% off: above 20%
        won(date(2026, 8, 1), "2000", "1800"),  # 10% off
        won(date(2026, 9, 30), None, None, confirmed=True),  # no lines: not priced
        won(date(2026, 8, 2), "1000", "800"),  # exactly 20% off: not above
        rep.WonOrLost(date(2026, 8, 5), False, D("500"), D("100"), False),  # lost
        won(date(2026, 10, 1), "1000", "100"),  # next quarter
    ]
    rfps = [
        rep.RfpFact(date(2026, 7, 1), "shaped", False, 1),
        rep.RfpFact(date(2026, 7, 9), "unknown", True, 3),  # crowded
        rep.RfpFact(date(2026, 7, 9), "known", True, 1),  # one competitor: not crowded
        rep.RfpFact(date(2026, 8, 9), "contents", False, 4),  # not customer-written alone
        rep.RfpFact(date(2026, 9, 9), "unknown", True, None),  # not known: not crowded
        rep.RfpFact(date(2026, 9, 9), "shaped", True, 5),  # shaped by us: never crowded
        rep.RfpFact(date(2026, 6, 30), "shaped", False, 0),  # last quarter
    ]
    s = rep.score_quarter(Q3, deals, rfps)
    assert (s.rfps, s.shaped, s.crowded) == (6, 2, 1)
    assert (s.won, s.lost, s.won_priced, s.above_threshold, s.confirmed_won) == (4, 1, 3, 1, 2)
    assert (s.list_total, s.net_total) == (D("4000"), D("3300"))
    assert s.value("shaped_share") == D("0.3333") and s.value("crowded_share") == D("0.1667")
    assert s.value("discount_dependence") == D("0.3333")  # 1 of 3 priced wins
    assert s.value("price_realisation") == D("0.8250")  # 3,300 / 4,000
    assert s.value("confirmed_value_share") == D("0.5000")  # 2 of 4 wins
    # A lower threshold counts the 20% deal too.
    assert rep.score_quarter(Q3, deals, rfps, D("0.19")).above_threshold == 2


def test_nothing_to_measure_is_none_not_zero() -> None:
    s = rep.score_quarter(Q3, [], [])
    assert all(s.value(k) is None for k in rep.MEASURE_KEYS)


def test_trends() -> None:
    t = rep.trend("discount_dependence", [("a", D("0.3")), ("b", None), ("c", D("0.5"))])
    assert (t.latest, t.previous, t.change, t.direction) == (D("0.5"), D("0.3"), D("0.2"), "worse")
    assert rep.trend("shaped_share", [("a", D("0.3")), ("b", D("0.5"))]).direction == "better"
    assert rep.trend("shaped_share", [("a", D("0.30")), ("b", D("0.32"))]).direction == "steady"
    assert rep.trend("shaped_share", [("a", D("0.3"))]).direction == "unknown"
    assert rep.trend("shaped_share", [("a", None)]).latest is None


def _trends(**latest: str) -> dict[str, rep.Trend]:
    return {
        k: rep.Trend(k, D(latest[k]) if k in latest else None, "q", None, None, "unknown")
        for k in rep.MEASURE_KEYS
    }


def test_the_reading_rules() -> None:
    bad = rep.reading(_trends(shaped_share="0.1", discount_dependence="0.6",
                              price_realisation="0.8", confirmed_value_share="0.1",
                              crowded_share="0.4"))  # fmt: skip
    assert bad[0].startswith("Reading: customers see a vendor to compare on price")
    assert len(bad) == 6
    good = rep.reading(_trends(shaped_share="0.5", discount_dependence="0.1",
                               price_realisation="0.95", confirmed_value_share="0.6"))  # fmt: skip
    assert good[0].startswith("Reading: customers trust you")
    assert "50% of their RFPs" in good[1]
    assert "price mostly holds" in good[2] and good[3] == "Won deals keep 95% of list price."
    middle = rep.reading(_trends(shaped_share="0.3"))
    assert middle[0].startswith("Reading: no warning signs") and "room to be asked" in middle[1]
    rising = _trends(discount_dependence="0.3", confirmed_value_share="0.6", shaped_share="0.5")
    rising["discount_dependence"] = rep.Trend("discount_dependence", D("0.3"), "q", D("0.1"),
                                              D("0.2"), "worse")  # fmt: skip
    assert rep.reading(rising)[0].startswith("Reading: a mixed reputation")
    mixed = rep.reading(_trends(discount_dependence="0.5", price_realisation="0.9"))
    assert mixed[0].startswith("Reading: a mixed reputation")
    assert rep.reading(_trends()) == ["Not enough closed deals or RFPs yet for a reading."]


# --- the service over the database ---------------------------------------------------------

TODAY = date(2026, 11, 15)  # the current quarter is 2026-Q4; Q3 is the one before


def _book(session: Session) -> Org:
    """seller (team A): a won deal 30% off with a confirmed outcome and a shaped RFP; seller_b
    (team B): a won deal 5% off, a lost one, and a customer-written RFP three competitors
    answered."""
    org = make_org(session)
    pump = product(session, "Rep pump", "1000", "400")
    a, b = org.user("seller"), org.user("seller_b")
    acc_a, acc_b = account(session, a, "Rep A", "small"), account(session, b, "Rep B", "small")
    won_a = deal(session, a, acc_a, pump, [("10", "700")], close=date(2026, 8, 1))
    case = ValueCase(opportunity_id=won_a.id, discount_rate=D("0.1"), target_share=D("0.2"))
    session.add(case)
    session.flush()
    outcome = ValueOutcome(
        value_case_id=case.id, name="Less downtime", yearly_value=D("5000"),
        confidence=D("0.8"), state="confirmed",
    )  # fmt: skip
    session.add(outcome)
    won_b = deal(session, b, acc_b, pump, [("10", "950")], close=date(2026, 8, 2))
    deal(session, b, acc_b, pump, [("1", "900")], outcome="lost", close=date(2026, 9, 1))
    session.add_all([
        RfpRecord(opportunity_id=won_a.id, engagement_class="shaped",
                  received_on=date(2026, 7, 5), competitors_responding=1),
        RfpRecord(opportunity_id=won_b.id, engagement_class="unknown",
                  received_on=date(2026, 7, 6), competitors_responding=3, customer_written=True),
    ])  # fmt: skip
    session.flush()
    return org


def _q3(out: object) -> dict[str, object]:
    quarters = out.quarters  # type: ignore[attr-defined]
    return next(q for q in quarters if q.period == "2026-Q3").model_dump()


def test_the_company_and_a_team(session: Session) -> None:
    org = _book(session)
    company = reputation_service.check(session, principal(session, org.user("executive")), TODAY)
    q3 = _q3(company)
    assert company.scope == "the company"
    assert [q.period for q in company.quarters][-2:] == ["2026-Q3", "2026-Q4"]
    assert (q3["rfps"], q3["shaped"], q3["crowded"], q3["won"], q3["lost"]) == (2, 1, 1, 2, 1)
    assert q3["discount_dependence"] == D("0.5000")  # 30% off of the two
    assert q3["price_realisation"] == D("0.8250")  # (7,000 + 9,500) / 20,000
    assert q3["confirmed_value_share"] == D("0.5000") and q3["source"] == "live"
    team = reputation_service.check(session, principal(session, org.user("manager")), TODAY)
    t3 = _q3(team)
    assert team.scope == "West A"
    assert (t3["rfps"], t3["shaped"], t3["won"], t3["lost"]) == (1, 1, 1, 0)
    assert t3["discount_dependence"] == D("1.0000")


@pytest.mark.parametrize("role", ["seller", "contributor"])
def test_sellers_and_contributors_get_nothing(session: Session, role: str) -> None:
    org = _book(session)
    with pytest.raises(Forbidden):
        reputation_service.check(session, principal(session, org.user(role)), TODAY)
    with pytest.raises(Forbidden):
        reputation_service.take_snapshot(session, principal(session, org.user(role)), TODAY)


def test_stored_results_make_the_trend(session: Session) -> None:
    org = _book(session)
    desk = principal(session, org.user("price_desk"))
    first = reputation_service.take_snapshot(session, desk, TODAY)
    assert [s.period for s in first] == ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3",
                                         "2026-Q4"]  # fmt: skip
    again = reputation_service.take_snapshot(session, desk, TODAY)
    assert [s.period for s in again] == ["2026-Q4"]  # past quarters are kept once
    # A deal booked into Q3 afterwards: the trend keeps what was stored for Q3.
    pump = product(session, "Late pump", "1000", "400")
    late = account(session, org.user("seller"), "Late", "small")
    deal(session, org.user("seller"), late, pump, [("1", "100")], close=date(2026, 9, 3))
    out = reputation_service.check(session, desk, TODAY)
    q3 = _q3(out)
    assert q3["source"] == "stored" and q3["won"] == 2 and q3["stored_at"] is not None
    # Another threshold has nothing stored: computed live, with the late deal.
    live = _q3(reputation_service.check(session, desk, TODAY, D("0.25")))
    assert live["source"] == "live" and live["won"] == 3
    # The manager's snapshots are their team's, apart from the company's.
    manager = principal(session, org.user("manager"))
    assert reputation_service.snapshots(session, manager) == []
    reputation_service.take_snapshot(session, manager, TODAY)
    teams = session.scalars(select(ReputationSnapshot.team_id).distinct()).all()
    assert set(teams) == {None, org.team_a.id}
    assert session.scalar(select(func.count(ReputationSnapshot.id))) == 13


days = st.dates(min_value=date(2026, 6, 1), max_value=date(2026, 10, 31))
money = st.decimals(min_value=1, max_value=10_000, places=2)
deals_st = st.lists(
    st.builds(
        lambda on, is_won, listed, off, confirmed: rep.WonOrLost(
            on, is_won, listed, (listed * (1 - off)).quantize(D("0.01")), confirmed
        ),
        days, st.booleans(), money, st.decimals(min_value=0, max_value=1, places=2),
        st.booleans(),
    ),
    max_size=30,
)  # fmt: skip
rfps_st = st.lists(
    st.builds(rep.RfpFact, days, st.sampled_from(["unknown", "known", "contents", "shaped"]),
              st.booleans(), st.one_of(st.none(), st.integers(0, 6))),
    max_size=30,
)  # fmt: skip


@given(deals_st, rfps_st, st.decimals(min_value=0, max_value=D("0.9"), places=2))
def test_every_share_is_a_share(
    deals: list[rep.WonOrLost], rfps: list[rep.RfpFact], threshold: Decimal
) -> None:
    s = rep.score_quarter(Q3, deals, rfps, threshold)
    for key in rep.MEASURE_KEYS:
        value = s.value(key)
        assert value is None or D(0) <= value <= D(1)
    assert s.shaped + s.crowded <= s.rfps  # shaped RFPs are never customer-written alone
    assert s.above_threshold <= s.won_priced <= s.won and s.confirmed_won <= s.won
    higher = rep.score_quarter(Q3, deals, rfps, min(threshold + D("0.1"), D("0.9")))
    assert higher.above_threshold <= s.above_threshold  # a higher bar never counts more
