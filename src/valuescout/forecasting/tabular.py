"""Reading the columns of a CRM export the way a win model needs them: what is missing, which
columns are numbers, dates or categories, which are ids or carry one value, and which rows are
duplicates. Pure: no database, no web.

The rules (the same for a CSV of strings and for typed values):

* **Missing** is only a truly empty cell: `None`, a float NaN, or text that is empty or only
  spaces. The strings "None", "N/A", "null", "-" ... are *categories*: an export means
  something by them.
* **Numeric**: every non-missing value is a number (`int`/`float`, not `bool`) or text that
  reads as one. Text may have spaces around it, one leading currency symbol ($ EUR GBP YEN as
  the signs $ € £ ¥), a leading minus, and thousands separated by commas in groups of three
  ("$1,234,567.89", "-1,200"). Anything else ("1,5", "12%", "1.2.3", "NaN", infinity) is not
  a number, and one such value makes the column categorical.
* **Date**: every non-missing value is a `date`/`datetime` or ISO-like text: `YYYY-MM-DD`,
  optionally followed by `T` or a space and a time (the time is ignored).
* Otherwise **categorical**: the value's text with surrounding spaces removed.
* **Id-like** columns are never features: a name that is "id" or ends in "_id", " id", "-id",
  ".id" or a camel-case "Id" (`opportunity_id`, `AccountId`; not `paid` or `valid`), whatever
  its values; or a categorical column whose values are all different (at least two). A numeric
  column is a measure and is never called an id for having distinct values.
* A column with **one value** (missing counts as a value of its own) is dropped.
* **Duplicated rows** (every cell equal) are kept once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

Cell = str | int | float | bool | date | datetime | None
Row = Mapping[str, Any]

_NUMBER = re.compile(
    r"^(?P<sign>[-+]?)[$€£¥]?(?P<sign2>[-+]?)"
    r"(?P<body>(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?|\.\d+)(?P<exp>[eE][-+]?\d+)?$"
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?$")
_CAMEL_ID = re.compile(r"(?:[a-z0-9]Id|[a-z0-9]ID)$")
_SEPARATED_ID = re.compile(r"(?:^|[_\s.\-])id$", re.IGNORECASE)


class Kind(StrEnum):
    NUMERIC = "numeric"
    DATE = "date"
    CATEGORICAL = "categorical"


@dataclass(frozen=True, slots=True)
class Column:
    """A column used as a feature, and what kind of values it holds."""

    name: str
    kind: Kind


@dataclass(frozen=True, slots=True)
class Dropped:
    """A column that is not a feature, and why (plain words)."""

    column: str
    reason: str


@dataclass(frozen=True, slots=True)
class Profile:
    features: tuple[Column, ...]
    dropped: tuple[Dropped, ...]


# --- single values ----------------------------------------------------------------------------


def is_missing(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    if isinstance(value, str):
        return value.strip() == ""
    return False


def parse_number(value: Any) -> float | None:
    """The number a cell holds, or None (missing, or not a number by the rules above)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        number = float(value)
        return number if math.isfinite(number) else None
    if not isinstance(value, str):
        return None
    if "_" not in value:  # the common case, fast: a plain number ("1250.5", "-3", "1e3")
        try:
            number = float(value)
        except ValueError:
            pass
        else:
            return number if math.isfinite(number) else None
    match = _NUMBER.match(value.strip())
    if not match or (match["sign"] and match["sign2"]):
        return None
    number = float(match["body"].replace(",", "") + (match["exp"] or ""))
    if not math.isfinite(number):
        return None
    return -number if "-" in (match["sign"] + match["sign2"]) else number


def parse_date(value: Any) -> date | None:
    """The date a cell holds (`YYYY-MM-DD[ time]`, a date or datetime), or None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None
    match = _ISO_DATE.match(value.strip())
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def category(value: Any) -> str:
    """The category a cell names: its text without surrounding spaces."""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def is_id_name(name: str) -> bool:
    """ "id", "opportunity_id", "Account ID", "account.id", "AccountId"; not "paid", "valid"."""
    stripped = name.strip()
    return bool(_SEPARATED_ID.search(stripped) or _CAMEL_ID.search(stripped))


# --- columns ----------------------------------------------------------------------------------


def infer_kind(values: Iterable[Any]) -> Kind:
    """Numeric when every non-missing value is a number; date when every one is a date; else
    categorical. A column with no value at all is categorical."""
    present = [v for v in values if not is_missing(v)]
    if not present:
        return Kind.CATEGORICAL
    if all(parse_number(v) is not None for v in present):
        return Kind.NUMERIC
    if all(parse_date(v) is not None for v in present):
        return Kind.DATE
    return Kind.CATEGORICAL


def _key(value: Any) -> Any:
    """What makes two cells the same value: missing is one value; text without its spaces."""
    if is_missing(value):
        return None
    return value.strip() if isinstance(value, str) else value


def profile_columns(
    rows: Sequence[Row], columns: Sequence[str], *, never: Mapping[str, str] | None = None
) -> Profile:
    """Which columns are features (and their kind) and which are dropped, with the reason.

    `never` maps columns that must not be features to the reason to report (the outcome, the
    id column, excluded columns ...)."""
    never = never or {}
    features: list[Column] = []
    dropped: list[Dropped] = []
    for name in columns:
        if name in never:
            dropped.append(Dropped(name, never[name]))
            continue
        values = [row.get(name) for row in rows]
        distinct = {_key(v) for v in values}
        kind = infer_kind(values)
        if is_id_name(name):
            dropped.append(Dropped(name, "id-like name"))
        elif len(distinct) <= 1:
            dropped.append(Dropped(name, "one value"))
        elif kind == Kind.CATEGORICAL and _all_distinct(values):
            dropped.append(Dropped(name, "id-like: every value differs"))
        else:
            features.append(Column(name, kind))
    return Profile(tuple(features), tuple(dropped))


def _all_distinct(values: Sequence[Any]) -> bool:
    present = [_key(v) for v in values if not is_missing(v)]
    return len(present) >= 2 and len(set(present)) == len(present)


# --- rows -------------------------------------------------------------------------------------


def first_copies(rows: Sequence[Row], columns: Collection[str]) -> list[int]:
    """For every row, the index of the first row equal to it in each of `columns`."""
    first: dict[tuple[Any, ...], int] = {}
    ordered = list(columns)
    return [
        first.setdefault(tuple(_key(row.get(name)) for name in ordered), i)
        for i, row in enumerate(rows)
    ]


def duplicate_flags(rows: Sequence[Row], columns: Collection[str]) -> list[bool]:
    """True for every row equal in each of `columns` to an earlier row (its first copy stays)."""
    seen: set[tuple[Any, ...]] = set()
    flags: list[bool] = []
    ordered = list(columns)
    for row in rows:
        key = tuple(_key(row.get(name)) for name in ordered)
        flags.append(key in seen)
        seen.add(key)
    return flags
