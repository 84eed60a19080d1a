"""The RFP analysis worked by hand: shares, win rates, price realisation, quarters."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from valuescout.rfp.analysis import RfpRow, analyse, quarter_of

D = Decimal


def row(i: int, cls: str, outcome: str, amount: str, day: date = date(2026, 2, 1),
        lines: tuple[str, str] | None = None) -> RfpRow:  # fmt: skip
    return RfpRow(
        rfp_id=i, engagement_class=cls, received_on=day, outcome=outcome, amount=D(amount),
        list_total=D(lines[0]) if lines else None, net_total=D(lines[1]) if lines else None,
    )  # fmt: skip


ROWS = [
    # shaped: 2 won (lines 100/90 and 300/285), 1 lost, 1 pending
    row(1, "shaped", "won", "90", lines=("100", "90")),
    row(2, "shaped", "won", "285", date(2026, 5, 3), lines=("300", "285")),
    row(3, "shaped", "lost", "100"),
    row(4, "shaped", "pending", "25", date(2026, 5, 9)),
    # unknown: 1 won without lines, 2 lost, 1 no decision, 1 withdrawn
    row(5, "unknown", "won", "200"),
    row(6, "unknown", "lost", "100"),
    row(7, "unknown", "lost", "100", date(2026, 4, 1)),
    row(8, "unknown", "no_decision", "50"),
    row(9, "unknown", "withdrawn", "50"),
    # contents: 1 won with lines 1000/700
    row(10, "contents", "won", "700", lines=("1000", "700")),
    row(11, "none", "won", "999"),  # not an RFP class: ignored
]


def test_overall_figures_by_hand() -> None:
    result = analyse(ROWS)
    assert result.count == 10 and result.amount == D("1700")
    unknown, known, contents, shaped = result.classes
    assert [c.engagement_class for c in result.classes] == [
        "unknown",
        "known",
        "contents",
        "shaped",
    ]
    # shaped: 4 of 10 RFPs; 90+285+100+25 = 500 of 1700
    assert shaped.count == 4 and shaped.count_share == D("0.4000")
    assert shaped.amount == D("500") and shaped.amount_share == D("0.2941")
    # won 2 of 3 judged (pending left out); realisation (90+285)/(100+300) = 0.9375
    assert (shaped.judged, shaped.won, shaped.win_rate) == (3, 2, D("0.6667"))
    assert shaped.realised_deals == 2 and shaped.realisation == D("0.9375")
    # unknown: 1 won of 4 judged (withdrawn left out); no won deal has lines
    assert (unknown.judged, unknown.won, unknown.win_rate) == (4, 1, D("0.2500"))
    assert unknown.realisation is None and unknown.realised_deals == 0
    assert unknown.count_share == D("0.5000")
    assert contents.realisation == D("0.7000") and contents.win_rate == D("1.0000")
    assert known.count == 0 and known.win_rate is None and known.count_share == D("0.0000")


def test_per_quarter() -> None:
    result = analyse(ROWS)
    assert [(q.quarter, q.count) for q in result.quarters] == [("2026-Q1", 7), ("2026-Q2", 3)]
    q2 = {c.engagement_class: c for c in result.quarters[1].classes}
    assert q2["shaped"].count == 2 and q2["shaped"].win_rate == D("1.0000")
    assert q2["shaped"].realisation == D("0.9500")
    assert q2["unknown"].win_rate == D("0.0000")
    assert q2["shaped"].amount_share == D("0.7561")  # 310 / 410


def test_nothing_to_analyse() -> None:
    result = analyse([])
    assert result.count == 0 and result.quarters == ()
    assert all(c.count_share is None and c.win_rate is None for c in result.classes)


@given(st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31)))
def test_quarter_of(day: date) -> None:
    year, q = quarter_of(day).split("-Q")
    assert int(year) == day.year and (int(q) - 1) * 3 < day.month <= int(q) * 3


@given(st.lists(st.tuples(st.sampled_from(["unknown", "known", "contents", "shaped"]),
                          st.sampled_from(["won", "lost", "pending", "no_decision", "withdrawn"]),
                          st.integers(0, 10_000)), max_size=30))  # fmt: skip
def test_shares_add_up(items: list[tuple[str, str, int]]) -> None:
    result = analyse([row(i, c, o, str(a)) for i, (c, o, a) in enumerate(items)])
    assert sum(c.count for c in result.classes) == len(items)
    if items:
        total = sum((c.count_share or D(0)) for c in result.classes)
        assert abs(total - 1) <= D("0.0004")
    for c in result.classes:
        assert c.win_rate is None or D(0) <= c.win_rate <= 1
