"""Approver leniency from price-desk decisions: known answers, a planted lenient approver,
leave-one-out by hand, and properties (hypothesis)."""

from __future__ import annotations

import math
import random
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from valuescout.analytics.leniency import (
    IN_LINE,
    LENIENT,
    ApprovalDecision,
    ApproverLeniency,
    LeniencyReport,
    leniency,
)

D = Decimal
X, Y, Z = ("smb", "new", "X"), ("smb", "new", "Y"), ("ent", "renewal", "Z")


def decision(
    approver: str,
    cell: tuple[str, str, str],
    list_revenue: int | str,
    approved: bool,
    rate: str = "0.10",
    granted: str | None = None,
    **value: Decimal,
) -> ApprovalDecision:
    decision.count += 1  # type: ignore[attr-defined]
    return ApprovalDecision(
        approver=approver,
        request_id=f"R{decision.count}",  # type: ignore[attr-defined]
        cell=cell,
        list_revenue=D(list_revenue),
        requested_discount=D(rate),
        approved=approved,
        approved_discount=None if granted is None else D(granted),
        **value,
    )


decision.count = 0  # type: ignore[attr-defined]


def by_name(report: LeniencyReport) -> dict[str, ApproverLeniency]:
    return {a.approver: a for a in report.approvers}


# --- known answers ---------------------------------------------------------------------------


def test_identical_approvers_are_all_in_line_with_z_zero() -> None:
    pattern = [
        (X, 1000, True, "0.10"),
        (X, 3000, True, "0.14"),
        (X, 2000, False, "0.30"),
        (Y, 500, True, "0.05"),
        (Y, 800, False, "0.25"),
        (Z, 90_000, True, "0.20"),
    ]
    decisions = [
        decision(name, cell, lv, ok, rate)
        for name in ("A", "B", "C", "D", "E")
        for cell, lv, ok, rate in pattern
    ]
    report = leniency(decisions)
    assert len(report.approvers) == 5
    for a in report.approvers:
        assert a.flag == IN_LINE
        assert a.approval is not None and a.discount is not None
        assert a.approval.z == pytest.approx(0.0, abs=1e-9)
        assert a.discount.z == pytest.approx(0.0, abs=1e-9)
        assert a.approval.expected_rate == pytest.approx(a.approval.rate)
        assert a.money_at_stake == D("0.00")
        assert a.approval_rate == pytest.approx(4 / 6)
    assert report.approval_tau == 0.0 and report.discount_tau == 0.0
    assert report.approval_excluded_from_peers == report.discount_excluded_from_peers == []


