"""`valuescout discoveries ...`: the review queue and the product-ideas list.

The operator (no user account) reads every discovery, as `valuescout deals` reads every deal;
reviewing is done on the pages or through the API, where an editor of the value network is
signed in. Tables and JSON go to stdout; `ideas --csv FILE` writes the spreadsheet-safe CSV
(cells that a spreadsheet would run as a formula start with an apostrophe).
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from valuescout.cli.context import console, fail, transaction
from valuescout.discoveries import service, service_ideas
from valuescout.discoveries.ideas import ideas_csv, stated_value_text
from valuescout.discoveries.transitions import Status

app = typer.Typer(help="The review queue and the product-ideas list.", no_args_is_help=True)


class Output(StrEnum):
    TABLE = "table"
    JSON = "json"


FORMAT = typer.Option(Output.TABLE, "--format", "-f", help="table or json")


@app.command()
def queue(
    status: Status = typer.Option(Status.NEW, "--status", help="new, accepted or declined"),
    format: Output = FORMAT,
) -> None:
    """Discoveries in one review state: new ones oldest first, reviewed ones latest first."""
    with transaction() as session:
        rows = service.operator_queue(session, status)
    if format == Output.JSON:
        typer.echo(json.dumps([r.model_dump(mode="json") for r in rows], indent=2))
        return
    table = Table(title=f"Discoveries: {status.value} ({len(rows)})")
    for column in ("#", "Logged", "Customer", "Desired outcome", "Value hint", "Outcome"):
        table.add_column(column)
    for r in rows:
        hint = r.value_hint + (f" ({r.currency} {r.value_amount:,.0f})" if r.value_amount else "")
        table.add_row(
            str(r.id), r.created_at.date().isoformat(), escape(r.customer_name),
            escape(r.desired_outcome), escape(hint),
            escape(r.outcome_name or r.decline_reason or ""),
        )  # fmt: skip
    console.print(table)


@app.command()
def ideas(
    csv: Path | None = typer.Option(None, "--csv", help="Write the list to this CSV file"),
    format: Output = FORMAT,
) -> None:
    """Unmet value gaps grouped into product ideas: how often heard, by whom, worth what."""
    with transaction() as session:
        found = service_ideas.operator_ideas(session)
    if csv is not None:
        try:
            csv.write_text(ideas_csv(found), encoding="utf-8", newline="")
        except OSError as exc:
            fail(f"Cannot write {escape(str(csv))}: {escape(exc.strerror or str(exc))}")
        console.print(f"{len(found)} product ideas written to {escape(str(csv))}.")
        return
    if format == Output.JSON:
        rows = [
            {"theme": i.theme, "count": i.count, "customers": list(i.customers),
             "value_hints": list(i.value_hints),
             "stated_values": {k: str(v) for k, v in i.stated_values.items()},
             "discovery_ids": list(i.discovery_ids), "sources": list(i.sources)}
            for i in found
        ]  # fmt: skip
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
        return
    table = Table(title=f"Product ideas ({len(found)})")
    for column in ("Theme", "Heard", "Customers", "Stated value", "Why unmet"):
        table.add_column(column)
    for i in found:
        table.add_row(
            escape(i.theme), str(i.count), escape(", ".join(i.customers)),
            stated_value_text(i.stated_values) or "-", escape("; ".join(i.sources)),
        )  # fmt: skip
    console.print(table)
