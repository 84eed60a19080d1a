"""The discount report over canonical transaction lines: ValueScout against its baselines (issue 6).

    .venv/bin/python bench/analytics_report.py [--rows 1000000 10000000 [50000000]] [--runs 3]
        [--data DIR] [--only duckdb-sets,polars,...] [--seed 7] [--duckdb-memory 500MB]

The lines come from `analytics_lines.write_lines` (seed 7), written once per size and seed as
Parquet under --data (default /tmp/vs-analytics-report) and reused. Every implementation runs
the same report, each run in a fresh interpreter (a child process of this script), and returns
the same numbers:

* discount totals by rep, by manager, by region and by customer: lines, list revenue, invoice
  revenue, discount, discount rate (dollar-weighted), pocket revenue, pocket margin;
* seller outlier inputs: per rep x segment x deal type x size band the `outliers.CellSums`
  sums (lines, list and invoice revenue, sums of the line rate r = 1 - invoice/list price, of
  r squared and of the line's list revenue squared), then the pure model
  `outliers.peer_outliers`; by rep totals are the roll-up of these cells. The size band is the
  project's (`definitions.SIZE_BAND_SQL`): the decade of the deal's list revenue, the deal
  being the lines sharing an opportunity_id (4 lines each in the generator), so
  every implementation first sums list revenue per opportunity and joins it back;
* concentration: Gini and top-decile share of discount dollars across customers and reps
  (`concentration.gini`, `concentration.top_share`).

Implementations: "duckdb-sets" (one scan, GROUPING SETS) and "duckdb-separate" (one query per
grouping), threads = CPUs, DuckDB's default memory limit unless --duckdb-memory; the faster
of the two medians is the floor every ratio divides by.
"polars" (lazy scan_parquet, group_by, collect_all on the streaming engine), "pandas" (only the
needed columns read with pyarrow, strings as categoricals, groupby.agg), "scan" (a bare column
scan, sum of one expression: the lower bound, no report) and "valuescout" (the project's own
engine, `valuescout.analytics.engine`, when it exists). The time is measured in the child from
the first read of the file to the finished report (interpreter start and imports excluded);
peak memory is the child's VmHWM. "engine s" is the part before the shared Python step (the
outlier model and concentration over the grouped sums, the same code for everyone). Every
report is checked equal, within float tolerance, to the first DuckDB report; a mismatch is
printed and the script exits 1.

Targets (issue 6): ValueScout within 1.3x of the floor at 10M and 50M lines, peak memory under
600 MB at 10M and under 1 GB at 50M.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

IMPLS = ["duckdb-sets", "duckdb-separate", "polars", "pandas", "scan", "valuescout"]
FLOORS = ("duckdb-sets", "duckdb-separate")
TARGETS = {10_000_000: (1.3, 600e6), 50_000_000: (1.3, 1e9)}  # rows: (ratio, peak bytes)
DEFAULT_DATA = Path(tempfile.gettempdir()) / "vs-analytics-report"
_MEMORY_ENV = "VS_BENCH_DUCKDB_MEMORY"  # --duckdb-memory, passed to the children

# A group's raw sums: lines, list revenue, invoice revenue, pocket revenue, pocket margin.
Sums = tuple[int, float, float, float, float]
# A cell's: the above + rate sum, rate squared sum, list revenue squared sum.
CellRow = tuple[str, str, str, str, int, float, float, float, float, float, float, float]
Raw = dict[str, list[Any]]  # "cells": [CellRow], "manager"/"region"/"customer": [(key, *Sums)]


# ---------------------------------------------------------------- shared: sums -> report


def finish(raw: Raw) -> dict[str, Any]:
    """The report from an engine's grouped sums: derived totals, outlier model, concentration."""
    from valuescout.analytics.concentration import gini, top_share
    from valuescout.analytics.outliers import CellSums, peer_outliers

    by_rep: dict[str, list[float]] = {}
    cells: dict[str, list[float]] = {}
    groups: list[CellSums] = []
    for rep, seg, deal, band, n, lr, ir, pr, pm, rs, rss, lss in raw["cells"]:
        acc = by_rep.setdefault(rep, [0, 0.0, 0.0, 0.0, 0.0])
        for i, value in enumerate((n, lr, ir, pr, pm)):
            acc[i] += value
        label = band_label(int(band))
        cells[f"{rep}|{seg}|{deal}|{label}"] = [n, lr, ir, rs, rss, lss]
        groups.append(
            CellSums(
                actor=rep,
                cell=(seg, deal, label),
                lines=int(n),
                list_revenue=Decimal(repr(float(lr))),
                invoice_revenue=Decimal(repr(float(ir))),
                rate_sum=float(rs),
                rate_sq_sum=float(rss),
                list_sq_sum=float(lss),
            )
        )
    totals = {
        "rep": {k: _totals(v) for k, v in by_rep.items()},
        **{name: {str(r[0]): _totals(r[1:]) for r in raw[name]} for name in _KEYS},
    }
    model = peer_outliers(groups)
    outliers = {
        "sigma": model.sigma,
        "tau": model.tau,
        "excluded": model.excluded_from_peers,
        "unbenchmarked": model.unbenchmarked,
        "actors": {a.actor: _actor(a) for a in model.actors},
    }
    concentration = {}
    for name in ("customer", "rep"):
        discounts = [max(0.0, row[3]) for row in totals[name].values()]
        concentration[name] = {"gini": gini(discounts), "top_decile": top_share(discounts, 0.1)}
    return {"totals": totals, "cells": cells, "outliers": outliers, "concentration": concentration}