def test_leave_one_out_by_hand() -> None:
    """Cell X: A approves 2 of 2 (100 at 20%, 300 at 10%), B 1 of 2 (200 at 5%), C 0 of 1.
    Cell Y: A 0 of 1, C 1 of 1 (1000 at 15%). Cell Z: D alone, no peers at all."""
    decisions = [
        decision("A", X, 100, True, "0.20"),
        decision("A", X, 300, True, "0.10"),
        decision("B", X, 200, True, "0.05"),
        decision("B", X, 200, False, "0.30"),
        decision("C", X, 400, False, "0.40"),
        decision("A", Y, 700, False, "0.40"),
        decision("C", Y, 1000, True, "0.20", granted="0.15"),  # a counter-offer accepted
        decision("D", Z, 50, True, "0.50"),
    ]
    report = leniency(decisions)
    got = by_name(report)
    a, b, c, d = (got[k] for k in "ABCD")
    assert (a.decisions, a.approvals, a.approval_rate) == (3, 2, pytest.approx(2 / 3))
    # Approval peers leave the approver out: A's peers in X approve 1 of 3 (B, C), in Y 1 of 1.
    assert a.approval is not None and b.approval is not None and c.approval is not None
    assert a.approval.expected_rate == pytest.approx((2 * (1 / 3) + 1 * 1) / 3)  # 5/9
    assert a.approval.residual == pytest.approx(2 / 3 - 5 / 9)
    # B's peers in X: A and C, 2 of 3; B decided nowhere else.
    assert b.approval.expected_rate == pytest.approx(2 / 3)
    assert b.approval.residual == pytest.approx(1 / 2 - 2 / 3)
    # C's peers: in X A and B, 3 of 4; in Y A, 0 of 1.
    assert c.approval.expected_rate == pytest.approx((3 / 4 + 0) / 2)
    # Noise: only (A, X) and (B, X) have two decisions; outcomes 1,1 and 1,0 -> sigma^2 = 0.5/2.
    assert report.approval_sigma == pytest.approx(0.5)
    assert a.approval.standard_error == pytest.approx(0.5 / math.sqrt(3))
    assert a.approval.z == pytest.approx((2 / 3 - 5 / 9) / (0.5 / math.sqrt(3)))
    # Every R^2 is below its SE^2: no between-approver spread, everything shrinks to 0.
    assert report.approval_tau == 0.0
    assert a.approval.shrunk_residual == 0.0 and a.approval.shrunk_z == 0.0
    # D decided alone in Z: no benchmark for either comparison.
    assert d.approval is None and d.discount is None and d.flag == IN_LINE
    assert (d.decisions, d.approvals, d.approved_discount) == (1, 1, D("25.00"))

    # Granted discount, approvals only: in X A gave 50 of 400, B 10 of 200.
    assert a.discount is not None and b.discount is not None
    assert a.approved_discount == D("50.00") and a.approved_discount_rate == pytest.approx(0.125)
    assert a.discount.expected_rate == pytest.approx(0.05)  # B's rate in X
    assert a.excess_discount == D("30.00") and a.money_at_stake == D("30.00")
    assert b.discount.expected_rate == pytest.approx(0.125)  # A's rate in X
    assert b.excess_discount == D("-15.00") and b.money_at_stake == D("0.00")
    # C's only approval is in Y, where nobody else approved: counted, not compared.
    assert c.discount is None and c.approved_discount == D("150.00")
    sigma = math.sqrt(0.2**2 + 0.1**2 - 0.3**2 / 2)  # (A, X) is the only pair
    assert report.discount_sigma == pytest.approx(sigma)
    se = sigma * math.sqrt(100**2 + 300**2) / 400
    assert a.discount.standard_error == pytest.approx(se)
    assert a.discount.z == pytest.approx(0.075 / se)
    assert (a.discount.compared, a.discount.uncompared) == (2, 0)
    assert (a.approval.compared, a.approval.uncompared) == (3, 0)


def test_uncompared_decisions_are_counted_apart() -> None:
    decisions = [
        decision("A", X, 100, True),
        decision("B", X, 100, False),
        decision("A", Z, 100, True),  # A alone in Z
    ]
    a = by_name(leniency(decisions))["A"]
    assert a.approval is not None and (a.approval.compared, a.approval.uncompared) == (1, 1)
    assert a.approval.rate == 1.0 and a.approval.expected_rate == 0.0
    assert a.approval_rate == 1.0  # over every decision


def test_value_case_figures() -> None:
    decisions = [
        # preference already positive: the whole discount is left on the table
        decision("A", X, 1000, True, "0.10", preference_before=D(64_000), quantified_value=D(400)),
        # preference negative: the discount was needed
        decision("A", X, 2000, True, "0.05", preference_before=D(-15), quantified_value=D(600)),
        # no value case
        decision("A", X, 3000, True, "0.20"),
        # rejected, positive preference: nothing granted
        decision("A", X, 5000, False, "0.30", preference_before=D(5), quantified_value=D(900)),
        decision("B", X, 1000, True, "0.10", preference_before=D(0), quantified_value=D(0)),
    ]
    got = by_name(leniency(decisions))
    a, b = got["A"], got["B"]
    assert a.valued_approvals == 2
    assert a.left_on_table == D("100.00")
    assert a.quantified_value == D("1000.00")
    assert a.discount_share_of_value == pytest.approx((100 + 100) / 1000)
    # A preference of exactly 0 is not "already positive"; a zero value gives no share.
    assert (b.valued_approvals, b.left_on_table, b.discount_share_of_value) == (1, D("0.00"), None)


