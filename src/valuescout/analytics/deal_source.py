"""The system's own deals as canonical transaction lines, for the same engine as imported files.

Each opportunity line item becomes one canonical line (see `schema.py`), in the caller's row
scope only:

- `invoice_date` is the deal's close date (its creation day when it has none);
- `customer_id` the account's name, `rep_id` the owner's name, `manager_id` the nearest
  manager up the owner's team hierarchy;
- `region`, `territory` from the account; `segment` the account's `segment` attribute
  (enterprise, mid-market ...), else its industry — the peer model needs a few large groups;
- `unit_cost` the line's cost, else the product's; a line with neither counts as cost 0 and
  is counted in `Source.lines_without_cost` so pages can say margins are overstated;
- `approver_id` who approved the deal's latest approved price request (the last approving
  or countering approver; "Price policy" when the policy approved it itself);
- `off_invoice` is 0: the system records no rebates.

A name the caller may not see (an approver or manager outside a manager's team) is replaced by
`OUTSIDE_SCOPE`, so no analysis shows it. Lines with a list price of 0 cannot have a discount
rate and are left out (counted in `lines_without_list_price`).

The lines land in an in-memory DuckDB table (`lines`), so every analysis of `engine` runs on
them as on a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.analytics.deal_snapshot import Snapshot, arrow_table, now, snapshot
from valuescout.analytics.lines import connect
from valuescout.analytics.schema import COLUMNS
from valuescout.core.money import to_money
from valuescout.deals import valuecase as vc
from valuescout.deals.models import (
    Account,
    LineItem,
    Opportunity,
    Product,
    Stage,
    ValueCase,
    ValueOutcome,
)
from valuescout.identity.models import Team, User
from valuescout.identity.roles import Role
from valuescout.identity.scope import Scope
from valuescout.pricing.models import PriceRequest, PriceRequestEvent

OUTSIDE_SCOPE = "(outside your team)"
NO_ACCOUNT = "(no account)"
NO_MANAGER = "(no manager)"
POLICY_APPROVER = "Price policy"
NOT_SET = "(not set)"
# Deal memory in DuckDB: a few hundred thousand lines at most, far below a file's size.
MEMORY_LIMIT = "256MB"
_DECIDING = ("approve", "counter")


class DealStatus(StrEnum):
    WON = "won"
    OPEN = "open"
    LOST = "lost"
    ALL = "all"


@dataclass(frozen=True)
class DealLineQuery:
    """Which deals' lines: by outcome, close-date period and currency."""

    status: DealStatus = DealStatus.WON
    start: date | None = None
    end: date | None = None
    currency: str | None = None  # None: the company's currency


@dataclass
class Source:
    """The caller's deal lines loaded into DuckDB, and what was left out of them."""

    con: duckdb.DuckDBPyConnection
    view: str
    lines: int
    currency: str
    currencies: tuple[str, ...]  # every currency the caller's deals in the period use
    lines_without_cost: int = 0
    lines_without_list_price: int = 0
    opportunity_names: dict[str, str] = field(default_factory=dict)  # opportunity_id -> name
    preferences: dict[str, Decimal] = field(default_factory=dict)  # see `_preferences`
    as_of: datetime | None = None  # when the lines were read (`deal_snapshot`)

    def close(self) -> None:
        self.con.close()


Person = tuple[int | None, str]  # user id (None: not a user) and name
_NOBODY: Person = (None, NO_MANAGER)


def _managers(session: Session) -> dict[int | None, Person]:
    """Per team id: the nearest manager in it or above it."""
    parents = {tid: pid for tid, pid in session.execute(select(Team.id, Team.parent_id))}
    own: dict[int, Person] = {}
    rows = session.execute(
        select(User.team_id, User.id, User.full_name)
        .where(User.role == Role.MANAGER, User.is_active.is_(True), User.team_id.is_not(None))
        .order_by(User.id)
    )
    for team_id, user_id, name in rows:
        if team_id is not None:
            own.setdefault(team_id, (user_id, name))
    out: dict[int | None, Person] = {}
    for tid in parents:
        seen: set[int] = set()
        cur: int | None = tid
        while cur is not None and cur not in seen and cur not in own:
            seen.add(cur)
            cur = parents.get(cur)
        out[tid] = own[cur] if cur is not None and cur in own else _NOBODY
    return out