_KEYS = ("manager", "region", "customer")


def _actor(a: Any) -> list[Any]:
    return [a.lines, a.residual, a.z, a.shrunk_residual, float(a.excess_discount), a.status]


def _totals(sums: Any) -> list[float]:
    n, lr, ir, pr, pm = sums
    discount = lr - ir
    return [int(n), lr, ir, discount, discount / lr if lr else 0.0, pr, pm]


def band_label(band: int) -> str:
    """As `definitions.size_band_label`: "10,000-99,999" for band 4; band 0 is "<10"."""
    return "<10" if band <= 0 else f"{10**band:,}-{10 ** (band + 1) - 1:,}"


# ---------------------------------------------------------------- DuckDB (the floor)

_LINES = """
    WITH src AS (
        SELECT rep_id, manager_id, region, customer_id, segment, deal_type, opportunity_id,
               quantity * list_price AS lr,
               quantity * invoice_price AS ir,
               quantity * invoice_price - off_invoice AS pr,
               quantity * invoice_price - off_invoice - quantity * unit_cost AS pm,
               1 - invoice_price / list_price AS r
        FROM read_parquet({path})
    )
"""
# The deal's list revenue joined back to its lines; the band is its decade.
_SIZED = """
    deals AS (SELECT opportunity_id, sum(lr) AS deal_list FROM src
              WHERE opportunity_id IS NOT NULL GROUP BY opportunity_id),
    l AS (SELECT src.*, CAST(floor(log10(greatest(coalesce(deals.deal_list, src.lr), 1)))
                             AS INTEGER) AS band
          FROM src LEFT JOIN deals ON src.opportunity_id = deals.opportunity_id)
"""
_SUMS = "count(*), sum(lr), sum(ir), sum(pr), sum(pm)"
_CELL_SUMS = _SUMS + ", sum(r), sum(r * r), sum(lr * lr)"


def _duck(path: str) -> Any:
    import duckdb

    config: dict[str, Any] = {"threads": os.cpu_count() or 1, "preserve_insertion_order": False}
    if os.environ.get(_MEMORY_ENV):
        limit, spill = os.environ[_MEMORY_ENV].split("|", 1)
        config["memory_limit"] = limit
        config["temp_directory"] = spill  # under --data, never the working directory
    con = duckdb.connect(":memory:", config=config)
    con.execute("SET enable_progress_bar = false")
    return con, _LINES.format(path="'" + path.replace("'", "''") + "'")


