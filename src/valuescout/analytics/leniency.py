"""Approver leniency from price-desk decisions (issue 6; domain-method §3.7 and §1.4).

An approver is lenient when they approve more discount requests, or grant deeper discounts,
than their peers do on comparable requests. Comparable means the same *cell*: segment x deal
type x size band (the deal at list), so an approver who sees bigger or harder deals is not
blamed for their mix. The input is one ``ApprovalDecision`` per decision; the order of the
decisions does not matter.

Two comparisons, each the peer-adjusted outlier model of ``outliers.py`` (``peer_outliers``,
imported, not copied: leave-one-out peer rates, pooled noise, empirical-Bayes shrinkage, the
masking step that takes flagged approvers out of the others' benchmarks):

* **Approval rate.** Every decision weighs 1 and its outcome is 1 (approved, counter-offers the
  seller accepted included) or 0. For approver a in cell c with n_ac decisions and k_ac
  approvals, the peer rate leaves a's own decisions out: p_c = (K_c - k_ac) / (N_c - n_ac). A
  cell where nobody else decided has no benchmark (``approval.uncompared``). Over the compared
  cells: actual rate k_a / n_a, expected rate Σ n_ac·p_c / n_a (what a's mix predicts),
  residual R = actual - expected, noise sigma = the pooled within-(approver, cell) SD of the
  0/1 outcomes, SE = sigma / sqrt(n_a), z = R / SE, tau^2 = max(0, mean(R^2 - SE^2)) over the
  approvers, the shrunk residual R·tau^2 / (tau^2 + SE^2) (``outliers.shrink``) and the shrunk
  z = shrunk residual / SE (z pulled toward 0 by the same factor; 0 when tau is 0).
* **Granted discount.** Over the approved decisions only, weighted by the deal at list L: the
  dollar-weighted granted rate Σ L·d / Σ L (d = the approved discount rate) against the rate
  peers granted in the same cells, with its z and shrunk residual as above (SE from the
  list-revenue weights, Kish), the excess discount Σ L·(d - p_c) in dollars and the money at
  stake, its positive part: what the approver granted beyond what peers would have.

Where the deal has a value case (``preference_before``, the customer's preference in dollars
before the discount = quantified differential value - (price before - alternative price)):

* **left on the table** = the discount $ granted on deals whose preference was already positive:
  the customer preferred us at the price before the discount, so it did not change the winner
  (domain-method §1.4: decline it, or trade it for something of equal value);
* **discount share of value** = Σ discount $ / Σ quantified value over the approvals with a
  positive quantified value: how much of the value the customer gets told about was given away.

The flag is one-sided (a strict approver is not lenient): ``lenient`` when the approval z or the
discount z is at least ``z_flag`` (the discount's excess at least ``min_money``), ``watch`` at
``z_watch`` or more, else ``in line``. Rates are floats; money is Decimal rounded to cents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from valuescout.analytics.outliers import (
    ActorOutlier,
    OutlierLine,
    OutlierReport,
    cell_sums_from_lines,
    peer_outliers,
)
from valuescout.core.money import to_money

ZERO = Decimal(0)
ONE = Decimal(1)
LENIENT, WATCH, IN_LINE = "lenient", "watch", "in line"
_FLAG_ORDER = {LENIENT: 0, WATCH: 1, IN_LINE: 2}


@dataclass(frozen=True, slots=True)
class ApprovalDecision:
    """One approver's decision on one price request.

    ``cell`` is (segment, deal type, size band label); ``list_revenue`` the deal at list (> 0);
    rates are fractions 0..1. ``approved_discount`` is the rate granted when approved (a
    counter-offer's rate when the seller accepted it); None on an approval means the requested
    rate was granted, and a rejection carries none.
    """

    approver: str
    request_id: str
    cell: tuple[str, str, str]
    list_revenue: Decimal
    requested_discount: Decimal
    approved: bool
    approved_discount: Decimal | None = None
    preference_before: Decimal | None = None
    quantified_value: Decimal | None = None

    def __post_init__(self) -> None:
        where = f"request {self.request_id!r} of {self.approver!r}"
        if not self.list_revenue > 0:
            raise ValueError(f"{where}: the deal at list must be positive")
        for name in ("requested_discount", "approved_discount"):
            rate = getattr(self, name)
            if rate is not None and not ZERO <= rate <= ONE:
                raise ValueError(f"{where}: {name} {rate} is not a rate from 0 to 1")
        if not self.approved and self.approved_discount is not None:
            raise ValueError(f"{where}: a rejected request has no approved discount")

    @property
    def granted_rate(self) -> Decimal:
        """The discount rate granted: 0 when rejected."""
        if not self.approved:
            return ZERO
        return self.requested_discount if self.approved_discount is None else self.approved_discount

    @property
    def granted(self) -> Decimal:
        """The discount $ granted (unrounded): the deal at list x the granted rate."""
        return self.list_revenue * self.granted_rate


@dataclass(frozen=True, slots=True)
class PeerComparison:
    """An approver's rate against what peers deciding in the same cells would predict.

    ``compared`` counts the decisions in cells with peers; ``uncompared`` those without."""

    compared: int
    uncompared: int
    rate: float
    expected_rate: float
    residual: float
    standard_error: float | None
    z: float | None
    shrunk_residual: float | None
    shrunk_z: float | None  # shrunk residual / SE: z pulled toward 0 like the residual


@dataclass(frozen=True, slots=True)
class ApproverLeniency:
    """One approver: counts, the two peer comparisons (None without any compared cell), the
    granted discount $ and its excess over peers, the value-case figures and the flag."""

    approver: str
    decisions: int
    approvals: int
    approval_rate: float
    approval: PeerComparison | None
    approved_list_revenue: Decimal
    approved_discount: Decimal
    approved_discount_rate: float | None
    discount: PeerComparison | None
    excess_discount: Decimal | None
    money_at_stake: Decimal
    shrunk_money_at_stake: Decimal | None
    valued_approvals: int  # approvals whose deal has a known preference before the discount
    left_on_table: Decimal  # discount $ granted where that preference was already positive
    quantified_value: Decimal  # over approvals with a positive quantified value
    discount_share_of_value: float | None  # discount $ / quantified value over those approvals
    flag: str  # "lenient", "watch" or "in line"


@dataclass(frozen=True, slots=True)
class LeniencyReport:
    """Every approver, lenient first, then by money at stake; the noise figures of both
    comparisons and the approvers left out of peer benchmarks (the masking step)."""

    approvers: list[ApproverLeniency]
    approval_sigma: float | None
    approval_tau: float | None
    discount_sigma: float | None
    discount_tau: float | None
    approval_excluded_from_peers: list[str]
    discount_excluded_from_peers: list[str]


@dataclass(slots=True)
class _Tally:
    decisions: int = 0
    approvals: int = 0
    approved_list: Decimal = ZERO
    granted: Decimal = ZERO
    valued: int = 0
    left_on_table: Decimal = ZERO
    value: Decimal = ZERO
    granted_on_valued: Decimal = ZERO


def _tally(decisions: Iterable[ApprovalDecision]) -> dict[str, _Tally]:
    out: dict[str, _Tally] = {}
    for d in decisions:
        t = out.setdefault(d.approver, _Tally())
        t.decisions += 1
        if not d.approved:
            continue
        t.approvals += 1
        t.approved_list += d.list_revenue
        t.granted += d.granted
        if d.preference_before is not None:
            t.valued += 1
            if d.preference_before > 0:
                t.left_on_table += d.granted
        if d.quantified_value is not None and d.quantified_value > 0:
            t.value += d.quantified_value
            t.granted_on_valued += d.granted
    return out


def _comparison(found: ActorOutlier | None, total: int) -> PeerComparison | None:
    if found is None:
        return None
    shrunk_z = None
    if found.shrunk_residual is not None and found.z is not None:
        se = found.standard_error
        shrunk_z = found.shrunk_residual / se if se else found.z
    return PeerComparison(
        compared=found.lines,
        uncompared=total - found.lines,
        rate=found.rate,
        expected_rate=found.expected_rate,
        residual=found.residual,
        standard_error=found.standard_error,
        z=found.z,
        shrunk_residual=found.shrunk_residual,
        shrunk_z=shrunk_z,
    )


def _flag(
    approval: ActorOutlier | None,
    discount: ActorOutlier | None,
    z_flag: float,
    z_watch: float,
    min_money: Decimal,
) -> str:
    zs: list[float] = []
    if approval is not None and approval.z is not None:
        zs.append(approval.z)
    if discount is not None and discount.z is not None and discount.excess_discount >= min_money:
        zs.append(discount.z)
    top = max(zs, default=0.0)
    if top >= z_flag:
        return LENIENT
    if top >= z_watch:
        return WATCH
    return IN_LINE


def leniency(
    decisions: Iterable[ApprovalDecision],
    *,
    z_flag: float = 3.0,
    z_watch: float = 2.0,
    min_money: Decimal = ZERO,
) -> LeniencyReport:
    """Each approver's approval rate and granted discount against peers in the same cells."""
    listed = list(decisions)
    # Approval rate: each decision weighs 1; "discount" 1 = approved, 0 = rejected.
    approvals: OutlierReport = peer_outliers(
        cell_sums_from_lines(
            OutlierLine(d.approver, d.cell, ONE, ZERO if d.approved else ONE) for d in listed
        ),
        z_flag=z_flag,
        z_watch=z_watch,
    )
    # Granted discount: approvals only, weighted by the deal at list.
    discounts: OutlierReport = peer_outliers(
        cell_sums_from_lines(
            OutlierLine(d.approver, d.cell, d.list_revenue, d.list_revenue - d.granted)
            for d in listed
            if d.approved
        ),
        z_flag=z_flag,
        z_watch=z_watch,
        min_money=min_money,
    )
    by_approval = {a.actor: a for a in approvals.actors}
    by_discount = {a.actor: a for a in discounts.actors}
    rows: list[ApproverLeniency] = []
    for name, t in _tally(listed).items():
        a, d = by_approval.get(name), by_discount.get(name)
        rows.append(
            ApproverLeniency(
                approver=name,
                decisions=t.decisions,
                approvals=t.approvals,
                approval_rate=t.approvals / t.decisions,
                approval=_comparison(a, t.decisions),
                approved_list_revenue=to_money(t.approved_list),
                approved_discount=to_money(t.granted),
                approved_discount_rate=(
                    float(t.granted / t.approved_list) if t.approved_list > 0 else None
                ),
                discount=_comparison(d, t.approvals),
                excess_discount=None if d is None else d.excess_discount,
                money_at_stake=ZERO.quantize(Decimal("0.01")) if d is None else d.money_at_stake,
                shrunk_money_at_stake=None if d is None else d.shrunk_money_at_stake,
                valued_approvals=t.valued,
                left_on_table=to_money(t.left_on_table),
                quantified_value=to_money(t.value),
                discount_share_of_value=(
                    float(t.granted_on_valued / t.value) if t.value > 0 else None
                ),
                flag=_flag(a, d, z_flag, z_watch, min_money),
            )
        )
    rows.sort(key=lambda r: (_FLAG_ORDER[r.flag], -r.money_at_stake, r.approver))
    return LeniencyReport(
        approvers=rows,
        approval_sigma=approvals.sigma,
        approval_tau=approvals.tau,
        discount_sigma=discounts.sigma,
        discount_tau=discounts.tau,
        approval_excluded_from_peers=approvals.excluded_from_peers,
        discount_excluded_from_peers=discounts.excluded_from_peers,
    )
