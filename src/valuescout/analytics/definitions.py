"""The metric definitions: measures and dimensions as SQL over the canonical line columns.

Plain data and a small SQL builder, kept apart from the engine that runs them (ARCHITECTURE,
"Scale"): the same definitions can run on DuckDB here and on a warehouse (Trino, Spark, a cloud
warehouse) later, e.g. by transpiling the built SQL with SQLGlot.

A query has two levels, so every rate is a ratio of sums (dollar-weighted, never a mean of line
ratios):

* the inner query groups the lines and computes the **base sums** (``BASE``), each a plain
  ``SUM``/``COUNT`` over canonical columns, zero for an empty group;
* the outer query derives the **measures** (``MEASURES``) from those sums by name; a ratio whose
  denominator is 0 is NULL (``NULLIF``). Money is rounded to cents there (see below);
  rates are computed from the unrounded sums. The builders' SQL is checked on PostgreSQL too
  (tests/analytics/test_engine.py, when the test database is PostgreSQL).

Dialect notes — what is standard SQL and what is not:

* Everything is ANSI SQL (``SUM``, ``COUNT``, ``COALESCE``, ``NULLIF``, ``ROUND``, ``CAST``,
  ``EXTRACT(YEAR|QUARTER|MONTH FROM d)``, ``LPAD``, ``||``, ``LOG10``, ``FLOOR``), run as
  written by DuckDB, PostgreSQL and Trino; Spark SQL also has them (``LOG10`` included).
* Money is rounded as ``CAST(ROUND(CAST(x AS DECIMAL(38, 6)), 2) AS DOUBLE PRECISION)``:
  PostgreSQL has no ``ROUND(double, digits)``, only ``ROUND(numeric, digits)``.
* Parameters are ``?`` placeholders (DuckDB, JDBC, Trino); PostgreSQL drivers use ``%s`` or
  ``$1`` — swap the placeholder, the values come in the same order.
* ``month`` is ``'YYYY-MM'`` and ``quarter`` ``'YYYY-Qn'`` built with ``EXTRACT`` and ``LPAD``
  rather than DuckDB's ``strftime`` (PostgreSQL: ``to_char``; Spark: ``date_format``), so
  the same text runs everywhere.
* Grouping uses the expressions themselves in ``GROUP BY`` (not positions or aliases, which
  some engines refuse).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from valuescout.core.errors import Invalid


@dataclass(frozen=True, slots=True)
class Measure:
    name: str
    sql: str  # base sums: over canonical columns; measures: over base-sum names
    kind: str  # money | rate | count | quantity
    description: str


@dataclass(frozen=True, slots=True)
class Dimension:
    name: str  # what the user types: rep, month ...
    key: str  # the output's name: the canonical column, or the name for a derived one
    sql: str  # the value, over canonical columns (filters compare against it)
    description: str
    # Grouping: the inner query groups by ``parts`` and the outer one builds the value with
    # ``label`` ({0}, {1} ... name the parts): month groups by two integers and is formatted
    # once per group, not once per line (4x faster than formatting every line in DuckDB).
    parts: tuple[str, ...] = ()
    label: str = "{0}"

    @property
    def group_parts(self) -> tuple[str, ...]:
        return self.parts or (self.sql,)


BASE: tuple[Measure, ...] = (
    Measure("lines", "COUNT(*)", "count", "number of lines"),
    Measure("quantity", "COALESCE(SUM(quantity), 0)", "quantity", "units sold"),
    Measure(
        "list_revenue", "COALESCE(SUM(quantity * list_price), 0)", "money", "quantity x list price"
    ),
    Measure(
        "invoice_revenue",
        "COALESCE(SUM(quantity * invoice_price), 0)",
        "money",
        "quantity x invoice price",
    ),
    Measure(
        "off_invoice", "COALESCE(SUM(off_invoice), 0)", "money", "rebates, allowances, freight"
    ),
    Measure("cost", "COALESCE(SUM(quantity * unit_cost), 0)", "money", "quantity x unit cost"),
)

MEASURES: tuple[Measure, ...] = (
    Measure("lines", "lines", "count", "number of lines"),
    Measure("quantity", "quantity", "quantity", "units sold"),
    Measure("list_revenue", "list_revenue", "money", "SUM(quantity x list price)"),
    Measure("invoice_revenue", "invoice_revenue", "money", "SUM(quantity x invoice price)"),
    Measure("discount", "list_revenue - invoice_revenue", "money", "on-invoice discount $"),
    Measure(
        "discount_rate",
        "(list_revenue - invoice_revenue) / NULLIF(list_revenue, 0)",
        "rate",
        "discount / list revenue",
    ),
    Measure(
        "price_realisation",
        "invoice_revenue / NULLIF(list_revenue, 0)",
        "rate",
        "invoice revenue / list revenue",
    ),
    Measure("off_invoice", "off_invoice", "money", "SUM(off_invoice)"),
    Measure(
        "pocket_revenue", "invoice_revenue - off_invoice", "money", "invoice revenue - off-invoice"
    ),
    Measure("cost", "cost", "money", "SUM(quantity x unit cost)"),
    Measure(
        "pocket_margin", "invoice_revenue - off_invoice - cost", "money", "pocket revenue - cost"
    ),
    Measure(
        "pocket_margin_pct",
        "(invoice_revenue - off_invoice - cost) / NULLIF(invoice_revenue - off_invoice, 0)",
        "rate",
        "pocket margin / pocket revenue (a margin, not a markup)",
    ),
)
MEASURE_NAMES: tuple[str, ...] = tuple(m.name for m in MEASURES)


def _column(name: str, column: str, description: str) -> Dimension:
    return Dimension(name, column, column, description)


_YEAR = "EXTRACT(YEAR FROM invoice_date)"
_MONTH_LABEL = "CAST({0} AS VARCHAR) || '-' || LPAD(CAST({1} AS VARCHAR), 2, '0')"
_QUARTER_LABEL = "CAST({0} AS VARCHAR) || '-Q' || CAST({1} AS VARCHAR)"
_MONTH_PARTS = (_YEAR, "EXTRACT(MONTH FROM invoice_date)")
_QUARTER_PARTS = (_YEAR, "EXTRACT(QUARTER FROM invoice_date)")
DIMENSIONS: tuple[Dimension, ...] = (
    _column("rep", "rep_id", "the seller"),
    _column("manager", "manager_id", "the seller's manager"),
    _column("approver", "approver_id", "who approved the discount"),
    _column("customer", "customer_id", "the customer"),
    _column("region", "region", "the sales region"),
    _column("territory", "territory", "the sales territory"),
    _column("segment", "segment", "the customer segment"),
    _column("product", "product_id", "the product"),
    _column("deal_type", "deal_type", "the deal type"),
    _column("opportunity", "opportunity_id", "the deal the line came from"),
    _column("currency", "currency", "the currency"),
    Dimension(
        "month",
        "month",
        _MONTH_LABEL.format(*_MONTH_PARTS),
        "the invoice month, YYYY-MM",
        _MONTH_PARTS,
        _MONTH_LABEL,
    ),
    Dimension(
        "quarter",
        "quarter",
        _QUARTER_LABEL.format(*_QUARTER_PARTS),
        "the invoice quarter, YYYY-Qn",
        _QUARTER_PARTS,
        _QUARTER_LABEL,
    ),
)
_BY_NAME: dict[str, Dimension] = {d.name: d for d in DIMENSIONS}
# The canonical column names work too: --by rep_id is --by rep.
_BY_NAME.update({d.key: d for d in DIMENSIONS if d.key not in _BY_NAME})
DIMENSION_NAMES: tuple[str, ...] = tuple(d.name for d in DIMENSIONS)


class UnknownDimension(Invalid):
    def __init__(self, name: str) -> None:
        super().__init__(
            f"unknown dimension {name!r}; use one of {', '.join(DIMENSION_NAMES)}",
            field="by",
        )


def dimension(name: str) -> Dimension:
    """A dimension by its name (rep) or its canonical column (rep_id)."""
    found = _BY_NAME.get(name.strip().lower())
    if found is None:
        raise UnknownDimension(name)
    return found


def dimensions(names: Sequence[str]) -> list[Dimension]:
    """Dimensions by name, each once, in the order given."""
    out: list[Dimension] = []
    for name in names:
        d = dimension(name)
        if d not in out:
            out.append(d)
    return out


Filters = Mapping[str, str | None]


def where(filters: Filters | None) -> tuple[str, list[str]]:
    """A WHERE clause (or "") and its parameters: dimension = value; None means no value."""
    if not filters:
        return "", []
    clauses: list[str] = []
    params: list[str] = []
    for name, value in filters.items():
        d = dimension(name)
        if value is None:
            clauses.append(f"({d.sql}) IS NULL")
        else:
            clauses.append(f"({d.sql}) = ?")
            params.append(value)
    return " WHERE " + " AND ".join(clauses), params


def grouped_sql(
    dims: Sequence[str],
    filters: Filters | None = None,
    source: str = "lines",
    money_decimals: int | None = 2,
) -> tuple[str, list[str]]:
    """One query: every measure per combination of ``dims`` (no dims: one total row),
    largest discount first. Returns the SQL and its parameters."""
    chosen = dimensions(dims)
    aliases = [[f"_g{j}_{i}" for i in range(len(d.group_parts))] for j, d in enumerate(chosen)]
    parts = [
        f"{part} AS {alias}"
        for d, names in zip(chosen, aliases, strict=True)
        for part, alias in zip(d.group_parts, names, strict=True)
    ]
    sums = [f"{m.sql} AS {m.name}" for m in BASE]
    clause, params = where(filters)
    grouping = [part for d in chosen for part in d.group_parts]
    group = f" GROUP BY {', '.join(grouping)}" if chosen else ""
    inner = f"SELECT {', '.join(parts + sums)} FROM {source}{clause}{group}"  # noqa: S608
    keys = [
        f"{d.label.format(*names)} AS {d.key}" for d, names in zip(chosen, aliases, strict=True)
    ]

    outer = keys + [_shown(m, money_decimals) for m in MEASURES]
    order = ["discount DESC"] + [f"{d.key} ASC" for d in chosen]
    sql = f"SELECT {', '.join(outer)} FROM ({inner}) AS g ORDER BY {', '.join(order)}"  # noqa: S608
    return sql, params


def _shown(m: Measure, money_decimals: int | None) -> str:
    if m.kind == "money" and money_decimals is not None:
        # PostgreSQL rounds NUMERIC only: round a DECIMAL, hand back a DOUBLE everywhere.
        rounded = f"ROUND(CAST({m.sql} AS DECIMAL(38, 6)), {int(money_decimals)})"
        return f"CAST({rounded} AS DOUBLE PRECISION) AS {m.name}"
    return f"{m.sql} AS {m.name}"


def grouping_sets_sql(
    dims: Sequence[str],
    filters: Filters | None = None,
    source: str = "lines",
    money_decimals: int | None = 2,
) -> tuple[str, list[str], list[int]]:
    """One scan for several groupings: every measure per item of each dimension in ``dims``
    (``GROUPING SETS``, one set per dimension), as ``grouped_sql`` gives them one query each.

    Columns: ``grouping_set`` (the ``GROUPING()`` bits of the row's set), each dimension's key
    (NULL in the other sets' rows), the measures, and the unrounded base sums as ``sum_<name>``
    (any one set's rows add up to the total). Rows by set, then largest discount first.
    Returns the SQL, its parameters and each dimension's ``grouping_set`` value, in order.
    The empty set () is left out on purpose: DuckDB (2.0) ran GROUPING SETS with it ~6x slower.
    """
    chosen = dimensions(dims)
    if not chosen:
        raise Invalid("name at least one dimension", field="by")
    parts: list[str] = []  # each distinct grouping expression once (month and quarter share one)
    for d in chosen:
        parts.extend(p for p in d.group_parts if p not in parts)
    alias = {p: f"_p{i}" for i, p in enumerate(parts)}
    width = len(parts)
    bits = [
        sum(1 << (width - 1 - i) for i, p in enumerate(parts) if p not in d.group_parts)
        for d in chosen
    ]
    sets = ", ".join("(" + ", ".join(d.group_parts) + ")" for d in chosen)
    clause, params = where(filters)
    inner = (
        f"SELECT GROUPING({', '.join(parts)}) AS grouping_set, "  # noqa: S608
        + ", ".join(f"{p} AS {alias[p]}" for p in parts)
        + ", "
        + ", ".join(f"{m.sql} AS {m.name}" for m in BASE)
        + f" FROM {source}{clause} GROUP BY GROUPING SETS ({sets})"
    )
    keys = [f"{d.label.format(*(alias[p] for p in d.group_parts))} AS {d.key}" for d in chosen]
    outer = (
        ["grouping_set"]
        + keys
        + [_shown(m, money_decimals) for m in MEASURES]
        + [f"{m.name} AS sum_{m.name}" for m in BASE]
    )
    order = ["grouping_set", "discount DESC"] + [f"{d.key} ASC" for d in chosen]
    sql = f"SELECT {', '.join(outer)} FROM ({inner}) AS g ORDER BY {', '.join(order)}"  # noqa: S608
    return sql, params, bits


def sums_sql(filters: Filters | None = None, source: str = "lines") -> tuple[str, list[str]]:
    """The base sums of one slice (one row)."""
    clause, params = where(filters)
    sums = ", ".join(f"{m.sql} AS {m.name}" for m in BASE)
    return f"SELECT {sums} FROM {source}{clause}", params  # noqa: S608


# --- peer cells for the outlier model ------------------------------------------------------

SIZE_BAND_SQL = "CAST(FLOOR(LOG10(GREATEST(deal_list, 1))) AS INTEGER)"
"""The size band: the decade of the deal's list revenue (band 4 = 10,000 to 99,999.99).

The deal's list revenue is the SUM of quantity x list price over the lines sharing the line's
``opportunity_id`` (within the lines queried); a line without an opportunity is its own deal.
Decades need no pass over the data to find edges, mean the same in any currency's magnitude and
keep a handful of cells per segment x deal type; anything under 1 falls in band 0.
"""


def size_band_label(band: int) -> str:
    """ "10,000-99,999" for band 4; band 0 is "<10"."""
    if band <= 0:
        return "<10"
    return f"{10**band:,}-{10 ** (band + 1) - 1:,}"


def cell_sums_sql(
    actor: str = "rep", filters: Filters | None = None, source: str = "lines"
) -> tuple[str, list[str]]:
    """One query: per (actor, segment, deal type, size band) the sums ``CellSums`` holds —
    lines, list and invoice revenue, and over lines the discount rate r = 1 - invoice/list
    (list price is > 0 in a validated file), r squared and list revenue squared.
    Lines without an actor (no approver) are left out."""
    who = dimension(actor)
    clause, params = where(filters)
    sql = (
        f"WITH src AS (SELECT {who.sql} AS actor, segment, deal_type, opportunity_id, "  # noqa: S608
        f"quantity * list_price AS lr, quantity * invoice_price AS ir, "
        f"1 - invoice_price / list_price AS r FROM {source}{clause}), "
        "deals AS (SELECT opportunity_id, SUM(lr) AS opp_list FROM src "
        "WHERE opportunity_id IS NOT NULL GROUP BY opportunity_id), "
        "sized AS (SELECT src.actor, src.segment, src.deal_type, src.lr, src.ir, src.r, "
        "COALESCE(deals.opp_list, src.lr) AS deal_list FROM src LEFT JOIN deals "
        "ON src.opportunity_id = deals.opportunity_id WHERE src.actor IS NOT NULL) "
        f"SELECT actor, segment, deal_type, {SIZE_BAND_SQL} AS band, COUNT(*) AS lines, "
        "SUM(lr) AS list_revenue, SUM(ir) AS invoice_revenue, SUM(r) AS rate_sum, "
        "SUM(r * r) AS rate_sq_sum, SUM(lr * lr) AS list_sq_sum FROM sized "
        f"GROUP BY actor, segment, deal_type, {SIZE_BAND_SQL}"
    )
    return sql, params


# --- concentration -------------------------------------------------------------------------


def discount_by_sql(
    across: Sequence[str] = ("customer", "rep"),
    filters: Filters | None = None,
    source: str = "lines",
) -> tuple[str, list[str]]:
    """One query (GROUPING SETS): discount $ and list revenue per item of each dimension in
    ``across``; the first column names the dimension. Items without a value are left out."""
    chosen = dimensions(across)
    if not chosen:
        raise Invalid("name at least one dimension", field="across")
    clause, params = where(filters)
    if len(chosen) == 1:
        side = f"'{chosen[0].name}'"
    else:
        whens = " ".join(f"WHEN GROUPING({d.sql}) = 0 THEN '{d.name}'" for d in chosen[:-1])
        side = f"CASE {whens} ELSE '{chosen[-1].name}' END"
    item = (
        "COALESCE(" + ", ".join(d.sql for d in chosen) + ")" if len(chosen) > 1 else chosen[0].sql
    )
    sets = ", ".join(f"({d.sql})" for d in chosen)
    sql = (
        f"SELECT {side} AS dimension, {item} AS item, "  # noqa: S608
        "SUM(quantity * list_price) - SUM(quantity * invoice_price) AS discount, "
        f"SUM(quantity * list_price) AS list_revenue FROM {source}{clause} "
        f"GROUP BY GROUPING SETS ({sets})"
    )
    return sql, params


# --- pocket price band ---------------------------------------------------------------------


def pocket_points_sql(
    filters: Filters | None = None, resolution: float = 0.001, source: str = "lines"
) -> tuple[str, list[str]]:
    """Per product, the unit volume per pocket fraction (pocket revenue / list revenue of the
    line) rounded to ``resolution``: the band's points, pre-binned so the result stays small."""
    clause, params = where(filters)
    step = float(resolution)
    if not step > 0:
        raise Invalid("resolution must be positive", field="resolution")
    value = (
        f"ROUND((quantity * invoice_price - off_invoice) / (quantity * list_price) / {step!r}) "
        f"* {step!r}"
    )
    sql = (
        f"SELECT product_id, {value} AS pocket, SUM(quantity) AS volume "  # noqa: S608
        f"FROM {source}{clause} GROUP BY product_id, {value}"
    )
    return sql, params