def run_duckdb_sets(path: str) -> Raw:
    """One scan: GROUPING SETS over the cells and the three other keys."""
    con, lines = _duck(path)
    rows = con.execute(
        f"""
        {lines}, {_SIZED}
        SELECT GROUPING(rep_id, manager_id, region, customer_id) AS g,
               rep_id, segment, deal_type, band, manager_id, region, customer_id,
               {_CELL_SUMS}
        FROM l
        GROUP BY GROUPING SETS ((rep_id, segment, deal_type, band), (manager_id), (region),
                                (customer_id))
        """  # noqa: S608 - our own names; the path is quoted in _duck
    ).fetchall()
    raw: Raw = {"cells": [], "manager": [], "region": [], "customer": []}
    # GROUPING bits (rep, manager, region, customer): 1 = not grouped by it.
    for g, rep, seg, deal, band, manager, region, customer, *sums in rows:
        if g == 0b0111:
            raw["cells"].append((rep, seg, deal, band, *sums))
        elif g == 0b1011:
            raw["manager"].append((manager, *sums[:5]))
        elif g == 0b1101:
            raw["region"].append((region, *sums[:5]))
        else:
            raw["customer"].append((customer, *sums[:5]))
    return raw


def run_duckdb_separate(path: str) -> Raw:
    """One query (and one scan) per grouping."""
    con, lines = _duck(path)
    cells = f"SELECT rep_id, segment, deal_type, band, {_CELL_SUMS} FROM l GROUP BY ALL"  # noqa: S608
    raw: Raw = {"cells": con.execute(f"{lines}, {_SIZED} {cells}").fetchall()}
    for name, column in zip(_KEYS, ("manager_id", "region", "customer_id"), strict=True):
        query = f"{lines} SELECT {column}, {_SUMS} FROM src GROUP BY ALL"  # noqa: S608
        raw[name] = con.execute(query).fetchall()
    return raw


def run_scan(path: str) -> None:
    """The lower bound: one pass summing one expression over two columns."""
    con, _ = _duck(path)
    con.execute("SELECT sum(quantity * list_price) FROM read_parquet(?)", [path]).fetchall()


# ---------------------------------------------------------------- Polars lazy


def run_polars(path: str) -> Raw:
    import polars as pl

    lr = pl.col("quantity") * pl.col("list_price")
    ir = pl.col("quantity") * pl.col("invoice_price")
    src = pl.scan_parquet(path).select(
        "rep_id", "manager_id", "region", "customer_id", "segment", "deal_type",
        "opportunity_id",
        lr.alias("lr"),
        ir.alias("ir"),
        (ir - pl.col("off_invoice")).alias("pr"),
        (ir - pl.col("off_invoice") - pl.col("quantity") * pl.col("unit_cost")).alias("pm"),
        (1 - pl.col("invoice_price") / pl.col("list_price")).alias("r"),
    )  # fmt: skip
    deals = (
        src.filter(pl.col("opportunity_id").is_not_null())
        .group_by("opportunity_id")
        .agg(pl.col("lr").sum().alias("deal_list"))
    )
    deal_list = pl.coalesce(pl.col("deal_list"), pl.col("lr"))
    # The decade by comparisons: Polars' log10(1000.0) is 2.9999999999999996 (ln x / ln 10),
    # which put deals of exactly 1,000.00 in the wrong band (caught by the check at 10M).
    band = pl.sum_horizontal([(deal_list >= 10.0**k).cast(pl.Int32) for k in range(1, 16)])
    sized = src.join(deals, on="opportunity_id", how="left").with_columns(band.alias("band"))
    sums = [
        pl.len().alias("n"),
        pl.col("lr").sum(),
        pl.col("ir").sum(),
        pl.col("pr").sum(),
        pl.col("pm").sum(),
    ]
    cell_sums = [
        *sums,
        pl.col("r").sum().alias("rs"),
        (pl.col("r") * pl.col("r")).sum().alias("rss"),
        (pl.col("lr") * pl.col("lr")).sum().alias("lss"),
    ]
    frames = pl.collect_all(
        [
            sized.group_by("rep_id", "segment", "deal_type", "band").agg(cell_sums),
            src.group_by("manager_id").agg(sums),
            src.group_by("region").agg(sums),
            src.group_by("customer_id").agg(sums),
        ],
        engine="streaming",
    )
    return {name: frame.rows() for name, frame in zip(("cells", *_KEYS), frames, strict=True)}


# ---------------------------------------------------------------- pandas


