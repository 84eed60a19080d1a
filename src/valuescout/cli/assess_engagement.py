"""`valuescout assess willingness --answers FILE [--format json]` scores a YAML file of
answers (no database); `valuescout assess reputation [--threshold 0.2] [--save] [--format json]`
runs the sales-reputation check over the configured database as the operator (the whole
company) and, with --save, keeps the results (the current quarter, and every quarter of the
window not kept yet). Tables and JSON go to stdout, errors to stderr (exit 1).

The answers file maps question ids to answers, at the top level or under `answers:`:

    purchase_history: new_to_org      # new_to_org | bought_before | routine_rebuy
    solution_innovation: 4            # ratings 1..5
    team_experience: 2
    risk_implementation: 3
    ...
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
import yaml
from rich.markup import escape
from rich.table import Table

from valuescout.assessments import reputation_service, willingness_service
from valuescout.assessments import willingness as w
from valuescout.assessments.engagement_schemas import ReputationOut
from valuescout.cli.context import console, fail, transaction


class Output(StrEnum):
    TABLE = "table"
    JSON = "json"


FORMAT = typer.Option(Output.TABLE, "--format", "-f", help="table or json")
MAX_FILE = 64 * 1024


def _load_answers(path: Path) -> dict[str, Any]:
    if not path.is_file():
        fail(f"{escape(str(path))}: no such file")
    if path.stat().st_size > MAX_FILE:
        fail(f"{escape(str(path))}: larger than {MAX_FILE // 1024} KiB")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        fail(f"{escape(str(path))}: not valid YAML ({escape(str(exc).splitlines()[0])})")
    if isinstance(data, dict) and isinstance(data.get("answers"), dict):
        data = data["answers"]
    if not isinstance(data, dict):
        fail(f"{escape(str(path))}: expected question ids mapped to answers")
    return {str(k): v for k, v in data.items()}


def willingness(
    answers: Path = typer.Option(..., "--answers", help="YAML file: question id -> answer"),
    format: Output = FORMAT,
) -> None:
    """Score a customer's willingness to engage and the sales model that fits them."""
    raw = _load_answers(answers)
    try:
        result = w.score(raw)
    except w.AnswerError as exc:
        fail("; ".join(f"{escape(q)}: {escape(m)}" for q, m in exc.problems))
    out = willingness_service.score_out(result)
    if format == Output.JSON:
        typer.echo(json.dumps(out.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    console.print(f"Willingness to engage: [bold]{out.willingness}[/] of 100")
    console.print(f"Newness {out.newness}, risk {out.risk}; quadrant: {out.quadrant_label}")
    console.print(f"Recommended sales model: [bold]{out.model_label}[/]")
    for reason in out.reasons:
        console.print(f"- {escape(reason)}")
    if out.expert_opening:
        console.print(f"Opening for an expert: {escape(out.expert_opening)}")


def _threshold(text: str | None) -> Decimal | None:
    if text is None:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        fail("--threshold: a share between 0 and 0.9, e.g. 0.2")
    if not (value.is_finite() and 0 <= value <= Decimal("0.9")):
        fail("--threshold: a share between 0 and 0.9, e.g. 0.2")
    return value


def reputation(
    threshold: str | None = typer.Option(
        None, "--threshold", help="Discount above which a win is discount-dependent (0.2)"
    ),
    save: bool = typer.Option(False, "--save", help="Keep the results with their time"),
    format: Output = FORMAT,
) -> None:
    """The sales-reputation check of the whole company: the scorecard per quarter, the
    trends and what they mean."""
    limit = _threshold(threshold)
    today = date.today()
    with transaction() as session:
        op = reputation_service.OPERATOR
        kept = reputation_service.take_snapshot(session, op, today, limit) if save else []
        out = reputation_service.check(session, op, today, limit)
    if format == Output.JSON:
        body = out.model_dump(mode="json")
        body["saved"] = [s.period for s in kept]
        typer.echo(json.dumps(body, indent=2, ensure_ascii=False))
        return
    _print(out)
    if kept:
        console.print(f"Kept: {', '.join(s.period for s in kept)}")


def _pct(value: Decimal | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


def _print(out: ReputationOut) -> None:
    table = Table(title=f"Sales reputation: {escape(out.scope)}")
    table.add_column("Quarter")
    for label in ("RFPs", "Shaped", "Crowded", "Won/lost", "Discount-dep.", "Realisation"):
        table.add_column(label, justify="right")
    table.add_column("Confirmed value", justify="right")
    table.add_column("Source")
    for q in out.quarters:
        table.add_row(
            q.period, str(q.rfps), _pct(q.shaped_share), _pct(q.crowded_share),
            f"{q.won}/{q.lost}", _pct(q.discount_dependence), _pct(q.price_realisation),
            _pct(q.confirmed_value_share), q.source,
        )  # fmt: skip
    console.print(table)
    for line in out.reading:
        console.print(escape(line))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the group."""
    app.command("willingness")(willingness)
    app.command("reputation")(reputation)