def approvers(session: Session) -> dict[int, Person]:
    """Per opportunity: (user id, name) of who approved its latest approved price request.
    Whole-company reads (the snapshot wants every deal), not lists of ids: a query with
    thousands of bound ids costs more to parse than to run."""
    latest: dict[int, int] = {
        opp_id: req_id
        for opp_id, req_id in session.execute(
            select(PriceRequest.opportunity_id, func.max(PriceRequest.id))
            .where(PriceRequest.state == "approved")
            .group_by(PriceRequest.opportunity_id)
        )
    }
    wanted = set(latest.values())
    by_request: dict[int, Person] = {}
    events = session.execute(
        select(PriceRequestEvent.request_id, PriceRequestEvent.actor_id, User.full_name)
        .join(PriceRequest, PriceRequest.id == PriceRequestEvent.request_id)
        .outerjoin(User, User.id == PriceRequestEvent.actor_id)
        .where(PriceRequest.state == "approved", PriceRequestEvent.action.in_(_DECIDING))
        .order_by(PriceRequestEvent.id)
    )
    for req_id, actor_id, name in events:
        if req_id in wanted:
            by_request[req_id] = (actor_id, name or NOT_SET)  # the last one wins
    return {
        opp_id: by_request.get(req_id, (None, POLICY_APPROVER)) for opp_id, req_id in latest.items()
    }


def shown_name(scope: Scope, user_id: int | None, name: str) -> str:
    """A person's name when the caller may see them; a placeholder otherwise."""
    if user_id is None or scope.allows_owner(user_id):
        return name
    return OUTSIDE_SCOPE


def segment_of(industry: str | None, attributes: Mapping[str, Any] | None) -> str:
    segment = (attributes or {}).get("segment")
    if isinstance(segment, str) and segment.strip():
        return segment.strip()
    return (industry or "").strip() or NOT_SET


def _statement() -> Any:
    return (
        select(
            LineItem.id,
            LineItem.quantity,
            LineItem.list_price,
            LineItem.net_price,
            LineItem.unit_cost,
            Product.unit_cost,
            Product.name,
            Opportunity.id,
            Opportunity.name,
            Opportunity.close_date,
            Opportunity.created_at,
            Opportunity.deal_type,
            Opportunity.currency,
            Opportunity.owner_id,
            User.full_name,
            User.team_id,
            Opportunity.account_id,
            Stage.outcome,
        )
        .join(Opportunity, Opportunity.id == LineItem.opportunity_id)
        .join(Product, Product.id == LineItem.product_id)
        .join(User, User.id == Opportunity.owner_id)
        .join(Stage, Stage.id == Opportunity.stage_id)
        .order_by(LineItem.id)
    )


Place = tuple[str, str, str, str]  # customer, region, territory, segment
_NO_PLACE: Place = (NO_ACCOUNT, NOT_SET, NOT_SET, NOT_SET)


def _places(session: Session) -> dict[int | None, Place]:
    """Per account id: the line columns it gives. Read once per account, not per line (an
    account's attributes are JSON, and decoding them for each of its lines cost a tenth of
    the snapshot's read)."""
    rows = session.execute(
        select(
            Account.id,
            Account.name,
            Account.region,
            Account.territory,
            Account.industry,
            Account.attributes,
        )
    )
    return {
        account_id: (
            name or NO_ACCOUNT,
            (region or "").strip() or NOT_SET,
            (territory or "").strip() or NOT_SET,
            segment_of(industry, attributes),
        )
        for account_id, name, region, territory, industry, attributes in rows
    }