def run_pandas(path: str) -> Raw:
    import numpy as np
    import pandas as pd
    import pyarrow.parquet as pq

    keys = ["rep_id", "manager_id", "region", "customer_id", "segment", "deal_type"]
    keys.append("opportunity_id")
    table = pq.read_table(
        path,
        columns=[*keys, "quantity", "list_price", "invoice_price", "unit_cost", "off_invoice"],
        read_dictionary=keys,
    )
    df = table.to_pandas()  # dictionary columns -> Categorical
    del table
    q = df["quantity"].to_numpy()
    lp = df["list_price"].to_numpy()
    ip = df["invoice_price"].to_numpy()
    lr = q * lp
    ir = q * ip
    pr = ir - df["off_invoice"].to_numpy()
    values = pd.DataFrame(
        {
            "lr": lr,
            "ir": ir,
            "pr": pr,
            "pm": pr - q * df["unit_cost"].to_numpy(),
            "r": 1 - ip / lp,
        }
    )
    values["rr"] = values["r"] * values["r"]
    values["ll"] = lr * lr
    deal_list = values["lr"].groupby(df["opportunity_id"], observed=True).transform("sum")
    deal_list = deal_list.fillna(values["lr"]).to_numpy()  # a line without a deal is its own
    band = np.floor(np.log10(np.maximum(deal_list, 1.0))).astype(np.int32)
    del deal_list
    sums = {"n": ("lr", "size"), **{c: (c, "sum") for c in ("lr", "ir", "pr", "pm")}}
    cell_sums = {**sums, "rs": ("r", "sum"), "rss": ("rr", "sum"), "lss": ("ll", "sum")}
    by = [
        df["rep_id"],
        df["segment"],
        df["deal_type"],
        pd.Series(band, name="band", index=df.index),
    ]
    raw: Raw = {
        "cells": list(
            values.groupby(by, observed=True, sort=False)
            .agg(**cell_sums)
            .reset_index()
            .itertuples(index=False, name=None)
        )
    }
    for name, column in zip(_KEYS, ("manager_id", "region", "customer_id"), strict=True):
        part = values[["lr", "ir", "pr", "pm"]]
        raw[name] = list(
            part.groupby(df[column], observed=True, sort=False)
            .agg(**sums)
            .reset_index()
            .itertuples(index=False, name=None)
        )
    return raw


# ---------------------------------------------------------------- ValueScout


def run_valuescout(path: str) -> dict[str, Any] | None:
    """The project's own engine as `valuescout analytics report` runs it: `lines.open_lines`
    (the file checked, from its Parquet statistics where they prove it), then
    `engine.discount_report` (groups, outlier cells + `peer_outliers`, concentration); None
    while that API does not exist (the harness then says so, no figure)."""
    try:
        from valuescout.analytics import engine
        from valuescout.analytics.lines import open_lines

        opened = open_lines(path)
        report = engine.discount_report(
            opened.con,
            view=opened.view,
            by=("rep", "manager", "region", "customer"),
            actor="rep",
            concentration_of=("customer", "rep"),
        )
    except (ImportError, AttributeError, TypeError, KeyError) as exc:
        print(f"valuescout engine: no adapter for its API ({exc!r})", file=sys.stderr)
        return None
    totals: dict[str, Any] = {}
    for name, grouped in report.groups.items():
        key = grouped.keys[0]
        totals[name] = {
            str(row[key]): [
                int(row["lines"]), float(row["list_revenue"]),
                float(row["invoice_revenue"]), float(row["discount"]),
                float(row["discount_rate"] or 0.0), float(row["pocket_revenue"]),
                float(row["pocket_margin"]),
            ]
            for row in grouped.rows
        }  # fmt: skip
    model = report.outliers
    spread = {c.dimension: c for c in report.concentration}
    return {
        "totals": totals,
        "cells": {
            f"{g.actor}|{'|'.join(g.cell)}": [
                g.lines,
                float(g.list_revenue),
                float(g.invoice_revenue),
                g.rate_sum,
                g.rate_sq_sum,
                g.list_sq_sum,
            ]
            for g in report.cells
        },
        "outliers": {
            "sigma": model.sigma,
            "tau": model.tau,
            "excluded": model.excluded_from_peers,
            "unbenchmarked": model.unbenchmarked,
            "actors": {a.actor: _actor(a) for a in model.actors},
        },
        "concentration": {
            name: {"gini": spread[name].gini, "top_decile": spread[name].top_decile_share}
            for name in ("customer", "rep")
        },
    }


