"""Sales compensation plans and their simulation over a period's sums (domain-method §5).

Pure: no database; plans are read from YAML by `compensation_yaml`. A plan pays each seller,
per deal, a commission on revenue and/or on pocket margin, scaled by the deal's discount tier,
then accelerates the seller's period commission above quota, then applies a cap and a floor:

    base(deal)    = revenue rate x revenue (invoice or pocket) + margin rate x pocket margin
    after tiers   = sum over deals of base(deal) x multiplier(tier of the deal's discount rate)
    accelerated   = after tiers x accelerator factor(attainment)
    payout        = min(cap, max(floor, accelerated)), rounded to cents

Decisions:

- **Discount tiers apply per deal** (the lines of one `opportunity_id` and seller; a line
  without one is its own deal). Sellers negotiate deals, not lines; a per-line multiplier would
  reward moving the discount from one line of a deal to another. The deal's discount rate is
  dollar-weighted: (list revenue - invoice revenue) / list revenue. A tier `up_to: 0.10` holds
  rates <= 10%; the next tier starts just above. The multiplier scales the deal's whole
  commission (revenue and margin parts).
- **Accelerators are marginal**, not retroactive: with quota 100k, attainment measured on
  150k and `above: 1.0, multiplier: 1.5`, the commission earned on the part above 100k is paid
  x1.5, so the factor is (100 x 1 + 50 x 1.5) / 150. The commission is spread evenly over the
  quota measure (revenue or margin). Retroactive accelerators make cliffs where one dollar
  more of revenue pays thousands more; marginal ones do not. Attainment <= 0 gives factor 1.
- **Pocket margin may be negative** (a loss-making deal): its margin commission is negative,
  netted against the seller's other deals. The floor (default 0) keeps a seller from owing.
- Money is Decimal; sums arrive unrounded and are rounded to cents once. `payout` is the
  clamped total rounded; each part is the step between rounded running totals (revenue,
  + margin, after tiers, accelerated, clamped), so the parts sum to the payout exactly, a part
  that is 0 shows 0, and each is within a cent of its exact value.

The input, `SellerSums`, is sums per seller and per discount tier band (`Bucket`): what an
engine produces with one GROUP BY (see `compensation_data`), whatever the engine. A bucket
carries the lowest and highest deal discount rate in it, so a plan can check that the bucket
lies inside one of its tiers (`ValueError` otherwise: compute the buckets with `band_edges`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from valuescout.core.money import to_money

ZERO = Decimal(0)
ONE = Decimal(1)


class RevenueBasis(StrEnum):
    INVOICE = "invoice"
    POCKET = "pocket"


class QuotaMeasure(StrEnum):
    INVOICE_REVENUE = "invoice_revenue"
    POCKET_REVENUE = "pocket_revenue"
    POCKET_MARGIN = "pocket_margin"


# --- the plan ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Tier:
    """Deals with a discount rate <= up_to (None: any rate above the previous tier)."""

    up_to: Decimal | None
    multiplier: Decimal


@dataclass(frozen=True, slots=True)
class Accelerator:
    """The commission on the part of the quota measure above `above` x quota is x multiplier."""

    above: Decimal
    multiplier: Decimal


@dataclass(frozen=True, slots=True)
class Quota:
    measure: QuotaMeasure
    default: Decimal | None
    sellers: Mapping[str, Decimal]
    accelerators: tuple[Accelerator, ...]

    def of(self, seller: str, overrides: Mapping[str, Decimal] | None = None) -> Decimal | None:
        if overrides and seller in overrides:
            return overrides[seller]
        return self.sellers.get(seller, self.default)


@dataclass(frozen=True, slots=True)
class Plan:
    name: str
    revenue_rate: Decimal = ZERO
    revenue_basis: RevenueBasis = RevenueBasis.INVOICE
    margin_rate: Decimal = ZERO
    tiers: tuple[Tier, ...] = ()  # empty: every deal x1
    quota: Quota | None = None
    cap: Decimal | None = None
    floor: Decimal = ZERO
    description: str = ""

    def tier_index(self, rate: Decimal) -> int:
        for i, tier in enumerate(self.tiers):
            if tier.up_to is None or rate <= tier.up_to:
                return i
        return len(self.tiers) - 1  # unreachable for a parsed plan: its last tier is open

    def multiplier(self, low: Decimal | None, high: Decimal | None) -> Decimal:
        """The multiplier of deals with discount rates in [low, high]; one tier must hold both."""
        if not self.tiers:
            return ONE
        if low is None or high is None:
            raise ValueError(f"plan {self.name!r} has discount tiers; buckets need their rates")
        first, last = self.tier_index(low), self.tier_index(high)
        if first != last:
            raise ValueError(
                f"a bucket with discount rates {low}..{high} spans tiers of plan "
                f"{self.name!r}; group deals by band_edges() of every plan"
            )
        return self.tiers[first].multiplier

    def edges(self) -> tuple[Decimal, ...]:
        return tuple(t.up_to for t in self.tiers if t.up_to is not None)


def band_edges(plans: Iterable[Plan]) -> tuple[Decimal, ...]:
    """Every plan's tier bounds, ascending: band i holds rates in (edge[i-1], edge[i]]."""
    return tuple(sorted({edge for plan in plans for edge in plan.edges()}))