def _money(value: Decimal | None) -> float:
    return float(value) if value is not None else 0.0


# Beside the canonical columns: who owns the deal and which users the manager and approver
# names are (to mask them per caller), the deal's outcome, and whether the line is usable.
_EXTRA = {
    "_owner": pa.int64(),
    "_manager_uid": pa.int64(),
    "_approver_uid": pa.int64(),
    "_outcome": pa.string(),
    "_usable": pa.bool_(),  # a list price and a quantity above 0
    "_no_cost": pa.bool_(),
}
_ARROW = {"text": pa.string(), "currency": pa.string(), "date": pa.date32(), "number": pa.float64()}


def read_snapshot(session: Session) -> Snapshot:
    """Every deal line of the company (see `deal_snapshot`)."""
    taken_at = now()
    managers = _managers(session)
    places = _places(session)
    rows = session.execute(_statement()).all()
    approved_by = approvers(session)
    columns: dict[str, list[Any]] = {c.name: [] for c in COLUMNS} | {k: [] for k in _EXTRA}
    names: dict[str, str] = {}
    for row in rows:
        (line_id, qty, list_price, net, cost, product_cost, product, opp_id, opp_name) = row[:9]
        usable = not (list_price is None or list_price <= 0 or qty is None or qty <= 0)
        unit_cost = cost if cost is not None else product_cost
        manager = managers.get(row[15], _NOBODY)
        approver = approved_by.get(opp_id)
        customer, region, territory, segment = places.get(row[16], _NO_PLACE)
        values = {
            "line_id": str(line_id),
            "invoice_date": row[9] or row[10].date(),
            "customer_id": customer,
            "product_id": product,
            "rep_id": row[14],
            "manager_id": manager[1],
            "region": region,
            "segment": segment,
            "deal_type": row[11],
            "quantity": _money(qty),
            "list_price": _money(list_price),
            "invoice_price": _money(net),
            "unit_cost": _money(unit_cost),
            "off_invoice": 0.0,
            "approver_id": None if approver is None else approver[1],
            "opportunity_id": str(opp_id),
            "territory": territory,
            "currency": row[12],
            "_owner": row[13],
            "_manager_uid": manager[0],
            "_approver_uid": None if approver is None else approver[0],
            "_outcome": row[17],
            "_usable": usable,
            "_no_cost": unit_cost is None,
        }
        for name, value in values.items():
            columns[name].append(value)
        names[str(opp_id)] = opp_name
    table = arrow_table(columns, {c.name: _ARROW[c.kind] for c in COLUMNS} | _EXTRA)
    return Snapshot(table, names, _preferences(session, table), taken_at)


def load(session: Session, scope: Scope, query: DealLineQuery, default_currency: str) -> Source:
    """The caller's deal lines for the query, as the `lines` view of a fresh DuckDB."""
    return cut(snapshot(session, read_snapshot), scope, query, default_currency)