# ---------------------------------------------------------------- child process

RUNNERS: dict[str, Callable[[str], Any]] = {
    "duckdb-sets": run_duckdb_sets,
    "duckdb-separate": run_duckdb_separate,
    "polars": run_polars,
    "pandas": run_pandas,
    "scan": run_scan,
    "valuescout": run_valuescout,
}
_PRELOAD = {
    "duckdb-sets": ["duckdb"],
    "duckdb-separate": ["duckdb"],
    "scan": ["duckdb"],
    "polars": ["polars"],
    "pandas": ["pandas", "pyarrow.parquet", "numpy"],
    "valuescout": ["duckdb"],
}


def _peak_mib() -> float:
    status = Path("/proc/self/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+)", status)
    return int(found.group(1)) / 1024 if found else float("nan")


def child(impl: str, path: str, out: str) -> None:
    import importlib

    for module in [*_PRELOAD[impl], "valuescout.analytics.outliers"]:
        importlib.import_module(module)
    started = time.perf_counter()
    raw = RUNNERS[impl](path)
    queried = time.perf_counter()
    available = not (impl == "valuescout" and raw is None)
    report = None
    if raw is not None:
        report = raw if "totals" in raw else finish(raw)
    ended = time.perf_counter()
    if raw is not None and "totals" in raw:
        queried = ended  # finished by the implementation itself: no separate engine time
    result = {
        "available": available,
        "seconds": ended - started,
        "query_seconds": queried - started,
        "peak_mib": _peak_mib(),
        "report": report,
    }
    Path(out).write_text(json.dumps(result))


