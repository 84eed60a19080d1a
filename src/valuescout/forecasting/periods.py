"""Forecast periods: calendar quarters, written "2026-Q4". Pure."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from valuescout.core.errors import Invalid

_LABEL = re.compile(r"^(\d{4})-Q([1-4])$")


@dataclass(frozen=True, order=True)
class Period:
    year: int
    quarter: int

    @property
    def label(self) -> str:
        return f"{self.year}-Q{self.quarter}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.quarter - 2, 1)

    @property
    def end(self) -> date:
        return self.next().start - timedelta(days=1)

    def contains(self, day: date) -> bool:
        return self.start <= day <= self.end

    def next(self) -> Period:
        return (
            Period(self.year + 1, 1) if self.quarter == 4 else Period(self.year, self.quarter + 1)
        )

    def previous(self) -> Period:
        return (
            Period(self.year - 1, 4) if self.quarter == 1 else Period(self.year, self.quarter - 1)
        )

    @staticmethod
    def containing(day: date) -> Period:
        return Period(day.year, (day.month - 1) // 3 + 1)

    @staticmethod
    def parse(text: str, field: str = "period") -> Period:
        found = _LABEL.match(text.strip())
        if not found:
            raise Invalid(f"period {text!r}: write a quarter as YYYY-Qn, e.g. 2026-Q4", field=field)
        return Period(int(found.group(1)), int(found.group(2)))


def last_quarters(today: date, count: int) -> list[Period]:
    """The `count` quarters that ended before today's, oldest first."""
    out: list[Period] = []
    current = Period.containing(today)
    for _ in range(count):
        current = current.previous()
        out.append(current)
    return list(reversed(out))
