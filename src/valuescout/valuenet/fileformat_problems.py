"""What is wrong with a value network file: every problem found, each with its line and path."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One problem in a document.

    `line` is 1-based (None when the problem has no place in a file, e.g. for a spec built in
    code); `path` names the field, e.g. "links[3].to" (list positions count from 0; "" is the
    document itself).
    """

    line: int | None
    path: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        field = f"{self.path}: " if self.path else ""
        return f"{where}{field}{self.message}"


class FormatError(ValueError):
    """A document that is not a valid value network; `problems` lists all that was found."""

    def __init__(self, problems: Iterable[Problem]) -> None:
        self.problems: list[Problem] = sort_problems(problems)
        super().__init__(str(self))

    def __str__(self) -> str:
        count = len(self.problems)
        head = "1 problem" if count == 1 else f"{count} problems"
        return "\n".join([f"{head} in the value network:", *map(str, self.problems)])


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """By line (problems without a line last), then by path in document order."""

    def key(problem: Problem) -> tuple[bool, int, list[int | str]]:
        parts = re.split(r"(\d+)", problem.path)
        path = [int(part) if index % 2 else part for index, part in enumerate(parts)]
        return (problem.line is None, problem.line or 0, path)

    return sorted(problems, key=key)


def join(path: str, key: str | int) -> str:
    """The path of a field (`key` str) or a list item (`key` int) inside `path`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key