def run_child(impl: str, path: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        done = subprocess.run(  # noqa: S603 - our interpreter, our script
            [sys.executable, __file__, "--child", impl, str(path), str(out)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{impl} failed:\n{done.stderr[-3000:]}")
        result: dict[str, Any] = json.loads(out.read_text())
        return result


# ---------------------------------------------------------------- checking and the table


_MONEY_AT = ("[1]", "[2]", "[3]", "[5]", "[6]")  # of a totals row


def differences(expected: Any, actual: Any, where: str = "") -> list[str]:
    """Where two reports differ beyond float tolerance (relative 1e-6)."""
    if isinstance(expected, dict) and isinstance(actual, dict):
        out: list[str] = []
        for key in sorted(set(expected) | set(actual)):
            if key not in expected or key not in actual:
                out.append(f"{where}/{key}: only in {'floor' if key in expected else 'this'}")
            else:
                out.extend(differences(expected[key], actual[key], f"{where}/{key}"))
        return out
    if isinstance(expected, list) and isinstance(actual, list):
        if len(expected) != len(actual):
            return [f"{where}: {len(expected)} items vs {len(actual)}"]
        return [d for i, (e, a) in enumerate(zip(expected, actual, strict=True))
                for d in differences(e, a, f"{where}[{i}]")]  # fmt: skip
    if isinstance(expected, float | int) and isinstance(actual, float | int):
        # Money may be rounded to cents (the engine's totals); rates and sums are not.
        cents = 0.0051 if where.startswith("/totals/") and where[-3:] in _MONEY_AT else 1e-6
        if math.isclose(expected, actual, rel_tol=1e-6, abs_tol=cents):
            return []
        return [f"{where}: {expected!r} vs {actual!r}"]
    return [] if expected == actual else [f"{where}: {expected!r} vs {actual!r}"]


def ensure_lines(data: Path, rows: int, seed: int) -> Path:
    from analytics_lines import write_lines

    data.mkdir(parents=True, exist_ok=True)
    path = data / f"lines-{rows}-seed{seed}.parquet"
    if not path.exists():
        started = time.perf_counter()
        partial = path.with_suffix(".part")
        write_lines(partial, rows, seed)
        partial.replace(path)
        print(f"generated {rows:,} lines in {time.perf_counter() - started:.0f} s: {path}")
    return path


def verdict(impl: str, rows: int, ratio: float | None, peak_mib: float, ok: bool) -> str:
    if impl == "scan":
        return "lower bound (no report)"
    if not ok:
        return "WRONG: differs from the floor"
    if impl != "valuescout":
        return "floor" if impl in FLOORS and ratio == 1.0 else "matches floor"
    if rows not in TARGETS:
        return "matches; no target at this size"
    max_ratio, max_bytes = TARGETS[rows]
    misses = []
    if ratio is None or ratio > max_ratio:
        misses.append(f"time > {max_ratio}x")
    if peak_mib * 2**20 >= max_bytes:
        misses.append(f"memory >= {max_bytes / 1e6:,.0f} MB")
    return "MISSES " + ", ".join(misses) if misses else "meets targets"


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.2f}"


def main() -> None:
    if len(sys.argv) == 5 and sys.argv[1] == "--child":
        child(*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", default="", help="comma-separated: " + ",".join(IMPLS))
    parser.add_argument(
        "--duckdb-memory", default="", help="memory_limit of the DuckDB baselines, e.g. 500MB"
    )
    args = parser.parse_args()
    if args.duckdb_memory:
        os.environ[_MEMORY_ENV] = f"{args.duckdb_memory}|{args.data / 'duckdb-spill'}"
        print(f"DuckDB baselines with memory_limit {args.duckdb_memory}")
    impls = [i for i in args.only.split(",") if i] or IMPLS
    unknown = set(impls) - set(IMPLS)
    if unknown:
        parser.error(f"unknown implementation(s): {', '.join(sorted(unknown))}")
    # The floor runs first: every other report is checked against it.
    impls = [i for i in FLOORS if i in impls] + [i for i in impls if i not in FLOORS]
    if not any(i in FLOORS for i in impls):
        impls = ["duckdb-sets", *impls]
    print(f"{os.cpu_count()} CPUs, load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    failed = False
    table: list[tuple[str, int, float, float | None, float | None, float | None, float, str]] = []
    for rows in args.rows:
        path = ensure_lines(args.data, rows, args.seed)
        reference: dict[str, Any] | None = None
        measured: dict[str, tuple[float, float, float, bool]] = {}  # s, engine s, MiB, ok
        for impl in impls:
            runs = [run_child(impl, path) for _ in range(args.runs)]
            if not runs[0]["available"]:
                print(f"valuescout: not available yet ({rows:,} rows)")
                continue
            ok = True
            for run in runs:
                if run["report"] is None:
                    continue
                if reference is None:
                    reference = run["report"]
                    continue
                diffs = differences(reference, run["report"])
                if diffs:
                    ok = False
                    print(f"MISMATCH {impl} at {rows:,} rows: {len(diffs)} differences, e.g.")
                    for d in diffs[:10]:
                        print("   ", d)
                    break
            failed = failed or not ok
            measured[impl] = (
                statistics.median(r["seconds"] for r in runs),
                statistics.median(r["query_seconds"] for r in runs),
                max(r["peak_mib"] for r in runs),
                ok,
            )
        floor = min(measured[i][0] for i in FLOORS if i in measured)
        engine_floor = min(measured[i][1] for i in FLOORS if i in measured)
        for impl, (seconds, query, peak, ok) in measured.items():
            ratio = seconds / floor if floor else None
            text = verdict(impl, rows, ratio, peak, ok)
            # A report finished by the implementation itself has no separate engine time.
            split = impl == "scan" or query < seconds
            table.append((impl, rows, seconds, ratio, query if split else None,
                          query / engine_floor if split else None, peak, text))  # fmt: skip
    print()
    print("| implementation | rows | median s | x floor | engine s | engine x floor "
          "| peak RSS MiB | verdict |")  # fmt: skip
    print("|---|---:|---:|---:|---:|---:|---:|---|")
    for impl, rows, seconds, ratio, query, query_ratio, peak, text in table:
        cells = [_num(seconds), _num(ratio), _num(query), _num(query_ratio), f"{peak:,.0f}"]
        print(f"| {impl} | {rows:,} | {' | '.join(cells)} | {text} |")
    print(f"\nload average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