def cut(snapshot: Snapshot, scope: Scope, query: DealLineQuery, default_currency: str) -> Source:
    """The caller's lines out of the company's: their scope, outcome, period and currency,
    with managers and approvers outside the scope masked (`shown_name`)."""
    wanted = (query.currency or default_currency).upper()
    t = snapshot.table
    mask = pa.array([True] * t.num_rows, pa.bool_())
    if query.status != DealStatus.ALL:
        mask = pc.and_(mask, pc.equal(t["_outcome"], query.status.value))
    if query.start:
        mask = pc.and_(mask, pc.greater_equal(t["invoice_date"], pa.scalar(query.start)))
    if query.end:
        mask = pc.and_(mask, pc.less_equal(t["invoice_date"], pa.scalar(query.end)))
    visible = None if scope.owner_ids is None else pa.array(sorted(scope.owner_ids), pa.int64())
    if visible is not None:
        mask = pc.and_(mask, pc.is_in(t["_owner"], value_set=visible))
    currencies = {str(c) for c in pc.unique(t.filter(mask)["currency"]).to_pylist()}
    mask = pc.and_(mask, pc.equal(t["currency"], wanted))
    without_list = pc.sum(pc.and_(mask, pc.invert(t["_usable"]))).as_py() or 0
    lines = t.filter(pc.and_(mask, t["_usable"]))
    if visible is not None:
        lines = _masked(lines, "manager_id", "_manager_uid", visible)
        lines = _masked(lines, "approver_id", "_approver_uid", visible)
    opps = set(lines["opportunity_id"].to_pylist())
    con = connect(memory_limit=MEMORY_LIMIT, threads=1)
    con.register("_deal_lines", lines.select([c.name for c in COLUMNS]))
    con.execute("CREATE OR REPLACE TEMP VIEW lines AS SELECT * FROM _deal_lines")
    return Source(
        con=con,
        view="lines",
        lines=lines.num_rows,
        currency=wanted,
        currencies=tuple(sorted(currencies | {wanted})),
        lines_without_cost=pc.sum(lines["_no_cost"]).as_py() or 0,
        lines_without_list_price=without_list,
        opportunity_names={k: v for k, v in snapshot.opportunity_names.items() if k in opps},
        preferences={k: v for k, v in snapshot.preferences.items() if k in opps},
        as_of=snapshot.taken_at,
    )


def _masked(lines: pa.Table, column: str, user_column: str, visible: pa.Array) -> pa.Table:
    """`shown_name` on a column: a name whose user the caller may not see becomes OUTSIDE_SCOPE
    (no user - the price policy, nobody - shows as it is)."""
    uid = lines[user_column]
    shown = pc.or_kleene(pc.is_null(uid), pc.is_in(uid, value_set=visible))
    names = pc.if_else(shown, lines[column], pa.scalar(OUTSIDE_SCOPE))
    return lines.set_column(lines.schema.get_field_index(column), column, names)


def _preferences(session: Session, table: pa.Table) -> dict[str, Decimal]:
    """Per opportunity with a value case: the customer's preference in dollars if it paid the
    deal's list revenue (its usable lines) - risk-adjusted value - (list revenue - the
    alternative's price). A positive one means the customer preferred us before any discount."""
    usable = table.filter(table["_usable"])
    revenue = pc.multiply(usable["quantity"], usable["list_price"])
    totals: dict[str, float] = {}
    for opp, amount in zip(usable["opportunity_id"].to_pylist(), revenue.to_pylist(), strict=True):
        totals[opp] = totals.get(opp, 0.0) + amount
    list_revenue = {opp: Decimal(repr(total)) for opp, total in totals.items()}
    alternatives: dict[int, Decimal | None] = {}
    outcomes: dict[int, list[vc.StoredOutcome]] = {}
    rows = session.execute(  # every case's outcomes as columns, in one read
        select(
            ValueCase.opportunity_id,
            Opportunity.alternative_price,
            ValueOutcome.yearly_value,
            ValueOutcome.direction,
            ValueOutcome.recurrence,
            ValueOutcome.years,
            ValueOutcome.confidence,
        )
        .join(ValueCase, ValueCase.id == ValueOutcome.value_case_id)
        .join(Opportunity, Opportunity.id == ValueCase.opportunity_id)
    )
    for opp_id, alternative, *stored in rows:
        if str(opp_id) in list_revenue:
            alternatives[opp_id] = alternative
            outcomes.setdefault(opp_id, []).append(tuple(stored))  # type: ignore[arg-type]
    out: dict[str, Decimal] = {}
    for opp_id, of_case in outcomes.items():
        alternative = alternatives[opp_id]
        value = vc.stored_risk_adjusted_value(of_case)
        price = list_revenue[str(opp_id)]
        out[str(opp_id)] = to_money(value - (price - (alternative or Decimal(0))))
    return out
