"""`valuescout policy validate | apply` and `valuescout pricing replay`: the written price
policy from the command line.

An operator acts as the system (`cli_actor()`), as the deals import does: applying a policy
adds a version recorded in the audit log under the OS account's name. An invalid policy is
refused with every problem and its line; the one in force stays.
"""

from __future__ import annotations

import json
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

import typer
from rich.markup import escape
from rich.table import Table

from valuescout.cli.context import cli_actor, console, err_console, fail, transaction
from valuescout.pricing import policies, replay
from valuescout.pricing.schemas import PolicyCheckOut, ReplayOut

policy_app = typer.Typer(help="The written price policy: validate and apply.", no_args_is_help=True)
pricing_app = typer.Typer(help="The price desk: replay past requests.", no_args_is_help=True)


class Format(StrEnum):
    TABLE = "table"
    JSON = "json"


FILE = typer.Argument(..., help="The policy's YAML file (see pricing/default_policy.yaml)")


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        fail(f"{path}: cannot read the policy file ({exc}).", code=2)


def _problems(path: Path, check: PolicyCheckOut) -> None:
    n = len(check.problems)
    err_console.print(
        f"[bold red]Error:[/] {escape(str(path))}: the policy is not valid "
        f"({n} problem{'s' if n != 1 else ''}).",
        highlight=False,
    )
    for problem in check.problems:
        err_console.print(f"  line {problem.line}: {escape(problem.message)}", highlight=False)


@policy_app.command("validate")
def validate(file: Path = FILE) -> None:
    """Check a policy file: its name and rules, or every problem with its line number."""
    source = _read(file)
    check = policies.check(source)
    if not check.valid:
        _problems(file, check)
        raise typer.Exit(1)
    parsed = policies.parse_or_invalid(source)
    console.print(
        f"Valid: [bold]{escape(check.name or '')}[/], {check.rules} rules.", highlight=False
    )
    table = Table("#", "rule", "when", "then")
    for index, rule in enumerate(parsed.rules, start=1):
        table.add_row(
            str(index),
            escape(rule.id),
            escape(" and ".join(c.describe() for c in rule.conditions) or "always"),
            escape(_outcome(rule.outcome.action.value, [r.value for r in rule.outcome.route])),
        )
    other = parsed.otherwise
    table.add_row(
        "", "otherwise", "", escape(_outcome(other.action.value, [r.value for r in other.route]))
    )
    console.print(table)


def _outcome(action: str, route: list[str]) -> str:
    return replay.describe(action, route)


@policy_app.command("apply")
def apply(
    file: Path = FILE,
    note: str = typer.Option("", "--note", help="Why this version (kept with it)"),
) -> None:
    """Put a policy in force as a new version; an invalid one is refused and the old stays."""
    source = _read(file)
    check = policies.check(source)
    if not check.valid:
        _problems(file, check)
        err_console.print("Nothing was applied; the policy in force stays.", highlight=False)
        raise typer.Exit(1)
    if len(note) > 500:
        fail("--note is longer than 500 characters.", code=2)
    with transaction() as session:
        row = policies.apply_as(session, cli_actor(), source, note)
        version, name = row.version, row.name
    console.print(
        f"Applied version {version}: [bold]{escape(name)}[/] ({check.rules} rules) is in force.",
        highlight=False,
    )


@pricing_app.command("replay")
def replay_command(
    policy: Path = typer.Option(..., "--policy", "-p", help="The candidate policy's YAML file"),
    format: Format = typer.Option(Format.TABLE, "--format", "-f", help="table or json"),
) -> None:
    """Replay every past request under a policy file: how many decisions would change and
    the discount at stake (each request judged on the evidence frozen when it was asked)."""
    source = _read(policy)
    check = policies.check(source)
    if not check.valid:
        _problems(policy, check)
        raise typer.Exit(1)
    with transaction() as session:
        out = replay.replay_all(session, source)
    if format == Format.JSON:
        typer.echo(json.dumps(out.model_dump(mode="json"), indent=2, ensure_ascii=False))
        return
    _render_replay(out)


def _render_replay(out: ReplayOut) -> None:
    console.print(
        f"Replayed {out.requests:,} requests under [bold]{escape(out.policy_name)}[/]: "
        f"{out.changed:,} decisions would change; "
        f"discount at stake {_money(out.discount_at_stake)}.",
        highlight=False,
    )
    summary = Table("decision", "now", "under the file")
    for action in sorted(set(out.by_action_before) | set(out.by_action_after)):
        summary.add_row(
            action,
            f"{out.by_action_before.get(action, 0):,}",
            f"{out.by_action_after.get(action, 0):,}",
        )
    summary.add_row(
        "approved without a person (discount)",
        _money(out.auto_approved_discount_before),
        _money(out.auto_approved_discount_after),
    )
    console.print(summary)
    if not out.changes:
        return
    changes = Table("request", "deal", "asked", "now", "under the file", "rule", "discount")
    changes.title = "Decisions that would change" + (
        f" (the newest {len(out.changes)} of {out.changed:,})"
        if out.changed > len(out.changes)
        else ""
    )
    for c in out.changes:
        changes.add_row(
            str(c.request_id),
            escape(c.opportunity_name),
            c.created_at.strftime("%Y-%m-%d"),
            escape(c.before),
            escape(c.after),
            escape(f"{c.rule_before or 'otherwise'} -> {c.rule_after or 'otherwise'}"),
            _money(c.discount_amount),
        )
    console.print(changes)


def _money(value: Decimal) -> str:
    return f"{value:,.2f}"
