"""The executive's one-minute leakage summary over a lines view (issue 6).

Where does price leak, how much of it bought nothing, and who gives it away? Over the lines of
the view (optionally filtered like every engine query):

* **the leak**: list revenue, on-invoice discount $ and rate (list -> invoice), off-invoice $
  and rate (rebates, allowances, freight; invoice -> pocket), and the two together
  (list -> pocket). Rates are dollar-weighted: a sum over list revenue.
* **money left on the table**: the discount $ on lines of opportunities whose customer
  preference was already positive before the discount (preference = quantified differential
  value - (price before - alternative price), domain-method §1.4): the customer preferred us at
  the price before, so the discount did not change the winner. The preferences come as a
  mapping opportunity_id -> preference before (from the value cases), loaded as a small
  temporary DuckDB table for the query (opportunity_id, positive) and joined on
  ``opportunity_id``. Lines without an opportunity,
  or whose opportunity has no known preference, are "not known": their discount $ is reported
  apart, and ``known_share`` says which share of list revenue the figure covers. Without a
  mapping nothing is known and ``left_on_table`` is None (unknown, not zero).
* **who**: the top sellers, approvers and customers by excess discount — the money at stake of
  the peer-adjusted outlier model (``engine.outliers``: each one's discount against what peers
  in the same segment x deal type x size band gave, leave-one-out, shrunk; lines without an
  approver are not in the approver ranking). Only those with money at stake (> 0) are listed,
  largest first; ``money_at_stake`` of a ranking sums it over everyone compared.

Money is Decimal rounded to cents; rates are floats (None when there is no list revenue).
``parse_preferences`` reads the preferences from a CSV file (``opportunity_id``,
``preference_before``), refusing the whole file with every problem by line.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from valuescout.analytics import definitions as defs
from valuescout.analytics import engine
from valuescout.analytics.keyed_csv import KeyedColumns, read_keyed
from valuescout.analytics.outliers import ActorOutlier
from valuescout.core.errors import Invalid
from valuescout.core.money import to_money

ZERO = Decimal(0)
RANKED = ("rep", "approver", "customer")
_tables = itertools.count(1)


@dataclass(frozen=True)
class Ranking:
    """One side of the ranking: ``actor`` the dimension (rep, approver, customer), ``key`` its
    canonical column; ``compared`` how many have a peer benchmark, ``unbenchmarked`` how many
    have none; ``money_at_stake`` summed over all compared; ``top`` the largest, all > 0."""

    actor: str
    key: str
    compared: int
    unbenchmarked: int
    money_at_stake: Decimal
    top: tuple[ActorOutlier, ...]


@dataclass(frozen=True)
class Leakage:
    """The leakage summary of the lines matching ``filters``."""

    filters: dict[str, str | None]
    lines: int
    list_revenue: Decimal
    invoice_revenue: Decimal
    discount: Decimal
    discount_rate: float | None
    off_invoice: Decimal
    off_invoice_rate: float | None
    pocket_revenue: Decimal
    total_leakage: Decimal  # discount + off-invoice: list -> pocket
    total_leakage_rate: float | None
    left_on_table: Decimal | None  # None without preferences
    known_lines: int  # lines whose opportunity has a known preference
    known_list_revenue: Decimal
    known_discount: Decimal
    unknown_discount: Decimal
    known_share: float | None  # known list revenue / list revenue
    sellers: Ranking
    approvers: Ranking
    customers: Ranking


PREFERENCE_COLUMNS = KeyedColumns(
    "values file", ("opportunity_id",), "preference_before", "an amount of money"
)


def _amount(raw: str) -> Decimal | None:
    try:
        value = Decimal(raw.replace(",", "").replace("_", ""))
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def parse_preferences(text: str, name: str = "values file") -> dict[str, Decimal]:
    """opportunity_id -> preference before the discount, from CSV text with those two columns
    (others are ignored); any problem refuses the file: ``Invalid`` with every problem by line."""
    out, problems = read_keyed(text, PREFERENCE_COLUMNS, _amount)
    if problems:
        texts = [f"line {line}: {problem}" for line, problem in sorted(problems)]
        count = f"{len(texts)} problem" + ("s" if len(texts) > 1 else "")
        raise Invalid(f"{name}: {count}, nothing was used", field="values", details=texts)
    return out


def _dec(value: Any) -> Decimal:
    return Decimal(repr(float(value or 0.0)))


def _ratio(numerator: Decimal, denominator: Decimal) -> float | None:
    return None if denominator == 0 else float(numerator / denominator)


def preference_sql(
    table: str, filters: defs.Filters | None = None, source: str = "lines"
) -> tuple[str, list[str]]:
    """One query: the lines (filtered) joined on opportunity_id to ``table`` (opportunity_id,
    positive): lines with a known preference, their list and invoice revenue, and the list and
    invoice revenue of those whose preference was positive. Standard SQL (CASE, LEFT JOIN)."""
    clause, params = defs.where(filters)
    known = "p.opportunity_id IS NOT NULL"
    sql = (
        f"SELECT COUNT(p.opportunity_id), "  # noqa: S608
        f"COALESCE(SUM(CASE WHEN {known} THEN l.lr END), 0), "
        f"COALESCE(SUM(CASE WHEN {known} THEN l.ir END), 0), "
        "COALESCE(SUM(CASE WHEN p.positive THEN l.lr END), 0), "
        "COALESCE(SUM(CASE WHEN p.positive THEN l.ir END), 0) "
        "FROM (SELECT opportunity_id, quantity * list_price AS lr, "
        f"quantity * invoice_price AS ir FROM {source}{clause}) AS l "
        f"LEFT JOIN {table} AS p ON l.opportunity_id = p.opportunity_id"
    )
    return sql, params


@dataclass(frozen=True)
class _Known:
    lines: int
    list_revenue: Decimal
    discount: Decimal
    left_on_table: Decimal


def _known(
    con: engine.Connection,
    preferences: Mapping[str, Decimal],
    filters: defs.Filters | None,
    view: str,
) -> _Known:
    table = f"_vs_preferences_{next(_tables)}"
    ids = [str(k) for k in preferences]
    positive = [bool(preferences[k] > 0) for k in preferences]
    # One statement with two list parameters: no Python-object registration (which DuckDB
    # refuses while a caller's earlier result is still open) and no row-by-row inserts.
    con.execute(
        f"CREATE TEMP TABLE {table} AS SELECT UNNEST(CAST(? AS VARCHAR[])) AS opportunity_id, "
        "UNNEST(CAST(? AS BOOLEAN[])) AS positive",
        [ids, positive],
    )
    try:
        sql, params = preference_sql(table, filters, source=view)
        row = con.execute(sql, params).fetchone()
    finally:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    assert row is not None
    lines, known_list, known_invoice, positive_list, positive_invoice = row
    return _Known(
        lines=int(lines),
        list_revenue=_dec(known_list),
        discount=_dec(known_list) - _dec(known_invoice),
        left_on_table=_dec(positive_list) - _dec(positive_invoice),
    )


def _ranking(
    con: engine.Connection, actor: str, filters: defs.Filters | None, view: str, top: int
) -> Ranking:
    report = engine.outliers(con, actor, filters, view=view)
    leaking = [a for a in report.actors if a.money_at_stake > 0]
    return Ranking(
        actor=actor,
        key=defs.dimension(actor).key,
        compared=len(report.actors),
        unbenchmarked=len(report.unbenchmarked),
        money_at_stake=to_money(sum((a.money_at_stake for a in report.actors), ZERO)),
        top=tuple(leaking[:top]),
    )


def leakage(
    con: engine.Connection,
    *,
    view: str = "lines",
    preferences: Mapping[str, Decimal] | None = None,
    top: int = 10,
    filters: defs.Filters | None = None,
) -> Leakage:
    """The leak (discount and off-invoice), the money left on the table where preferences are
    known, and the top ``top`` sellers, approvers and customers by excess discount."""
    if top < 0:
        raise Invalid("top must be 0 or more", field="top")
    chosen = {defs.dimension(k).name: v for k, v in (filters or {}).items()}
    sums = engine.slice_sums(con, chosen, view=view)
    discount = sums.list_revenue - sums.invoice_revenue
    leak = discount + sums.off_invoice
    known = (
        _known(con, preferences, chosen, view)
        if preferences is not None
        else _Known(0, ZERO, ZERO, ZERO)
    )
    sides = [_ranking(con, actor, chosen, view, top) for actor in RANKED]
    return Leakage(
        filters=chosen,
        lines=sums.lines,
        list_revenue=to_money(sums.list_revenue),
        invoice_revenue=to_money(sums.invoice_revenue),
        discount=to_money(discount),
        discount_rate=_ratio(discount, sums.list_revenue),
        off_invoice=to_money(sums.off_invoice),
        off_invoice_rate=_ratio(sums.off_invoice, sums.list_revenue),
        pocket_revenue=to_money(sums.invoice_revenue - sums.off_invoice),
        total_leakage=to_money(leak),
        total_leakage_rate=_ratio(leak, sums.list_revenue),
        left_on_table=None if preferences is None else to_money(known.left_on_table),
        known_lines=known.lines,
        known_list_revenue=to_money(known.list_revenue),
        known_discount=to_money(known.discount),
        unknown_discount=to_money(discount - known.discount),
        known_share=_ratio(known.list_revenue, sums.list_revenue),
        sellers=sides[0],
        approvers=sides[1],
        customers=sides[2],
    )