# --- the input -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Bucket:
    """Sums over some of a seller's deals (unrounded money); rates are the deals' lowest and
    highest discount rate (needed only by plans with discount tiers)."""

    list_revenue: Decimal
    invoice_revenue: Decimal
    off_invoice: Decimal
    cost: Decimal
    deals: int = 1
    min_rate: Decimal | None = None
    max_rate: Decimal | None = None

    @property
    def pocket_revenue(self) -> Decimal:
        return self.invoice_revenue - self.off_invoice

    @property
    def pocket_margin(self) -> Decimal:
        return self.pocket_revenue - self.cost


def deal(
    list_revenue: Decimal | int | str,
    invoice_revenue: Decimal | int | str,
    cost: Decimal | int | str,
    off_invoice: Decimal | int | str = 0,
) -> Bucket:
    """One deal as a bucket, its discount rate computed (for tests and small inputs)."""
    lst, inv = Decimal(list_revenue), Decimal(invoice_revenue)
    rate = (lst - inv) / lst if lst else ZERO
    return Bucket(lst, inv, Decimal(off_invoice), Decimal(cost), 1, rate, rate)


@dataclass(frozen=True, slots=True)
class SellerSums:
    seller: str
    buckets: tuple[Bucket, ...]

    def total(self, name: str) -> Decimal:
        return sum((getattr(b, name) for b in self.buckets), ZERO)


# --- the result ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Payout:
    """One seller's payout under one plan and its parts (cents; the parts sum to `payout`)."""

    seller: str
    deals: int
    invoice_revenue: Decimal
    pocket_revenue: Decimal
    pocket_margin: Decimal
    discount_rate: float | None
    quota: Decimal | None
    attainment: float | None
    revenue_commission: Decimal
    margin_commission: Decimal
    discount_adjustment: Decimal
    accelerator: Decimal
    cap_floor: Decimal
    payout: Decimal


@dataclass(frozen=True, slots=True)
class PlanResult:
    plan: str
    sellers: tuple[Payout, ...]
    total_payout: Decimal  # the cost of sales (compensation) under the plan
    invoice_revenue: Decimal
    pocket_margin: Decimal
    company_margin: Decimal  # pocket margin - payouts
    cost_of_sales_rate: float | None  # payouts / invoice revenue


@dataclass(frozen=True, slots=True)
class SellerChange:
    seller: str
    before: Decimal
    after: Decimal
    change: Decimal


@dataclass(frozen=True, slots=True)
class Switch:
    """Moving from plan `before` to plan `after`: every seller's change, largest gain first."""

    before: str
    after: str
    changes: tuple[SellerChange, ...]
    total_change: Decimal
    company_margin_change: Decimal

    @property
    def winners(self) -> tuple[SellerChange, ...]:
        return tuple(c for c in self.changes if c.change > 0)

    @property
    def losers(self) -> tuple[SellerChange, ...]:
        return tuple(sorted((c for c in self.changes if c.change < 0), key=lambda c: c.change))


@dataclass(frozen=True, slots=True)
class Comparison:
    results: tuple[PlanResult, ...]
    switches: tuple[Switch, ...] = field(default=())  # from the first plan to each other


# --- the simulation ------------------------------------------------------------------------


def accelerator_factor(plan: Plan, measure: Decimal, quota: Decimal | None) -> Decimal:
    """The marginal accelerator factor: the measure's parts above each step, weighted."""
    if plan.quota is None or not plan.quota.accelerators or not quota or measure <= 0:
        return ONE
    attainment = measure / quota
    weighted = ZERO
    previous, mult = ZERO, ONE
    for step in plan.quota.accelerators:
        if attainment <= step.above:
            break
        weighted += (step.above - previous) * mult
        previous, mult = step.above, step.multiplier
    weighted += (attainment - previous) * mult
    return weighted / attainment


