"""What an import tells the user: problems (where and what) and warnings (with row counts)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Problem:
    """Something wrong with the input, where it is, and what to do about it."""

    file: str
    line: int | None
    column: str
    message: str
    code: str = "invalid"  # encoding, columns, date, amount, stage, duplicate, ... (for hints)

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}, line {self.line}"
        column = f", column {self.column!r}" if self.column else ""
        return f"{where}{column}: {self.message}"


SHOWN_CHARS = 60
SHOWN_COLUMNS = 40


def quoted(text: str, limit: int = SHOWN_CHARS) -> str:
    """A value for a message: quoted, and cut short when long (a 10 MB cell is not repeated)."""
    if len(text) <= limit:
        return repr(text)
    return f"{text[:limit]!r}... ({len(text):,} characters)"


def listed(names: list[str], limit: int = SHOWN_COLUMNS) -> str:
    """Column names for a message: the first ones, then how many more."""
    shown = ", ".join(n if len(n) <= SHOWN_CHARS else quoted(n) for n in names[:limit])
    return shown + (f" and {len(names) - limit:,} more" if len(names) > limit else "")


class Notes(Counter[str]):
    """Warnings with how many rows each applies to: 'account blank: no account (3 rows)'."""

    def lines(self) -> list[str]:
        return [f"{text} ({n:,} row{'s' if n != 1 else ''})" for text, n in self.items()]
