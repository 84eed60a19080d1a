"""A demo deal's walk through the stages and the history it leaves: which open stages it
passes (a skipped stage, a step back), when it enters each, how often its close date slips,
whether and when it is won or lost, and the stage, amount and close-date changes a user's
edits would have left. dealflow.py draws the rest of the deal around it.

Times are offsets in days from the deal's creation until `stamper` turns them into office
hours; nothing happens on or after `cutoff` (today, 00:00 UTC).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

from valuescout.demo.world import AccountFacts, NetworkFacts, Stages

CYCLE_DAYS = {"new": 170.0, "expansion": 100.0, "renewal": 55.0}  # median, mid-market
STAGE_WEIGHTS = (1.0, 1.2, 1.5, 1.2, 0.8)  # time spent per open stage, default stage list
FIELD_ORDER = {"stage": 0, "amount": 1, "close_date": 2}
DAY = 86400.0


def stamper(created: datetime) -> Callable[[float], datetime]:
    """Offsets in days from `created` -> UTC times on the same day, the day's 24 hours
    squeezed into 08:00-18:00 (so order is kept). Epoch arithmetic: called ~12 times a deal."""
    base = created.timestamp()

    def stamp(offset: float) -> datetime:
        moment = base + offset * DAY
        day = moment - moment % DAY
        return datetime.fromtimestamp(int(day + 28800 + (moment - day) * (10 / 24)), UTC)

    return stamp


@dataclass(slots=True)
class Timeline:
    path: list[int]  # open stage indexes in the order walked (a step back repeats one)
    entries: list[float]  # day offsets at which each path step was entered
    length: float  # planned days from creation to close, slips included
    first_plan: float  # planned days at creation, before slips
    slips: list[float]
    won: bool
    end: float  # day offset of the win or loss
    closed: bool
    reached: int  # number of path steps entered by the end or the cutoff


class TimelineMaker:
    """Draws timelines and their histories from the deal maker's own random stream, in the
    order the deal maker asks for them."""

    def __init__(self, rng: random.Random, stages: Stages, today: date, cutoff: datetime) -> None:
        self.rng = rng
        self.stages = stages
        self.today = today
        self.cutoff = cutoff
        n_open = len(stages.open)
        self.stage_weights = STAGE_WEIGHTS if n_open == len(STAGE_WEIGHTS) else (1.0,) * n_open

    def timeline(
        self,
        account: AccountFacts,
        network: NetworkFacts,
        deal_type: str,
        p_win: float,
        created: datetime,
    ) -> Timeline:
        rng = self.rng
        n_open = len(self.stages.open)
        start = {"new": 0, "expansion": min(1, n_open - 1), "renewal": self.stages.quote_at}
        path = list(range(start[deal_type], n_open))
        if deal_type == "new" and len(path) >= 4 and rng.random() < 0.1:
            del path[rng.randrange(1, len(path) - 1)]  # skipped a stage
        if len(path) >= 3 and rng.random() < 0.06:
            i = rng.randrange(2, len(path))
            path[i + 1 : i + 1] = [path[i - 1], path[i]]  # went back a stage, then on again
        days = CYCLE_DAYS[deal_type] * (1.15 if network.kind == "product" else 0.9)
        first_plan = min(540.0, max(10.0, days * account.size**0.25 * math.exp(rng.gauss(0, 0.45))))
        roll = rng.random()
        slips = [rng.uniform(14, 60) for _ in range(2 if roll < 0.1 else (1 if roll < 0.3 else 0))]
        length = first_plan + sum(slips)
        weights = [self.stage_weights[s] * rng.uniform(0.5, 1.5) for s in path]
        entries, total = [], 0.0
        for weight in weights:
            entries.append(length * total / sum(weights))
            total += weight
        won = rng.random() < p_win
        end, at = length, len(path) - 1
        if not won:
            at = rng.choices(range(len(path)), [1 / (j + 2.0) for j in range(len(path))])[0]
            until = entries[at + 1] if at + 1 < len(path) else length
            end = entries[at] + (until - entries[at]) * rng.uniform(0.2, 1.0)
        horizon = (self.cutoff - created).total_seconds() / 86400
        closed = end < horizon
        limit = end if closed else horizon
        reached = sum(1 for entry in entries if entry <= limit)
        if not won:
            reached = min(reached, at + 1)
        return Timeline(path, entries, length, first_plan, slips, won, end, closed, reached)

    def history(
        self, line: Timeline, amounts: list[tuple[float, Decimal]], actor: int, created: datetime
    ) -> tuple[list[dict[str, Any]], date]:
        """The stage, amount and close-date changes a user's edits would have left."""
        stamp = stamper(created)
        horizon = (self.cutoff - created).total_seconds() / 86400
        until = min(line.end, horizon)
        names = [self.stages.open[s].name for s in line.path]
        events: list[tuple[float, str, str | None, str]] = [(0.0, "stage", None, names[0])]
        for j in range(1, line.reached):
            events.append((line.entries[j], "stage", names[j - 1], names[j]))
        if line.closed:
            final = self.stages.won if line.won else self.stages.lost
            events.append((line.end, "stage", names[line.reached - 1], final.name))
        previous: str | None = None
        for offset, value in amounts:
            if str(value) != previous:
                events.append((offset, "amount", previous, str(value)))
                previous = str(value)
        plans = [(0.0, line.first_plan)]
        for i, slip in enumerate(line.slips):
            moment = line.first_plan + sum(line.slips[:i]) - self.rng.uniform(0, 10)
            if not 0 < moment < until:
                break
            plans.append((moment, plans[-1][1] + slip))
        dates = [(moment, stamp(plan).date()) for moment, plan in plans]
        if line.closed and stamp(line.end).date() != dates[-1][1]:
            dates.append((line.end, stamp(line.end).date()))
        if not line.closed and dates[-1][1] <= self.today:
            dates[-1] = (dates[-1][0], self.today + timedelta(days=1))
        before: str | None = None
        for moment, day in dates:
            if day.isoformat() != before:
                events.append((moment, "close_date", before, day.isoformat()))
                before = day.isoformat()
        events.sort(key=lambda e: (e[0], FIELD_ORDER[e[1]]))
        changes = [
            {
                "field": name,
                "old_value": old,
                "new_value": new,
                "changed_at": stamp(moment),
                "actor_id": actor,
            }
            for moment, name, old, new in events
        ]
        return changes, date.fromisoformat(before or self.today.isoformat())
