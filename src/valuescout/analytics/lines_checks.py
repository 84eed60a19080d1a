"""The SQL that checks and converts each canonical column of a transaction-line file: the value
in canonical terms and the reason it is bad (NULL when fine), or nothing to check where the
Parquet statistics prove no value can fail."""

from __future__ import annotations

from dataclasses import dataclass

from valuescout.analytics import parquet_stats
from valuescout.analytics.mapping import LineMapping
from valuescout.analytics.schema import (
    COLUMNS,
    MAX_AMOUNT,
    MAX_DATE,
    MAX_PRICE_OVER_LIST,
    MAX_QUANTITY,
    MIN_DATE,
    REQUIRED,
    Column,
)


def sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True, slots=True)
class Expr:
    column: Column
    source: str  # the file's column (or "" for a constant / absent optional column)
    typed: str  # SQL: the canonical value
    reason: str  # SQL: why the value is bad, NULL when it is fine
    proven: bool = False  # the file's statistics show the check cannot fail


def _ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def locate(found: dict[str, str], mapping: LineMapping) -> tuple[dict[str, str | None], list[str]]:
    """The file's column for each canonical one (None: absent), and the required ones missing."""
    lower = {name.lower(): name for name in found}
    located: dict[str, str | None] = {}
    for column in COLUMNS:
        wanted = mapping.source_column(column.name)
        located[column.name] = wanted if wanted in found else lower.get(wanted.lower())
    missing = [
        c + (f" (mapped to {mapping.columns[c]!r})" if c in mapping.columns else "")
        for c in REQUIRED
        if located[c] is None
    ]
    return located, missing


def expressions(
    located: dict[str, str | None],
    found: dict[str, str],
    mapping: LineMapping,
    stats: parquet_stats.FileStats | None = None,
) -> list[Expr]:
    exprs = []
    for column in COLUMNS:
        src = located[column.name]
        if src is None:
            constant = mapping.constants.get(column.name)
            value = "NULL" if constant is None else sql_literal(constant)
            exprs.append(Expr(column, "", f"CAST({value} AS VARCHAR)", "NULL"))
        else:
            expr = _check(column, src, found[src], mapping)
            chunks = None if stats is None else stats.columns.get(src)
            if chunks is not None and parquet_stats.proven(column, found[src], chunks):
                expr = _proven(expr, found[src], chunks)
            exprs.append(expr)
    # One check across columns: invoice price against list price.
    invoice = next(e for e in exprs if e.column.name == "invoice_price")
    listed = next(e for e in exprs if e.column.name == "list_price")
    over = (
        f"WHEN {listed.reason} IS NULL AND {invoice.typed} > "
        f"{MAX_PRICE_OVER_LIST} * {listed.typed} THEN 'invoice price ' || "
        f"CAST({invoice.typed} AS VARCHAR) || ' is more than {MAX_PRICE_OVER_LIST:g} times the "
        f"list price ' || CAST({listed.typed} AS VARCHAR) || ' (a unit or decimal mistake?)'"
    )
    if invoice.reason.endswith(" ELSE NULL END"):
        reason = invoice.reason.replace(" ELSE NULL END", f" {over} ELSE NULL END")
    else:
        reason = f"CASE {over} ELSE NULL END"
    exprs[exprs.index(invoice)] = Expr(
        invoice.column, invoice.source, invoice.typed, reason, invoice.proven
    )
    return exprs


def _proven(expr: Expr, kind: str, chunks: list[parquet_stats.Chunk]) -> Expr:
    """The check without what the statistics proved: nothing, or NaN only for floats whose
    writer did not count NaNs (statistics leave NaN out of min and max)."""
    reason = "NULL"
    if expr.column.kind == "number" and not parquet_stats.no_nans(kind, chunks):
        shown = f"CAST({_ident(expr.source)} AS VARCHAR)"
        reason = (
            f"CASE WHEN isnan({expr.typed}) THEN 'not a finite number: ' || {shown} ELSE NULL END"
        )
    return Expr(expr.column, expr.source, expr.typed, reason, proven=True)


def _trimmed(value: str) -> str:
    """``NULLIF(TRIM(value), '')``, trimming only the values that need it: the same value,
    but TRIM on every text value cost a third of a report's scan (bench/README.md)."""
    return (
        f"CASE WHEN {value} = '' OR starts_with({value}, ' ') OR ends_with({value}, ' ') "
        f"THEN NULLIF(TRIM({value}), '') ELSE {value} END"
    )


def _check(column: Column, src: str, kind: str, mapping: LineMapping) -> Expr:
    ref = _ident(src)
    text = kind == "VARCHAR"
    raw = f"NULLIF(TRIM({ref}), '')" if text else ref
    shown = f"CAST({ref} AS VARCHAR)"
    missing = f"WHEN {raw} IS NULL THEN 'missing'" if column.required else ""
    if column.kind == "text":
        typed = _trimmed(ref if text else f"CAST({ref} AS VARCHAR)")
        reason = f"CASE {missing} ELSE NULL END" if missing else "NULL"
        return Expr(column, src, typed, reason)
    if column.kind == "currency":
        typed = f"UPPER(NULLIF(TRIM(CAST({ref} AS VARCHAR)), ''))"
        reason = (
            f"CASE WHEN {typed} IS NOT NULL AND NOT regexp_full_match({typed}, '[A-Z]{{3}}') "
            f"THEN 'not a three-letter currency code: ' || {shown} ELSE NULL END"
        )
        return Expr(column, src, typed, reason)
    if column.kind == "date":
        if text and mapping.date_format:
            typed = f"CAST(TRY_STRPTIME({raw}, {sql_literal(mapping.date_format)}) AS DATE)"
            example = MIN_DATE.replace(year=2024, month=3, day=5).strftime(mapping.date_format)
        else:
            typed = f"TRY_CAST({raw} AS DATE)"
            example = "2024-03-05"
        reason = (
            f"CASE {missing} WHEN {typed} IS NULL THEN 'not a date like {example}: ' || {shown} "
            f"WHEN {typed} < DATE '{MIN_DATE}' OR {typed} > DATE '{MAX_DATE}' "
            f"THEN 'date outside {MIN_DATE.year}-{MAX_DATE.year}: ' || {shown} ELSE NULL END"
        )
        return Expr(column, src, typed, reason)
    typed = f"TRY_CAST({raw} AS DOUBLE)"
    assert column.minimum is not None
    low, word = ("<=", "more than") if column.exclusive_minimum else ("<", "at least")
    top = MAX_QUANTITY if column.name == "quantity" else MAX_AMOUNT
    reason = (
        f"CASE {missing} WHEN {typed} IS NULL THEN 'not a number: ' || {shown} "
        f"WHEN NOT isfinite({typed}) THEN 'not a finite number: ' || {shown} "
        f"WHEN {typed} {low} {column.minimum} "
        f"THEN 'must be {word} {column.minimum:g}: ' || {shown} "
        f"WHEN {typed} > {top} THEN 'too large: ' || {shown} ELSE NULL END"
    )
    return Expr(column, src, typed, reason)