def pay(
    plan: Plan, seller: SellerSums, quota_overrides: Mapping[str, Decimal] | None = None
) -> Payout:
    """One seller's payout under a plan."""
    revenue_part = margin_part = after_tiers = ZERO
    for bucket in seller.buckets:
        basis = bucket.invoice_revenue
        if plan.revenue_basis == RevenueBasis.POCKET:
            basis = bucket.pocket_revenue
        rev = plan.revenue_rate * basis
        gm = plan.margin_rate * bucket.pocket_margin
        revenue_part += rev
        margin_part += gm
        after_tiers += (rev + gm) * plan.multiplier(bucket.min_rate, bucket.max_rate)
    quota = plan.quota.of(seller.seller, quota_overrides) if plan.quota else None
    measure = seller.total(plan.quota.measure.value) if plan.quota else ZERO
    factor = accelerator_factor(plan, measure, quota)
    accelerated = after_tiers * factor
    clamped = max(plan.floor, accelerated)
    if plan.cap is not None:
        clamped = min(plan.cap, clamped)
    # Telescoping rounding: each part is the change in the rounded running total, so the parts
    # sum to the payout exactly and a part that is 0 stays 0.
    running = [
        to_money(v)
        for v in (revenue_part, revenue_part + margin_part, after_tiers, accelerated, clamped)
    ]
    revenue_c, margin_c, adjustment, accelerator, cap_floor = (
        b - a for a, b in zip([ZERO, *running], running, strict=False)
    )
    payout = running[-1]
    list_revenue = seller.total("list_revenue")
    invoice = seller.total("invoice_revenue")
    return Payout(
        seller=seller.seller,
        deals=sum(b.deals for b in seller.buckets),
        invoice_revenue=to_money(invoice),
        pocket_revenue=to_money(seller.total("pocket_revenue")),
        pocket_margin=to_money(seller.total("pocket_margin")),
        discount_rate=float((list_revenue - invoice) / list_revenue) if list_revenue else None,
        quota=quota if plan.quota else None,
        attainment=float(measure / quota) if plan.quota and quota else None,
        revenue_commission=revenue_c,
        margin_commission=margin_c,
        discount_adjustment=adjustment,
        accelerator=accelerator,
        cap_floor=cap_floor,
        payout=payout,
    )


def simulate(
    plan: Plan,
    sellers: Sequence[SellerSums],
    quotas: Mapping[str, Decimal] | None = None,
) -> PlanResult:
    """Every seller's payout under the plan (sorted by seller), the totals and the company's
    margin after commissions. `quotas` overrides the plan's quota per seller."""
    payouts = tuple(sorted((pay(plan, s, quotas) for s in sellers), key=lambda p: p.seller))
    total = sum((p.payout for p in payouts), ZERO)
    invoice = sum((p.invoice_revenue for p in payouts), ZERO)
    margin = sum((p.pocket_margin for p in payouts), ZERO)
    return PlanResult(
        plan=plan.name,
        sellers=payouts,
        total_payout=total,
        invoice_revenue=invoice,
        pocket_margin=margin,
        company_margin=margin - total,
        cost_of_sales_rate=float(total / invoice) if invoice else None,
    )


def switch(before: PlanResult, after: PlanResult) -> Switch:
    """Who gains and who loses moving from one plan to another."""
    old = {p.seller: p.payout for p in before.sellers}
    new = {p.seller: p.payout for p in after.sellers}
    changes = [
        SellerChange(s, old.get(s, ZERO), new.get(s, ZERO), new.get(s, ZERO) - old.get(s, ZERO))
        for s in sorted(set(old) | set(new))
    ]
    changes.sort(key=lambda c: (-c.change, c.seller))
    return Switch(
        before=before.plan,
        after=after.plan,
        changes=tuple(changes),
        total_change=after.total_payout - before.total_payout,
        company_margin_change=after.company_margin - before.company_margin,
    )


def compare(
    plans: Sequence[Plan],
    sellers: Sequence[SellerSums],
    quotas: Mapping[str, Decimal] | None = None,
) -> Comparison:
    """Each plan's result, and the switch from the first plan to each other one."""
    if not plans:
        raise ValueError("compare needs at least one plan")
    results = tuple(simulate(p, sellers, quotas) for p in plans)
    return Comparison(results, tuple(switch(results[0], r) for r in results[1:]))
