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


class Notes(Counter[str]):
    """Warnings with how many rows each applies to: 'account blank: no account (3 rows)'."""

    def lines(self) -> list[str]:
        return [f"{text} ({n:,} row{'s' if n != 1 else ''})" for text, n in self.items()]
