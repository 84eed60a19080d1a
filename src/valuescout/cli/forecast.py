"""`valuescout forecast ...`: win probabilities and their accuracy. This module holds the
Typer group; each command parses its options, calls one function of `valuescout.forecasting`
and renders the result. Messages go to stderr, the table or JSON to stdout, and a refused
input prints one clear error (exit 1) and nothing on stdout.

`backtest` trains the win model on one part of a CRM export's closed deals and scores it and
the baselines on the other (`forecasting/backtest.py` has the rules). JSON:

    {"model": SCORES, "baselines": {"base_rate": SCORES, "stage_weighted": SCORES | null},
     "data": {rows, duplicates_removed, empty_outcome_left_out, open_left_out,
              empty_split_date_left_out, train_wins, train_losses, test_wins, test_losses,
              split, calibration, features: [{column, kind}], dropped_columns: [{column, reason}]}}

SCORES = {"auc", "brier", "log_loss", "calibration": [{lower, upper, count, mean_predicted,
fraction_positive}], "n_train", "n_test"}; `stage_weighted` is null without --stage; `auc` is
null when the test part holds only wins or only losses.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape
from rich.table import Table

from valuescout.cli.context import console, err_console, fail
from valuescout.core.errors import DomainError
from valuescout.forecasting.backtest import BacktestResult, BacktestSpec, parse_split, run_backtest
from valuescout.forecasting.history import read_history

app = typer.Typer(help="Win probabilities, forecasts and their accuracy.", no_args_is_help=True)


class Output(StrEnum):
    TABLE = "table"
    JSON = "json"


@app.command("backtest")
def backtest(
    history: Path = typer.Option(..., "--history", help="The CRM export of past deals (CSV)"),
    outcome: str = typer.Option(..., "--outcome", help="The column holding each deal's outcome"),
    won: str = typer.Option(..., "--won", help="The outcome value of a won deal"),
    lost: list[str] = typer.Option(
        None,
        "--lost",
        help="Outcome value(s) of a lost deal (repeatable); others are open "
        "deals and left out. Without it every other outcome is a loss",
    ),
    id_column: str | None = typer.Option(None, "--id", help="The deal id column (no feature)"),
    exclude: list[str] = typer.Option(
        None,
        "--exclude",
        help="A column the model must not use (repeatable), e.g. one only known at close",
    ),
    stage: str | None = typer.Option(
        None, "--stage", help="The stage column: adds the stage-weighted baseline"
    ),
    split: str = typer.Option(
        "random:0.3", "--split", help="random:F (test fraction) or time:COLUMN:YYYY-MM-DD"
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the random split and the folds"),
    format: Output = typer.Option(Output.TABLE, "--format", "-f", help="table or json"),
) -> None:
    """Train the win model on part of the closed deals, predict the rest, and compare it with
    the base rate (and the stage-weighted rate with --stage): AUC, Brier, log loss and
    calibration bins."""
    try:
        spec = BacktestSpec(
            outcome=outcome,
            won=won,
            lost=tuple(lost or ()),
            id_column=id_column,
            exclude=tuple(exclude or ()),
            stage=stage,
            split=parse_split(split),
            seed=seed,
        )
        table = read_history(history)
        with err_console.status(f"Training on {escape(history.name)} ..."):
            result = run_backtest(table, spec)
    except DomainError as exc:
        fail(escape(exc.message))
    if format == Output.JSON:
        typer.echo(json.dumps(result.as_dict(), indent=2, ensure_ascii=False))
    else:
        _print_tables(result)


def _number(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _print_tables(result: BacktestResult) -> None:
    methods: list[tuple[str, Any]] = [("model", result.model), ("base rate", result.base_rate)]
    if result.stage_weighted is not None:
        methods.append(("stage-weighted", result.stage_weighted))
    scores = Table("method", "AUC", "Brier", "log loss", "n_train", "n_test", title="Backtest")
    for name, score in methods:
        scores.add_row(
            name,
            _number(score.auc),
            _number(score.brier, 4),
            _number(score.log_loss, 4),
            f"{score.n_train:,}",
            f"{score.n_test:,}",
        )
    console.print(scores)
    for name, score in methods:
        bins = Table("predicted", "deals", "mean predicted", "won", title=f"Calibration: {name}")
        for item in score.calibration:
            bins.add_row(
                f"{item['lower']:.1f}-{item['upper']:.1f}",
                f"{item['count']:,}",
                f"{item['mean_predicted']:.3f}",
                f"{item['fraction_positive']:.3f}",
            )
        console.print(bins)
    data = result.data
    console.print(
        f"Split {escape(data.split)}: train {data.train_wins:,} won / {data.train_losses:,} "
        f"lost, test {data.test_wins:,} won / {data.test_losses:,} lost; "
        f"calibration {data.calibration}.",
        highlight=False,
    )
    left_out = [
        (data.duplicates_removed, "duplicated rows"),
        (data.open_left_out, "open deals"),
        (data.empty_outcome_left_out, "rows with an empty outcome"),
        (data.empty_split_date_left_out, "rows with an empty split date"),
    ]
    notes = [f"{n:,} {what}" for n, what in left_out if n]
    if notes:
        console.print(f"Left out: {', '.join(notes)}.", highlight=False)
    features = ", ".join(f"{escape(f['column'])} ({f['kind']})" for f in data.features)
    console.print(f"Features: {features}.", highlight=False)
    if data.dropped_columns:
        dropped = ", ".join(f"{escape(d['column'])} ({d['reason']})" for d in data.dropped_columns)
        console.print(f"Not used: {dropped}.", highlight=False)
