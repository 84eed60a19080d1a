"""Range forecast of 20,000 open deals: P10/P50/P90 time, peak memory and accuracy.

Generates (seed 7) N deals: amounts log-normal (median $60k, sigma 1.2, rounded to cents),
win probabilities Beta(1.5, 2.5) with 5% of deals closed-won (p = 1) and 3% lost (p = 0).

Each timed run is a fresh child process: it imports valuescout, builds the deals (not timed),
then times one ``forecast_range`` call (validation, categories, the grid distribution,
P10/P50/P90 and the win-count distribution) and reports its wall-clock and CPU seconds and
its peak RSS (VmHWM). The figure is the median of the runs. Target (issue 7): under 2 s.

Accuracy, against two references computed in this process:

* the same grid method at a 16x finer grid (2^22 steps), and
* a seeded Monte Carlo (``--draws``, default 200,000; its own quantile noise is printed as
  a standard error from the density of the distribution), independent of the grid code.

Target: P10/P50/P90 within 0.5% of the reference.

Run: .venv/bin/python bench/forecast_range.py [--deals 20000] [--runs 5] [--draws 200000]
"""

from __future__ import annotations

import argparse
import json
import math
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np

from valuescout.forecasting.distribution import bookings_distribution, forecast_range
from valuescout.forecasting.outcomes import OutcomeDistribution

TARGET_S = 2.0
TARGET_RELATIVE = 0.005
LEVELS = (0.1, 0.5, 0.9)


def make_deals(count: int, seed: int = 7) -> tuple[np.ndarray, np.ndarray]:
    generator = np.random.default_rng(seed)
    amounts = np.round(generator.lognormal(math.log(60_000), 1.2, count), 2)
    probabilities = generator.beta(1.5, 2.5, count)
    closed = generator.random(count)
    probabilities[closed < 0.05] = 1.0
    probabilities[(closed >= 0.05) & (closed < 0.08)] = 0.0
    return amounts, probabilities


def peak_rss_mib() -> float:
    found = re.search(r"VmHWM:\s+(\d+)", Path("/proc/self/status").read_text())
    return int(found.group(1)) / 1024 if found else float("nan")


def child(count: int) -> None:
    amounts, probabilities = make_deals(count)
    before = peak_rss_mib()
    start, cpu_start = time.perf_counter(), time.process_time()
    forecast = forecast_range(amounts, probabilities)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    print(
        json.dumps(
            {
                "seconds": seconds,
                "cpu": cpu,
                "peak_mib": peak_rss_mib(),
                "peak_before_mib": before,
                "quantiles": [forecast.p10, forecast.p50, forecast.p90],
                "method": forecast.method,
                "expected": forecast.expected,
                "sd": forecast.sd,
                "cells": int(forecast.distribution.values.size),
                "step": forecast.distribution.step,
                "trimmed": forecast.distribution.trimmed,
            }
        )
    )


def run_children(count: int, runs: int) -> list[dict[str, Any]]:
    results = []
    for _ in range(runs):
        output = subprocess.run(  # noqa: S603 - our own script, fixed arguments
            [sys.executable, __file__, "--child", "--deals", str(count)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results.append(json.loads(output))
    return results


def monte_carlo_noise(reference: OutcomeDistribution, q: float, draws: int) -> float:
    """Standard error of a simulated quantile: sqrt(q(1-q)/draws) / density at the quantile."""
    x = reference.quantile(q)
    width = 0.01 * max(x, 1.0)
    mass = reference.cdf(x + width) - reference.cdf(x - width)
    return math.sqrt(q * (1 - q) / draws) * (2 * width / mass) if mass > 0 else float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deals", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--draws", type=int, default=200_000)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.child:
        child(arguments.deals)
        return

    results = run_children(arguments.deals, arguments.runs)
    seconds = [float(r["seconds"]) for r in results]
    cpu = [float(r["cpu"]) for r in results]
    peak = max(float(r["peak_mib"]) for r in results)
    before = max(float(r["peak_before_mib"]) for r in results)
    first = results[0]
    ours = [float(x) for x in first["quantiles"]]
    print(f"{arguments.deals:,} deals, method {first['method']}: {first['cells']:,} cells kept,")
    print(f"  step {first['step']:.2f}, probability trimmed {first['trimmed']:.1e}")
    print(f"  expected {first['expected']:,.0f}  sd {first['sd']:,.0f}")
    print(
        f"forecast_range: median {statistics.median(seconds):.3f} s over {len(seconds)} fresh "
        f"processes (min {min(seconds):.3f}, max {max(seconds):.3f}); target < {TARGET_S} s"
    )
    print(f"  CPU seconds of the call: median {statistics.median(cpu):.3f} (the wall clock")
    print("  also waits for a CPU on a loaded machine)")
    print(f"peak RSS (VmHWM) {peak:.0f} MiB ({before:.0f} MiB before the call)")

    amounts, probabilities = make_deals(arguments.deals)
    start = time.perf_counter()
    fine = bookings_distribution(amounts, probabilities, method="grid", grid_cells=1 << 22)
    fine_seconds = time.perf_counter() - start
    start = time.perf_counter()
    simulated = bookings_distribution(
        amounts, probabilities, method="monte carlo", draws=arguments.draws, seed=11
    )
    simulated_seconds = time.perf_counter() - start
    print(
        f"references: grid 2^22 ({fine_seconds:.1f} s), Monte Carlo {arguments.draws:,} draws "
        f"({simulated_seconds:.1f} s)"
    )
    print("level  ours           fine grid       rel. error     Monte Carlo  rel. error  MC s.e.")
    worst = 0.0
    for q, value in zip(LEVELS, ours, strict=True):
        reference, draw = fine.quantile(q), simulated.quantile(q)
        fine_error = (value - reference) / reference
        mc_error = (value - draw) / draw
        noise = monte_carlo_noise(fine, q, arguments.draws) / draw
        worst = max(worst, abs(fine_error), abs(mc_error))
        print(
            f"P{round(q * 100):<4} {value:>15,.0f} {reference:>15,.0f} {fine_error:>+11.5%} "
            f"{draw:>15,.0f} {mc_error:>+11.5%} {noise:>8.4%}"
        )
    met = statistics.median(seconds) < TARGET_S and worst <= TARGET_RELATIVE
    print(f"worst relative error {worst:.5%} (target {TARGET_RELATIVE:.1%}); targets met: {met}")


if __name__ == "__main__":
    main()
