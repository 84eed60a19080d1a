"""Win-model scoring: train on 20,000 closed deals, then score 100,000 open opportunities with
their explanations. Target (issue 7): scoring 100,000 open opportunities under 5 s.

Generates (seed 7) deals the way a CRM export holds them, every cell text: an id, account
(3,000, skewed), sales agent (60), product (7), region (4), industry (12 with "None" and
"N/A"), stage (5), lead source (empty on 20%), amount ("$12,345.67", log-normal), seats,
engage date (2016-2017), and a noise column; the true log-odds mix product, stage, industry,
agent, amount and seats.

Each timed run is a fresh child process: it builds the rows (not timed), trains
`forecasting.winmodel.train_win_model` on the closed deals (timed apart), then times one
`WinModel.explain` over the open deals: the calibrated probability and every column's factor
for each deal (as `Explanation` / `Factor` objects). Printed: median and range of the scoring
time (wall clock; and CPU time, which a loaded machine does not inflate), the training time,
peak RSS (VmHWM) of the child, and the scored deals' mean probability against the generator's
truth (a check that the figures are real).

Run: .venv/bin/python bench/forecast_scoring.py [--closed 20000] [--open 100000] [--runs 5]
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import numpy as np

from valuescout.forecasting.winmodel import train_win_model

TARGET_S = 5.0
PRODUCTS = {"GTX Basic": -0.3, "GTX Pro": 0.4, "MG Special": -0.6, "MG Advanced": 0.1,
            "GTX Plus Pro": 0.2, "GTX Plus Basic": 0.0, "GTK 500": -0.9}  # fmt: skip
STAGES = {"Prospecting": -1.5, "Discovery": -0.7, "Evaluation": 0.0, "Proposal": 0.6,
          "Negotiation": 1.2}  # fmt: skip
INDUSTRIES = ["retail", "medical", "software", "finance", "telecom", "marketing",
              "entertainment", "services", "employment", "technolgy", "None", "N/A"]  # fmt: skip
REGIONS = ["Central", "East", "West", "International"]
SOURCES = ["Web", "Partner", "Event", "Outbound", ""]


def make_rows(count: int, seed: int, start: int = 0) -> tuple[list[dict[str, str]], np.ndarray]:
    """`count` deals as text cells, and their true win probabilities."""
    rng = np.random.default_rng(seed)
    accounts = np.minimum(rng.zipf(1.3, count), 3000)
    agents = rng.integers(0, 60, count)
    agent_effect = np.random.default_rng(99).normal(0, 0.4, 60)
    products = rng.choice(list(PRODUCTS), count)
    stages = rng.choice(list(STAGES), count)
    industries = rng.choice(INDUSTRIES, count)
    amounts = rng.lognormal(np.log(40_000), 1.1, count)
    seats = rng.integers(1, 500, count)
    days = rng.integers(0, 700, count)
    log_odds = (
        0.2
        + np.array([PRODUCTS[p] for p in products])
        + np.array([STAGES[s] for s in stages])
        + np.where(industries == "N/A", -0.5, 0.0)
        + agent_effect[agents]
        - 0.3 * (np.log(amounts) - np.log(40_000))
        + 0.001 * (seats - 250)
    )
    truth = 1 / (1 + np.exp(-log_odds))
    sources = rng.choice(SOURCES, count, p=[0.3, 0.2, 0.15, 0.15, 0.2])
    regions = rng.choice(REGIONS, count)
    noise = rng.normal(0, 1, count)
    first = date(2016, 1, 1)
    rows = [
        {
            "opportunity_id": f"OPP{start + i:08d}",
            "account": f"Account {accounts[i]}",
            "sales_agent": f"Agent {agents[i]:02d}",
            "product": str(products[i]),
            "region": str(regions[i]),
            "industry": str(industries[i]),
            "stage": str(stages[i]),
            "lead_source": str(sources[i]),
            "amount": f"${amounts[i]:,.2f}",
            "seats": str(seats[i]),
            "engage_date": (first + timedelta(days=int(days[i]))).isoformat(),
            "noise": f"{noise[i]:.3f}",
        }
        for i in range(count)
    ]
    return rows, truth


def peak_rss_mib() -> float:
    found = re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text())
    return int(found.group(1)) / 1024 if found else float("nan")


def child(closed: int, open_: int) -> None:
    train_rows, train_truth = make_rows(closed, seed=7)
    won = list(np.random.default_rng(8).random(closed) < train_truth)
    open_rows, open_truth = make_rows(open_, seed=9, start=closed)
    rows_mib = peak_rss_mib()
    start = time.perf_counter()
    model = train_win_model(train_rows, won, never={"opportunity_id": "id column"}, seed=7)
    trained = time.perf_counter() - start
    before = peak_rss_mib()
    start, cpu = time.perf_counter(), time.process_time()
    explanations = model.explain(open_rows)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    probabilities = np.array([e.probability for e in explanations])
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu_seconds": cpu,
                "train_seconds": trained,
                "peak_mib": peak_rss_mib(),
                "peak_before_mib": before,
                "rows_mib": rows_mib,
                "factors": sum(len(e.factors) for e in explanations),
                "mean_probability": float(probabilities.mean()),
                "mean_truth": float(open_truth.mean()),
                "mean_abs_error": float(np.abs(probabilities - open_truth).mean()),
                "calibration": model.report.calibration,
                "features": len(model.report.features),
                "encoded": len(model.encoder.names),
            }
        )
    )


def run_children(closed: int, open_: int, runs: int) -> list[dict[str, Any]]:
    results = []
    for _ in range(runs):
        output = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [sys.executable, __file__, "--child", "--closed", str(closed), "--open", str(open_)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.append(json.loads(output))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--closed", type=int, default=20_000)
    parser.add_argument("--open", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.closed, arguments.open)
        return
    results = run_children(arguments.closed, arguments.open, arguments.runs)
    seconds = [float(r["seconds"]) for r in results]
    training = [float(r["train_seconds"]) for r in results]
    cpu = [float(r["cpu_seconds"]) for r in results]
    first = results[0]
    median = statistics.median(seconds)
    print(
        f"train on {arguments.closed:,} closed deals: median {statistics.median(training):.2f} s "
        f"({min(training):.2f}-{max(training):.2f}); {first['features']} columns -> "
        f"{first['encoded']} encoded, calibration {first['calibration']}"
    )
    print(
        f"score {arguments.open:,} open deals (probability + {first['factors']:,} factors): "
        f"median {median:.2f} s ({min(seconds):.2f}-{max(seconds):.2f} s, {len(seconds)} runs; "
        f"CPU median {statistics.median(cpu):.2f} s); "
        f"target < {TARGET_S:.0f} s: {'met' if median < TARGET_S else 'MISSED'}"
    )
    print(
        f"peak RSS (VmHWM) {max(float(r['peak_mib']) for r in results):.0f} MiB "
        f"({max(float(r['peak_before_mib']) for r in results):.0f} MiB before scoring, "
        f"{max(float(r['rows_mib']) for r in results):.0f} MiB with the generated rows alone)"
    )
    print(
        f"mean probability {first['mean_probability']:.4f} vs truth {first['mean_truth']:.4f}; "
        f"mean |p - truth| {first['mean_abs_error']:.4f}"
    )


if __name__ == "__main__":
    main()