def planted(seed: int = 7, lenient_extra: float = 0.08) -> list[ApprovalDecision]:
    """Eight approvers over four cells; "L" approves everything, deeper; the others approve
    with the cell's probability at the requested rate or a counter-offer near the cell's rate."""
    rnd = random.Random(seed)
    cells = {
        ("smb", "new", "1,000-9,999"): (0.55, 0.08),
        ("smb", "renewal", "1,000-9,999"): (0.70, 0.05),
        ("ent", "new", "100,000-999,999"): (0.45, 0.15),
        ("ent", "renewal", "10,000-99,999"): (0.60, 0.10),
    }
    out: list[ApprovalDecision] = []
    for name in [*"ABCDEFG", "L"]:
        for i in range(60):
            cell = list(cells)[i % 4]
            p, base = cells[cell]
            lv = D(rnd.randint(2_000, 9_000)) * (100 if cell[0] == "ent" else 1)
            requested = max(0.0, min(1.0, base + rnd.gauss(0.04, 0.03)))
            if name == "L":
                ok, granted = True, min(1.0, requested + lenient_extra)
            else:
                ok = rnd.random() < p
                granted = max(0.0, base + rnd.gauss(0, 0.02))
            out.append(
                ApprovalDecision(
                    approver=name,
                    request_id=f"{name}{i}",
                    cell=cell,
                    list_revenue=lv,
                    requested_discount=D(f"{requested:.4f}"),
                    approved=ok,
                    approved_discount=D(f"{granted:.4f}") if ok else None,
                )
            )
    return out


@pytest.mark.parametrize("seed", [1, 7, 42])
def test_a_planted_lenient_approver_is_flagged_and_honest_ones_are_not(seed: int) -> None:
    report = leniency(planted(seed))
    got = by_name(report)
    lenient = got["L"]
    assert lenient.flag == LENIENT and report.approvers[0].approver == "L"
    assert lenient.approval is not None and lenient.approval.z is not None
    assert lenient.approval.z >= 3
    assert lenient.discount is not None and lenient.discount.z is not None
    assert lenient.discount.z >= 3 and lenient.money_at_stake > 0
    assert lenient.approval_rate == 1.0
    for name in "ABCDEFG":
        assert got[name].flag != LENIENT, got[name]
    # The masking step took the lenient approver out of the others' benchmarks.
    assert "L" in report.approval_excluded_from_peers
    assert "L" in report.discount_excluded_from_peers


def test_thresholds_are_parameters() -> None:
    decisions = planted(7)
    strict = by_name(leniency(decisions, z_flag=1e9, z_watch=1e9))
    assert all(a.flag == IN_LINE for a in strict.values())
    # Discount-only leniency needs its money to matter; approvals still flag L.
    costly = by_name(leniency(decisions, min_money=D(10) ** 12))
    assert costly["L"].flag == LENIENT


def test_a_lenient_discounter_who_approves_like_peers_is_flagged_on_discount() -> None:
    rnd = random.Random(3)
    decisions = []
    for name in "ABCDEFGH":
        for i in range(40):
            cell = (X, Y)[i % 2]
            rate = 0.10 + rnd.gauss(0, 0.01) + (0.06 if name == "H" else 0.0)
            decisions.append(
                decision(name, cell, rnd.randint(1000, 5000), i % 4 != 0, f"{rate:.4f}")
            )
    got = by_name(leniency(decisions))
    h = got["H"]
    assert h.approval is not None and h.approval.z == pytest.approx(0.0, abs=1e-9)
    assert h.flag == LENIENT and h.discount is not None and (h.discount.z or 0) > 3
    assert h.money_at_stake > 0
    assert all(got[n].flag != LENIENT for n in "ABCDEFG")


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"list_revenue": D(0)}, "must be positive"),
        ({"requested_discount": D("1.5")}, "requested_discount 1.5 is not a rate"),
        ({"approved_discount": D("-0.1")}, "approved_discount -0.1 is not a rate"),
        ({"approved": False, "approved_discount": D("0.1")}, "rejected request has no"),
    ],
)
def test_bad_decisions_are_refused(changes: dict[str, object], message: str) -> None:
    values: dict[str, object] = {
        "approver": "A",
        "request_id": "R1",
        "cell": X,
        "list_revenue": D(100),
        "requested_discount": D("0.1"),
        "approved": True,
        "approved_discount": None,
    }
    values.update(changes)
    with pytest.raises(ValueError, match=message):
        ApprovalDecision(**values)  # type: ignore[arg-type]


