"""JSON shapes of the analytics API over the system's own deals.

Figures are statistics over many lines, so they are numbers (floats), money rounded to cents
by the engine; rates are fractions (0.12 is 12%). Group keys use the canonical column names
(`rep_id`, `customer_id` ..., `month`, `quarter`), as the CLI's JSON does.
"""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class SourceOut(BaseModel):
    """Which deal lines an answer covers, and what was left out of them."""

    status: str = Field(description="won, open, lost or all deals")
    start: date | None
    end: date | None
    currency: str
    currencies: list[str] = Field(description="currencies of the deals in scope and period")
    lines: int
    lines_without_cost: int = Field(description="lines with no known cost (counted as 0)")
    lines_without_list_price: int = Field(description="lines left out: list price 0")
    filters: dict[str, str | None]
    as_of: datetime | None = Field(
        None, description="when the deal lines were read (a minute old at most, plus a read)"
    )


class MeasuresOut(BaseModel):
    lines: int
    quantity: float
    list_revenue: float
    invoice_revenue: float
    discount: float
    discount_rate: float | None
    price_realisation: float | None
    off_invoice: float
    pocket_revenue: float
    cost: float
    pocket_margin: float
    pocket_margin_pct: float | None


class GroupOut(MeasuresOut):
    group: dict[str, str | None] = Field(description="the group's key per dimension")


class DiscountsOut(BaseModel):
    source: SourceOut
    by: list[str]
    total: MeasuresOut
    groups: list[GroupOut]
    groups_total: int
    opportunity_names: dict[str, str] = Field(
        default_factory=dict, description="names of the deals among the groups, by id"
    )


class StepOut(BaseModel):
    label: str
    amount: float
    is_total: bool


class WaterfallOut(BaseModel):
    filters: dict[str, str | None]
    lines: int
    quantity: float
    list_revenue: float
    discount: float
    invoice_revenue: float
    off_invoice: float
    pocket_revenue: float
    cost: float
    pocket_margin: float
    discount_rate: float | None
    price_realisation: float | None
    pocket_price_realisation: float | None
    pocket_margin_pct: float | None
    markup: float | None
    steps: list[StepOut]


class WaterfallsOut(BaseModel):
    source: SourceOut
    slices: list[WaterfallOut]


class OutlierOut(BaseModel):
    actor: str
    status: str = Field(description="flag (|z| >= 3), watch (|z| >= 2) or ok")
    lines: int
    list_revenue: float
    discount: float
    rate: float
    expected_rate: float
    residual: float
    standard_error: float | None
    z: float | None
    shrunk_residual: float | None
    excess_discount: float = Field(description="discount $ beyond peers' rates (may be < 0)")
    money_at_stake: float
    shrunk_money_at_stake: float | None
    uncompared_list_revenue: float


class OutliersOut(BaseModel):
    source: SourceOut
    actor: str
    sigma: float | None
    tau: float | None
    excluded_from_peers: list[str]
    unbenchmarked: list[str]
    actors: list[OutlierOut]


class TopItemOut(BaseModel):
    item: str
    discount: float


class ConcentrationOut(BaseModel):
    dimension: str
    items: int
    discount: float
    gini: float
    top_decile_share: float
    top: list[TopItemOut]
    lorenz: list[tuple[float, float]]


class ConcentrationsOut(BaseModel):
    source: SourceOut
    sides: list[ConcentrationOut]


class BandOut(BaseModel):
    product_id: str
    points: int
    volume: float
    mean: float
    p10: float
    p25: float
    p50: float
    p75: float
    p90: float
    minimum: float
    maximum: float
    width: float


class BandsOut(BaseModel):
    source: SourceOut
    products: list[BandOut]


class PeerComparisonOut(BaseModel):
    compared: int = Field(description="decisions (or approvals) in cells with peers")
    uncompared: int
    rate: float
    expected_rate: float = Field(description="what peers did in the same cells")
    residual: float
    z: float | None
    shrunk_residual: float | None
    shrunk_z: float | None


class ApproverOut(BaseModel):
    approver: str
    flag: str = Field(description="lenient, watch or in line")
    decisions: int
    approvals: int
    approval_rate: float
    approval: PeerComparisonOut | None
    approved_list_revenue: float
    approved_discount: float
    approved_discount_rate: float | None
    discount: PeerComparisonOut | None
    money_at_stake: float = Field(description="discount $ granted beyond peers' rates")
    valued_approvals: int = Field(description="approvals with a value case")
    left_on_table: float = Field(
        description="discount $ granted where the customer already preferred us"
    )
    quantified_value: float
    discount_share_of_value: float | None


class LeniencyOut(BaseModel):
    start: date | None
    end: date | None
    currency: str
    decisions: int
    figures_at: datetime | None = Field(
        default=None, description="when the decisions were read (shared for a minute)"
    )
    approvers: list[ApproverOut]


class PlanIn(BaseModel):
    name: str = Field(default="", max_length=100, description="shown when the YAML has none")
    source: str = Field(max_length=100_000, description="the plan in YAML")


class CompensationIn(BaseModel):
    plans: list[PlanIn] = Field(min_length=1, max_length=4, description="the first is current")
    quotas: str | None = Field(
        default=None, max_length=1_000_000, description="CSV: seller,quota (overrides the plans')"
    )


class PayoutOut(BaseModel):
    seller: str
    deals: int
    invoice_revenue: float
    pocket_margin: float
    discount_rate: float | None
    attainment: float | None
    revenue_commission: float
    margin_commission: float
    discount_adjustment: float
    accelerator: float
    cap_floor: float
    payout: float


class PlanResultOut(BaseModel):
    plan: str
    total_payout: float = Field(description="the cost of sales under the plan")
    invoice_revenue: float
    pocket_margin: float
    company_margin: float = Field(description="pocket margin minus payouts")
    cost_of_sales_rate: float | None
    sellers: list[PayoutOut]


class ChangeOut(BaseModel):
    seller: str
    before: float
    after: float
    change: float


class SwitchOut(BaseModel):
    before: str
    after: str
    total_change: float
    company_margin_change: float
    changes: list[ChangeOut] = Field(description="every seller, largest gain first")


class CompensationOut(BaseModel):
    source: SourceOut
    results: list[PlanResultOut]
    switches: list[SwitchOut]


class RankedOut(BaseModel):
    actor: str
    money_at_stake: float
    rate: float
    expected_rate: float
    z: float | None
    status: str


class RankingOut(BaseModel):
    actor: str = Field(description="rep, approver or customer")
    compared: int
    money_at_stake: float = Field(description="summed over everyone compared")
    top: list[RankedOut]


class LeakageOut(BaseModel):
    source: SourceOut
    list_revenue: float
    discount: float
    discount_rate: float | None
    off_invoice: float
    total_leakage: float
    left_on_table: float | None = Field(
        description="discount $ on deals whose customer preferred us at list price"
    )
    known_share: float | None = Field(
        description="share of list revenue on deals with a value case (what left_on_table covers)"
    )
    known_discount: float
    rankings: list[RankingOut]
