"""`valuescout analytics leakage`: the executive's one-minute leakage summary of a line file.

`cli/main.py` registers `leakage_summary` on the `analytics` group of `cli/analytics.py`.
The values file (`--values`, CSV with `opportunity_id` and `preference_before` columns) is read
and checked before the line file is opened: a bad row is refused with its line and nothing is
computed. Output as in the other analytics commands: table, JSON or CSV (long format: section,
rank, item, measure, value), printed only once everything is computed.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from valuescout.analytics.leakage import Leakage, Ranking, leakage, parse_preferences
from valuescout.cli.analytics_io import (
    EXCLUDE,
    FORMAT,
    LINES,
    MAPPING,
    WHERE,
    Format,
    domain_errors,
    echo_csv,
    echo_json,
    key_text,
    money,
    open_file,
    parse_filters,
    pct,
)
from valuescout.cli.context import console, fail

TOTALS = [
    "lines", "list_revenue", "invoice_revenue", "discount", "discount_rate", "off_invoice",
    "off_invoice_rate", "pocket_revenue", "total_leakage", "total_leakage_rate", "left_on_table",
    "known_lines", "known_list_revenue", "known_discount", "unknown_discount", "known_share",
]  # fmt: skip
RANKED = [
    "list_revenue", "discount", "rate", "expected_rate", "z", "shrunk_residual",
    "excess_discount", "money_at_stake", "shrunk_money_at_stake", "status",
]  # fmt: skip


def _sides(result: Leakage) -> list[Ranking]:
    return [result.sellers, result.approvers, result.customers]


def _json(result: Leakage) -> dict[str, Any]:
    body: dict[str, Any] = {"filters": result.filters}
    body.update({name: getattr(result, name) for name in TOTALS})
    for side, ranking in zip(("sellers", "approvers", "customers"), _sides(result), strict=True):
        body[side] = {
            "key": ranking.key,
            "compared": ranking.compared,
            "unbenchmarked": ranking.unbenchmarked,
            "money_at_stake": ranking.money_at_stake,
            "top": [
                {ranking.key: a.actor, **{c: getattr(a, c) for c in RANKED}} for a in ranking.top
            ],
        }
    return body


def _csv_rows(result: Leakage) -> list[list[Any]]:
    rows: list[list[Any]] = [["total", "", "", name, getattr(result, name)] for name in TOTALS]
    for ranking in _sides(result):
        rows.append([ranking.key, "", "", "money_at_stake", ranking.money_at_stake])
        for rank, a in enumerate(ranking.top, start=1):
            rows += [[ranking.key, rank, a.actor, c, getattr(a, c)] for c in RANKED]
    return rows


def _table(result: Leakage) -> None:
    summary = Table("", "amount", "of list", title="Price leakage")
    summary.add_row("List revenue", money(result.list_revenue), "")
    summary.add_row("On-invoice discount", money(result.discount), pct(result.discount_rate))
    summary.add_row("Off-invoice", money(result.off_invoice), pct(result.off_invoice_rate))
    summary.add_row(
        "Leakage (list -> pocket)", money(result.total_leakage), pct(result.total_leakage_rate)
    )
    if result.left_on_table is None:
        summary.add_row("Left on the table", "not known (no --values)", "")
    else:
        summary.add_row("Left on the table", money(result.left_on_table), "")
        summary.add_row(
            "  preference known",
            f"{money(result.known_discount)} of discount",
            f"{pct(result.known_share)} of list revenue",
        )
        summary.add_row("  not known", f"{money(result.unknown_discount)} of discount", "")
    console.print(summary)
    who = Table(
        "who", "#", "", "list revenue", "rate", "peer rate", "z", "status", "money at stake",
        title="Discounting beyond peers (segment x deal type x size band)",
    )  # fmt: skip
    for ranking in _sides(result):
        everyone = [ranking.key, "", f"all {ranking.compared:,} compared", *[""] * 5]
        who.add_row(*everyone, money(ranking.money_at_stake))
        for rank, a in enumerate(ranking.top, start=1):
            who.add_row(
                "",
                str(rank),
                key_text(a.actor),
                money(a.list_revenue),
                pct(a.rate),
                pct(a.expected_rate),
                "" if a.z is None else f"{a.z:.1f}",
                a.status,
                money(a.money_at_stake),
            )
    console.print(who)


def leakage_summary(
    lines: Path = LINES,
    values: Path | None = typer.Option(
        None,
        "--values",
        help="CSV with opportunity_id and preference_before (the customer's preference in money "
        "before the discount): the discount on deals already preferred is left on the table",
    ),
    where: list[str] = WHERE,
    mapping: Path | None = MAPPING,
    exclude_bad: bool = EXCLUDE,
    top: int = typer.Option(10, "--top", min=0, max=1000, help="How many of each to list"),
    format: Format = FORMAT,
) -> None:
    """Where price leaks (discount, off-invoice), how much was left on the table where the
    customer already preferred us, and the sellers, approvers and customers discounting most
    beyond their peers."""
    filters = parse_filters(where, "--where")
    with domain_errors():
        preferences = None
        if values is not None:
            preferences = parse_preferences(_read(values), values.name)
        opened = open_file(lines, mapping, exclude_bad)
        result = leakage(
            opened.con, view=opened.view, preferences=preferences, top=top, filters=filters
        )
    if format == Format.JSON:
        echo_json(_json(result))
    elif format == Format.CSV:
        echo_csv(["section", "rank", "item", "measure", "value"], _csv_rows(result))
    else:
        _table(result)


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        fail(escape(f"{path}: cannot read the values file ({exc})."))