def test_no_decisions_no_approvers() -> None:
    report = leniency([])
    assert report.approvers == [] and report.approval_sigma is None


# --- properties ------------------------------------------------------------------------------

cells = st.sampled_from([X, Y, Z])
names = st.sampled_from(["A", "B", "C", "D"])
rates = st.integers(0, 100).map(lambda c: D(c) / 100)
money = st.integers(1, 10_000_000).map(lambda c: D(c) / 100)
maybe_money = st.one_of(st.none(), st.integers(-1_000_000, 1_000_000).map(D))


@st.composite
def decisions_strategy(draw: st.DrawFn) -> list[ApprovalDecision]:
    out = []
    for i in range(draw(st.integers(0, 30))):
        ok = draw(st.booleans())
        out.append(
            ApprovalDecision(
                approver=draw(names),
                request_id=f"R{i}",
                cell=draw(cells),
                list_revenue=draw(money),
                requested_discount=draw(rates),
                approved=ok,
                approved_discount=draw(st.one_of(st.none(), rates)) if ok else None,
                preference_before=draw(maybe_money),
                quantified_value=draw(maybe_money),
            )
        )
    return out


@settings(max_examples=150, deadline=None)
@given(decisions=decisions_strategy(), seed=st.integers(0, 2**32))
def test_properties(decisions: list[ApprovalDecision], seed: int) -> None:
    report = leniency(decisions)
    assert sorted(a.approver for a in report.approvers) == sorted({d.approver for d in decisions})
    for a in report.approvers:
        assert 0 <= a.approval_rate <= 1
        assert a.money_at_stake >= 0
        assert a.left_on_table <= a.approved_discount
        assert 0 <= a.approvals <= a.decisions
        if a.approval is not None:
            assert 0 <= a.approval.rate <= 1 and 0 <= a.approval.expected_rate <= 1 + 1e-12
            assert a.approval.compared + a.approval.uncompared == a.decisions
        if a.discount is not None:
            assert a.discount.compared + a.discount.uncompared == a.approvals
            assert a.money_at_stake == max(D("0.00"), a.excess_discount or D(0))
    shuffled = list(decisions)
    random.Random(seed).shuffle(shuffled)
    assert_same(leniency(shuffled), report)


def assert_same(got: LeniencyReport, want: LeniencyReport) -> None:
    """Equal up to float summation order (1e-9 relative)."""
    assert [a.approver for a in got.approvers] == [a.approver for a in want.approvers]
    for g, w in zip(got.approvers, want.approvers, strict=True):
        for field in ApproverLeniency.__dataclass_fields__:
            gv, wv = getattr(g, field), getattr(w, field)
            if field in ("approval", "discount") and gv is not None and wv is not None:
                for sub in type(gv).__dataclass_fields__:
                    same(getattr(gv, sub), getattr(wv, sub))
            else:
                same(gv, wv)
    same(got.approval_sigma, want.approval_sigma)
    same(got.discount_tau, want.discount_tau)
    assert got.approval_excluded_from_peers == want.approval_excluded_from_peers


def same(got: object, want: object) -> None:
    if isinstance(want, float) and isinstance(got, float):
        assert got == pytest.approx(want, rel=1e-9, abs=1e-9) or (got == want)
    else:
        assert got == want
