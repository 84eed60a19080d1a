"""Seeded generator of canonical transaction lines (Parquet or CSV), streamed in chunks.

Importable by the analytics benchmarks (`write_lines`, `chunks`); as a script it writes one
file and, with `--validate`, times `valuescout.analytics.lines.open_lines` over it in a child
process and prints its peak RSS:

    .venv/bin/python bench/analytics_lines.py --rows 1000000 --out /tmp/lines.parquet [--validate]

The company: 6 regions, 25 managers, 200 reps (a few heavy discounters, each rep with a
habit), 5,000 customers in 3 segments (sizes and buying weights skewed, so discount dollars
concentrate), 500 products with list prices and costs. A line's discount depends on segment x
deal type x deal size, plus the rep's habit and noise; cost varies around the product's;
off-invoice money is rebates by segment plus freight. Memory stays flat: one chunk at a time.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

REGIONS = ["North", "South", "East", "West", "Central", "International"]
SEGMENTS = ["enterprise", "mid-market", "smb"]
DEAL_TYPES = ["new", "expansion", "renewal"]
# Base discount by segment x deal type.
BASE = np.array(
    [
        [0.16, 0.12, 0.09],  # enterprise
        [0.11, 0.08, 0.06],  # mid-market
        [0.06, 0.04, 0.03],  # smb
    ]
)
REBATE = np.array([0.03, 0.02, 0.005])  # of invoice revenue, by segment
START = date(2024, 1, 1)
DAYS = 731
CHUNK = 200_000


@dataclass(frozen=True)
class Company:
    rep_manager: np.ndarray  # rep -> manager
    manager_region: np.ndarray  # manager -> region
    rep_habit: np.ndarray  # rep -> extra discount
    customer_segment: np.ndarray
    customer_region: np.ndarray
    customer_weight: np.ndarray  # buying probability
    customer_owner: np.ndarray  # customer -> rep
    list_price: np.ndarray
    unit_cost: np.ndarray
    approvers: int


def company(seed: int = 7, reps: int = 200, managers: int = 25, customers: int = 5_000) -> Company:
    rng = np.random.default_rng(seed)
    manager_region = np.arange(managers) % len(REGIONS)
    rep_manager = rng.integers(0, managers, reps)
    rep_manager[:managers] = np.arange(managers)  # every manager has a rep
    habit = rng.normal(0.0, 0.02, reps)
    heavy = rng.choice(reps, size=max(1, reps // 25), replace=False)
    habit[heavy] += rng.uniform(0.06, 0.14, heavy.size)  # a few heavy discounters
    segment = rng.choice(3, customers, p=[0.1, 0.3, 0.6])
    region = rng.integers(0, len(REGIONS), customers)
    weight = rng.pareto(1.2, customers) + 0.05
    weight *= np.array([8.0, 2.5, 1.0])[segment]
    weight /= weight.sum()
    rep_region = manager_region[rep_manager]
    owner = np.empty(customers, dtype=np.int64)
    for r in range(len(REGIONS)):
        local = np.flatnonzero(rep_region == r)
        mine = np.flatnonzero(region == r)
        owner[mine] = rng.choice(local, mine.size)
    list_price = np.round(np.exp(rng.normal(4.5, 1.2, 500)), 2)
    unit_cost = np.round(list_price * rng.uniform(0.3, 0.7, 500), 2)
    return Company(
        rep_manager, manager_region, habit, segment, region, weight, owner,
        list_price, unit_cost, approvers=8,
    )  # fmt: skip


def chunks(rows: int, seed: int = 7, chunk: int = CHUNK) -> Iterator[pa.Table]:
    """The lines, `chunk` rows at a time, as Arrow tables in the canonical schema."""
    co = company(seed)
    rng = np.random.default_rng(seed + 1)
    cum = np.cumsum(co.customer_weight)
    cum[-1] = 1.0
    for start in range(0, rows, chunk):
        n = min(chunk, rows - start)
        customer = np.searchsorted(cum, rng.random(n))
        seg = co.customer_segment[customer]
        rep = np.where(
            rng.random(n) < 0.9, co.customer_owner[customer], rng.integers(0, co.rep_habit.size, n)
        )
        manager = co.rep_manager[rep]
        deal = rng.choice(3, n, p=[0.3, 0.3, 0.4])
        product = np.minimum(rng.zipf(1.3, n) - 1, co.list_price.size - 1)
        qty = np.maximum(1.0, np.round(rng.lognormal(np.array([2.5, 1.6, 0.6])[seg], 0.9)))
        lp = co.list_price[product]
        size = np.log10(np.maximum(qty * lp, 1.0))
        disc = BASE[seg, deal] + 0.015 * (size - 3) + co.rep_habit[rep] + rng.normal(0, 0.03, n)
        disc = np.clip(disc, 0.0, 0.7)
        price = np.round(lp * (1 - disc), 2)
        cost = np.round(co.unit_cost[product] * rng.uniform(0.9, 1.1, n), 2)
        freight = np.where(rng.random(n) < 0.3, rng.uniform(5, 80, n), 0.0)
        off = np.round(qty * price * REBATE[seg] + freight, 2)
        approver = np.where(disc > 0.2, rng.integers(0, co.approvers, n), -1)
        ids = np.arange(start, start + n)
        days = rng.integers(0, DAYS, n)
        yield pa.table(
            {
                "line_id": _ids("L", ids, 9),
                "invoice_date": pa.array(
                    days.astype("int32") + (START - date(1970, 1, 1)).days, pa.date32()
                ),
                "customer_id": _ids("C", customer, 5),
                "product_id": _ids("P", product, 4),
                "rep_id": _ids("R", rep, 4),
                "manager_id": _ids("M", manager, 3),
                "region": _pick(REGIONS, co.manager_region[manager]),
                "segment": _pick(SEGMENTS, seg),
                "deal_type": _pick(DEAL_TYPES, deal),
                "quantity": pa.array(qty, pa.float64()),
                "list_price": pa.array(lp, pa.float64()),
                "invoice_price": pa.array(price, pa.float64()),
                "unit_cost": pa.array(cost, pa.float64()),
                "off_invoice": pa.array(off, pa.float64()),
                "approver_id": pa.array(np.char.add("A", approver.astype(str)), mask=approver < 0),
                "opportunity_id": _ids("O", ids // 4, 9),
                "territory": _pick(
                    [f"{r}-{k}" for r in REGIONS for k in range(4)],
                    co.customer_region[customer] * 4 + customer % 4,
                ),
                "currency": pa.array(np.full(n, "USD")),
            }
        )


def _ids(prefix: str, values: np.ndarray, width: int) -> pa.Array:
    return pa.array(np.char.add(prefix, np.char.zfill(values.astype(str), width)))


def _pick(names: list[str], index: np.ndarray) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(index, pa.int32()), names).cast(pa.string())


def write_lines(out: str | Path, rows: int, seed: int = 7, chunk: int = CHUNK) -> Path:
    """Write `rows` lines to `out`: Parquet unless the name ends in .csv."""
    out = Path(out)
    writer: pq.ParquetWriter | pacsv.CSVWriter | None = None
    try:
        for table in chunks(rows, seed, chunk):
            if writer is None:
                writer = (
                    pacsv.CSVWriter(out, table.schema)
                    if out.suffix == ".csv"
                    else pq.ParquetWriter(out, table.schema, compression="zstd")
                )
            writer.write_table(table)
    finally:
        if writer is not None:
            writer.close()
    return out


_VALIDATE = """
import re, sys, time
from pathlib import Path
from valuescout.analytics.lines import open_lines
t = time.perf_counter()
f = open_lines(sys.argv[1])
n = f.con.execute(f"SELECT count(*) FROM {f.view}").fetchone()[0]
status = Path("/proc/self/status").read_text()
rss = int(re.search(r"VmHWM:\\s+(\\d+)", status).group(1)) / 1024
print(f"{time.perf_counter() - t:.2f} {rss:.0f} {f.rows} {n}")
"""


def validate(path: Path) -> tuple[float, float, int]:
    """Seconds and peak RSS (MiB) of open_lines over `path`, in a fresh process."""
    out = subprocess.run(  # noqa: S603 - our interpreter, our script
        [sys.executable, "-c", _VALIDATE, str(path)], check=True, capture_output=True, text=True
    ).stdout.split()
    return float(out[0]), float(out[1]), int(out[2])


def _peak_mib() -> float:
    """Peak RSS (VmHWM) of this process; unlike ru_maxrss it does not carry over an exec."""
    status = Path("/proc/self/status").read_text()
    found = re.search(r"VmHWM:\s+(\d+)", status)
    return int(found.group(1)) / 1024 if found else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, required=True, help="*.parquet or *.csv")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--validate", action="store_true", help="then time open_lines on it")
    args = parser.parse_args()
    started = time.perf_counter()
    write_lines(args.out, args.rows, args.seed)
    seconds = time.perf_counter() - started
    peak = _peak_mib()
    size = args.out.stat().st_size / 2**20
    print(f"wrote {args.rows:,} lines to {args.out}: {seconds:.1f} s, {size:,.0f} MiB, "
          f"generator peak RSS {peak:,.0f} MiB")  # fmt: skip
    if args.validate:
        took, rss, rows = validate(args.out)
        print(f"open_lines: {rows:,} rows checked in {took:.2f} s, peak RSS {rss:,.0f} MiB")


if __name__ == "__main__":
    main()
