"""What an import is asked to do (ImportOptions) and what it found and did (ImportReport)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from valuescout.deals.importing.mapping import EMPTY, ImportMapping
from valuescout.deals.importing.org import DEFAULT_EMAIL_DOMAIN
from valuescout.deals.importing.problems import Problem

PROBLEM_LIMIT = 1000  # kept in the report; all are counted (and all go to the rejects file)
BATCH_SIZE = 2000
Progress = Callable[[int, int], None]  # (bytes read, bytes in all files)


@dataclass(frozen=True)
class ImportOptions:
    preset: str = "generic"
    mapping: ImportMapping = EMPTY
    encoding: str = "utf-8"
    create_missing: bool = False  # create owners and accounts the files name (else: errors)
    skip_invalid: bool = False  # import the good rows; bad ones go to the rejects file
    default_owner: str | None = None  # email or full name, for rows without an owner
    email_domain: str = DEFAULT_EMAIL_DOMAIN  # for users created from a name
    batch_size: int = BATCH_SIZE


@dataclass
class FileReport:
    name: str
    kind: str  # opportunities | sales_teams | products | accounts | ignored
    rows: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # our field -> the file's column
    ignored_columns: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What an import found and did. `written` is False for a preview or a refused import."""

    preset: str
    files: list[FileReport] = field(default_factory=list)
    rows: int = 0  # opportunity rows read
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    history: int = 0  # opportunity_changes rows written
    users_created: int = 0
    teams_created: list[str] = field(default_factory=list)
    accounts_created: int = 0
    accounts_updated: int = 0
    products_created: int = 0
    products_updated: int = 0
    warnings: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)  # the first PROBLEM_LIMIT
    problem_count: int = 0
    unknown_values: list[str] = field(default_factory=list)  # "stage 'Foo' (12 rows)"
    fatal: bool = False  # a file could not be read or the organisation not built
    dry_run: bool = False
    written: bool = False
    rejects_files: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def add(self, problems: Sequence[Problem]) -> None:
        room = PROBLEM_LIMIT - len(self.problems)
        if room > 0:
            self.problems.extend(problems[:room])
        self.problem_count += len(problems)
