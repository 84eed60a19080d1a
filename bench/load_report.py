"""What the load test records and prints: every request's endpoint, group, status and time.

Groups carry the targets of issue 10: pages (GET of an HTML page or an htmx panel) and page
writes (form posts) p95 < 300 ms, API writes p95 < 150 ms; API reads are reported without a
target. An error is any response whose status is not the one the step expects, a transport
error or a timeout; a 409 on a price-request move is a lost race between two approvers (the
answer the API promises), counted apart and not an error.
"""

from __future__ import annotations

import json
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PAGE, PAGE_WRITE, API_READ, API_WRITE = "page", "page write", "API read", "API write"
GROUPS = (PAGE, PAGE_WRITE, API_READ, API_WRITE)
TARGETS_MS = {PAGE: 300.0, PAGE_WRITE: 300.0, API_WRITE: 150.0}


@dataclass
class Stats:
    recording: bool = False  # off during the warm-up
    latencies: dict[tuple[str, str], list[float]] = field(
        default_factory=lambda: defaultdict(list)
    )  # (group, endpoint) -> ms
    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)  # (endpoint, status)
    errors: Counter[str] = field(default_factory=Counter)  # "endpoint: what"
    error_samples: list[str] = field(default_factory=list)
    conflicts: Counter[str] = field(default_factory=Counter)
    actions: Counter[str] = field(default_factory=Counter)
    pending: Counter[str] = field(default_factory=Counter)  # "computing" pages, per endpoint

    def record(
        self,
        group: str,
        endpoint: str,
        status: int | None,
        ms: float,
        *,
        ok: bool,
        conflict: bool = False,
        detail: str = "",
    ) -> None:
        if not self.recording:
            return
        self.latencies[(group, endpoint)].append(ms)
        if status is not None:
            self.statuses[(endpoint, status)] += 1
        if conflict:
            self.conflicts[endpoint] += 1
        elif not ok:
            what = f"{endpoint}: {status if status is not None else detail}"
            self.errors[what] += 1
            if len(self.error_samples) < 20:
                self.error_samples.append(f"{what} {detail}"[:300])

    def count_pending(self, endpoint: str) -> None:
        """A page that said its figures were still being computed (and reloaded itself)."""
        if self.recording:
            self.pending[endpoint] += 1

    def fail(self, endpoint: str, what: str) -> None:
        """An answer with the expected status but not the expected content."""
        if self.recording:
            self.errors[f"{endpoint}: {what}"] += 1


def percentiles(samples: list[float]) -> dict[str, float]:
    if not samples:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    if len(samples) == 1:
        v = samples[0]
        return {"p50": v, "p95": v, "p99": v, "max": v}
    cut = statistics.quantiles(samples, n=100, method="inclusive")
    return {"p50": statistics.median(samples), "p95": cut[94], "p99": cut[98], "max": max(samples)}


def summary(stats: Stats, seconds: float) -> dict[str, Any]:
    by_group: dict[str, list[float]] = defaultdict(list)
    endpoints: list[dict[str, Any]] = []
    for (group, endpoint), samples in stats.latencies.items():
        by_group[group].extend(samples)
        errors = sum(n for what, n in stats.errors.items() if what.startswith(f"{endpoint}: "))
        endpoints.append(
            {
                "group": group,
                "endpoint": endpoint,
                "count": len(samples),
                "errors": errors,
                "per_s": len(samples) / seconds,
                **percentiles(samples),
            }
        )
    groups: list[dict[str, Any]] = []
    for group in GROUPS:
        samples = by_group.get(group, [])
        names = {e["endpoint"] for e in endpoints if e["group"] == group}
        target = TARGETS_MS.get(group)
        figures = percentiles(samples)
        groups.append(
            {
                "group": group,
                "count": len(samples),
                "errors": sum(e["errors"] for e in endpoints if e["endpoint"] in names),
                "per_s": len(samples) / seconds,
                **figures,
                "target_p95_ms": target,
                "met": None if target is None or not samples else figures["p95"] < target,
            }
        )
    total = sum(g["count"] for g in groups)
    return {
        "seconds": seconds,
        "requests": total,
        "per_s": total / seconds if seconds else 0.0,
        "errors": sum(stats.errors.values()),
        "error_kinds": dict(stats.errors),
        "error_samples": stats.error_samples,
        "conflicts": dict(stats.conflicts),
        "actions": dict(stats.actions),
        "pending_pages": dict(stats.pending),
        "groups": groups,
        "endpoints": sorted(endpoints, key=lambda e: -e["p95"]),
    }


def _row(label: str, d: dict[str, Any], width: int) -> str:
    return (
        f"{label:<{width}} {d['count']:>7,} {d['errors']:>6} {d['per_s']:>7.1f} {d['p50']:>7.0f}"
        f" {d['p95']:>7.0f} {d['p99']:>7.0f} {d['max']:>7.0f}"
    )


def print_summary(s: dict[str, Any], slowest: int = 10) -> None:
    print(
        f"\n{s['requests']:,} requests in {s['seconds']:.0f} s: {s['per_s']:.1f} requests/s; "
        f"errors {s['errors']}; 409 lost races on moves {sum(s['conflicts'].values())}"
    )
    head = f"{'count':>7} {'errors':>6} {'req/s':>7} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}"
    print(f"\n{'group':<12} {head} {'max ms':>7}  target p95")
    for g in s["groups"]:
        if not g["count"]:
            continue
        verdict = ""
        if g["target_p95_ms"] is not None:
            verdict = f"< {g['target_p95_ms']:.0f} ms: {'met' if g['met'] else 'MISSED'}"
        print(f"{_row(g['group'], g, 12)}  {verdict}")
    width = max((len(e["endpoint"]) for e in s["endpoints"]), default=10)
    print(f"\n{'endpoint (slowest p95 first)':<{width}} {head} {'max ms':>7}  group")
    for e in s["endpoints"]:
        print(f"{_row(e['endpoint'], e, width)}  {e['group']}")
    print(
        f"\nslowest {slowest} by p95: "
        + ", ".join(f"{e['endpoint']} {e['p95']:.0f} ms" for e in s["endpoints"][:slowest])
    )
    if s["errors"]:
        print("errors: " + ", ".join(f"{k} x{v}" for k, v in s["error_kinds"].items()))
        for sample in s["error_samples"][:10]:
            print(f"  e.g. {sample}")
    print("user actions: " + ", ".join(f"{k} {v:,}" for k, v in sorted(s["actions"].items())))
    if s["pending_pages"]:
        print(
            "pages that said their figures were being computed (then reloaded, 2 s later): "
            + ", ".join(f"{k} {v:,}" for k, v in sorted(s["pending_pages"].items()))
        )


def write_json(path: Path, report: dict[str, Any]) -> None:
    path.write_text(json.dumps(report, indent=2, default=str) + "\n", encoding="utf-8")
