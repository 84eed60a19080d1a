"""Opportunity import use cases: preview (writes nothing) and run (writes, all or nothing).

Both read the files once, streaming, in batches; both run the same code. The work happens in a
savepoint of the caller's transaction: a preview always rolls it back, and a run rolls it back
when any row has a problem (unless told to skip invalid rows), so the database is unchanged
and the report lists every problem with its file, line and column. Services only flush; the
caller's unit of work commits.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.audit import Actor
from valuescout.core.errors import Invalid
from valuescout.core.models import utcnow
from valuescout.deals.importing import maven
from valuescout.deals.importing.layout import Layout, make_fixes, resolve_layout
from valuescout.deals.importing.mapping import EMPTY, ImportMapping
from valuescout.deals.importing.org import (
    DEFAULT_EMAIL_DOMAIN,
    Accounts,
    OrgProblem,
    People,
    Teams,
    load_products,
    upsert_products,
)
from valuescout.deals.importing.presets import Preset, column_key, get_preset, value_key
from valuescout.deals.importing.problems import Notes, Problem
from valuescout.deals.importing.products import ProductBook
from valuescout.deals.importing.readers import (
    CsvFile,
    ReadError,
    RejectsWriter,
    SourceFile,
    check_encoding,
    open_csv,
)
from valuescout.deals.importing.validate import Record, RowValidator, StageBook, StageInfo
from valuescout.deals.importing.writer import OpportunityWriter, WriteOptions
from valuescout.deals.models import DealSettings, Stage
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission, Role

PRESET_FIX = "a known typo in this export"
MAPPING_FIX = "as the mapping file says"
PROBLEM_LIMIT = 1000  # kept in the report; all are counted (and all go to the rejects file)
BATCH_SIZE = 2000
Progress = Callable[[int, int], None]  # (bytes read, bytes in all files)
RowCheck = Callable[[int, list[str]], Record | list[Problem]]


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


def preview(
    session: Session, principal: Principal, files: Sequence[SourceFile], options: ImportOptions
) -> ImportReport:
    """Validate everything and count what would change; nothing is kept."""
    principal.require(Permission.IMPORT_DEALS)
    return run_as(session, principal.actor, files, options, dry_run=True)


def run(
    session: Session,
    principal: Principal,
    files: Sequence[SourceFile],
    options: ImportOptions,
    *,
    progress: Progress | None = None,
    rejects: RejectsWriter | None = None,
) -> ImportReport:
    principal.require(Permission.IMPORT_DEALS)
    return run_as(session, principal.actor, files, options, progress=progress, rejects=rejects)


def run_as(
    session: Session,
    actor: Actor,
    files: Sequence[SourceFile],
    options: ImportOptions,
    *,
    progress: Progress | None = None,
    rejects: RejectsWriter | None = None,
    dry_run: bool = False,
) -> ImportReport:
    """Import for an authorised actor (the CLI operator, or a principal checked above)."""
    if not files:
        raise Invalid("Give at least one file to import.")
    try:
        preset = get_preset(options.preset)
        encoding = check_encoding(options.encoding)
    except ValueError as exc:
        raise Invalid(str(exc)) from None
    started = time.perf_counter()
    report = ImportReport(preset=preset.name, dry_run=dry_run)
    savepoint = session.begin_nested()
    try:
        job = _Job(session, actor, files, options, preset, encoding, report, progress, rejects)
        job.run(dry_run)
    except BaseException:
        savepoint.rollback()
        raise
    refused = report.fatal or (report.problem_count > 0 and not options.skip_invalid)
    if dry_run or refused:
        savepoint.rollback()
    else:
        savepoint.commit()
        report.written = True
    report.seconds = time.perf_counter() - started
    return report


class _Job:
    """One import: opens the files, builds the organisation (Maven), streams the rows."""

    def __init__(
        self,
        session: Session,
        actor: Actor,
        files: Sequence[SourceFile],
        options: ImportOptions,
        preset: Preset,
        encoding: str,
        report: ImportReport,
        progress: Progress | None,
        rejects: RejectsWriter | None,
    ) -> None:
        self.session = session
        self.actor = actor
        self.files = files
        self.options = options
        self.preset = preset
        self.encoding = encoding
        self.report = report
        self.progress = progress
        self.rejects = rejects
        self.at = utcnow()
        self.notes = Notes()
        self.unknown: Counter[str] = Counter()
        self.layouts: dict[str, Layout] = {}
        self.total_bytes = 0
        self.done_bytes = 0
        self.accounts = Accounts(session, self.at)
        self.stages: StageBook | None = None

    def run(self, dry_run: bool) -> None:
        opened: list[CsvFile] = []
        try:
            for source in self.files:
                opened.append(open_csv(source, self.encoding))
            self.total_bytes = sum(f.size for f in opened)
            stages = self.stages = self._stage_book()
            if self.preset.name == "maven":
                self._maven(opened, stages)
            else:
                self._generic(opened, stages)
        except ReadError as exc:
            self._fatal([exc.problem])
        except OrgProblem as exc:
            self._fatal([Problem("", None, "", str(exc), "organisation")])
        finally:
            for f in opened:
                f.close()
        self._finish(dry_run)

    def _fatal(self, problems: list[Problem]) -> None:
        self.report.fatal = True
        self.report.add(problems)

    # --- set-up ----------------------------------------------------------------------------

    def _stage_book(self) -> StageBook:
        rows = self.session.execute(select(Stage.id, Stage.name, Stage.outcome))
        book = StageBook(
            (StageInfo(*row) for row in rows), self.preset.stages, self.options.mapping.stages
        )
        mapping = self.options.mapping
        mapped = {value_key(k) for k in mapping.stages}
        bad = [
            Problem(
                mapping.source,
                _stage_line(mapping, theirs),
                "stages",
                f"maps to {target!r}, which is not one of our stages ({book.known})",
                "stage",
            )
            for theirs, target in book.unknown_targets
            if theirs in mapped
        ]
        if bad:
            self._fatal(bad)
        return book

    def _writer(
        self, stages: StageBook, products: ProductBook, people: People
    ) -> OpportunityWriter:
        mapping = self.options.mapping
        currency = self.session.scalar(select(DealSettings.currency)) or "USD"
        return OpportunityWriter(
            self.session,
            actor_id=self.actor.id,
            at=self.at,
            people=people,
            accounts=self.accounts,
            products=products,
            stages=stages,
            options=WriteOptions(
                create_missing=self.options.create_missing,
                default_owner=self.options.default_owner,
                owner_map=mapping.owners,
                account_map=mapping.accounts,
                currency=currency,
            ),
            notes=self.notes,
            unknown=self.unknown,
            layouts=self.layouts,
        )

    # --- generic, Salesforce, HubSpot ----------------------------------------------------------

    def _generic(self, opened: list[CsvFile], stages: StageBook) -> None:
        checks: list[tuple[CsvFile, RowCheck]] = []
        for f in opened:
            layout = resolve_layout(f.label, f.header, self.preset, self.options.mapping)
            if isinstance(layout, list):
                self._fatal(layout)
                continue
            self.layouts[f.label] = layout
            self._describe(f, "opportunities", layout)
            checks.append(
                (f, RowValidator(layout, self.preset, self.options.mapping, stages, self.notes))
            )
        self._unused_fixes(opened)
        if self.report.fatal:
            return
        people = People(self.session, self.actor, self.options.email_domain)
        products = ProductBook(
            load_products(self.session), self.options.mapping.products, self.notes
        )
        writer = self._writer(stages, products, people)
        for f, check in checks:
            self._stream(f, check, writer)
        self._counts(writer, people)

    def _describe(self, f: CsvFile, kind: str, layout: Layout | None) -> None:
        used = set(layout.columns.values()) if layout else set()
        columns = {name: f.header[i] for name, i in layout.columns.items()} if layout else {}
        ignored = [h for i, h in enumerate(f.header) if i not in used and layout is not None]
        self.report.files.append(FileReport(f.label, kind, 0, columns, ignored))

    def _unused_fixes(self, opened: list[CsvFile]) -> None:
        everywhere = {column_key(h) for f in opened for h in f.header}
        for column in self.options.mapping.values:
            if column_key(column) not in everywhere and column.lower() not in self._fields():
                self.report.warnings.append(
                    f"values: column {column!r} of the mapping file is in none of the files"
                )

    def _fields(self) -> set[str]:
        return {name for layout in self.layouts.values() for name in layout.columns}

    # --- the row stream ------------------------------------------------------------------------

    def _stream(self, f: CsvFile, check: RowCheck, writer: OpportunityWriter) -> None:
        file_report = next(r for r in self.report.files if r.name == f.label)
        batch: list[Record] = []
        for line, values in f.rows():
            file_report.rows += 1
            result = check(line, values)
            if isinstance(result, Record):
                batch.append(result)
                if len(batch) >= self.options.batch_size:
                    self._write(batch, writer, f)
                    batch = []
            else:
                self._reject(f.header, f.label, line, values, result)
        self._write(batch, writer, f)
        self.done_bytes += f.size
        self.report.rows += file_report.rows

    def _write(self, batch: list[Record], writer: OpportunityWriter, f: CsvFile) -> None:
        if batch:
            for record, problems in writer.write(batch):
                self._reject(f.header, record.file, record.line, record.raw, problems)
        if self.progress is not None:
            self.progress(min(self.done_bytes + f.bytes_read(), self.total_bytes), self.total_bytes)

    def _reject(
        self, header: list[str], file: str, line: int, values: list[str], problems: list[Problem]
    ) -> None:
        self.report.add(problems)
        self.report.rejected += 1
        if self.rejects is not None and self.options.skip_invalid:
            why = "; ".join(f"{p.column}: {p.message}" if p.column else p.message for p in problems)
            self.rejects.reject(header, file, line, values, why)

    def _counts(self, writer: OpportunityWriter, people: People) -> None:
        c = writer.counts
        r = self.report
        r.created, r.updated, r.unchanged, r.history = c.created, c.updated, c.unchanged, c.history
        r.users_created = people.created
        r.accounts_created, r.accounts_updated = self.accounts.created, self.accounts.updated

    # --- Maven -----------------------------------------------------------------------------------

    def _maven(self, opened: list[CsvFile], stages: StageBook) -> None:
        by_kind: dict[str, CsvFile] = {}
        for f in opened:
            kind = maven.kind_of(f.header)
            if kind is None:
                self._fatal(
                    [
                        Problem(
                            f.label,
                            1,
                            "",
                            f"not one of the Maven CRM files; its columns are "
                            f"{', '.join(f.header)}. The files are: {maven.describe_kinds()}",
                            "columns",
                        )
                    ]
                )
            elif kind in by_kind:
                self._fatal([Problem(f.label, None, "", f"a second {kind} file", "columns")])
            else:
                by_kind[kind] = f
        if maven.PIPELINE not in by_kind and not self.report.fatal:
            self._fatal([Problem("", None, "", "the sales_pipeline file is missing", "columns")])
        if self.report.fatal:
            return
        mapping = self.options.mapping
        layouts: dict[str, Layout] = {}
        for kind, f in by_kind.items():
            layout = Layout(f.label, f.header, {})
            if kind == maven.PIPELINE:
                ix = {column_key(h): i for i, h in enumerate(f.header)}
                layout.columns = {ours: ix[col] for ours, col in maven.PIPELINE_FIELDS.items()}
            make_fixes(f.header, self.preset.values, PRESET_FIX, layout.fixes)
            make_fixes(f.header, mapping.values, MAPPING_FIX, layout.fixes)
            layouts[kind] = layout
            self.report.files.append(
                FileReport(f.label, "ignored" if kind == maven.DICTIONARY else kind)
            )
        self._unused_fixes(opened)
        people = People(self.session, self.actor, self.options.email_domain)
        self._maven_reference(by_kind, layouts, people)
        if self.report.fatal:
            return
        products = ProductBook(load_products(self.session), mapping.products, self.notes)
        pipeline = by_kind[maven.PIPELINE]
        self.layouts[pipeline.label] = layouts[maven.PIPELINE]
        writer = self._writer(stages, products, people)
        check = maven.PipelineRows(layouts[maven.PIPELINE], stages, products, self.notes)
        self._stream(pipeline, check, writer)
        self._counts(writer, people)

    def _maven_reference(
        self, by_kind: dict[str, CsvFile], layouts: dict[str, Layout], people: People
    ) -> None:
        def rows(kind: str) -> Iterator[tuple[int, list[str]]]:
            f = by_kind[kind]
            report = next(r for r in self.report.files if r.name == f.label)
            for line, values in f.rows():
                report.rows += 1
                if len(values) != len(f.header):
                    message = f"The row has {len(values)} values; the header has {len(f.header)}."
                    self._fatal([Problem(f.label, line, "", message, "columns")])
                    continue
                yield line, values
            self.done_bytes += f.size

        if maven.DICTIONARY in by_kind:
            self.report.warnings.append(
                f"{by_kind[maven.DICTIONARY].label}: the data dictionary is not imported"
            )
        if maven.TEAMS in by_kind:
            f = by_kind[maven.TEAMS]
            seats, problems = maven.read_teams(f.label, f.header, rows(maven.TEAMS))
            if problems:
                self._fatal(problems)
            else:
                self._organisation(seats, people)
        if maven.PRODUCTS in by_kind:
            f = by_kind[maven.PRODUCTS]
            products, problems = maven.read_products(f.label, f.header, rows(maven.PRODUCTS))
            if problems:
                self._fatal(problems)
            else:
                made, changed = upsert_products(self.session, products, self.at)
                self.report.products_created, self.report.products_updated = made, changed
        if maven.ACCOUNTS in by_kind:
            f = by_kind[maven.ACCOUNTS]
            fixes = layouts[maven.ACCOUNTS].fixes
            details, names, problems = maven.read_accounts(
                f.label, f.header, rows(maven.ACCOUNTS), fixes, self.notes
            )
            if problems:
                self._fatal(problems)
            else:
                self.accounts.upsert(details, names)

    def _organisation(self, seats: list[maven.Seat], people: People) -> None:
        """Regions under the company, a team per manager, managers and agents as users."""
        teams = Teams(self.session, self.actor)
        company = teams.company()
        for seat in seats:
            region = teams.ensure(seat.region, "region", company)
            team = teams.ensure(f"{seat.manager}'s team", "team", region)
            for name, role in ((seat.manager, Role.MANAGER), (seat.agent, Role.SELLER)):
                found = people.find(name)
                if isinstance(found, list):
                    raise OrgProblem(
                        f"{name!r} matches {len(found)} users; give them distinct names first"
                    )
                if found is None:
                    people.create(name, role, team.id, "Maven CRM import")
        self.report.teams_created = teams.created

    # --- the end ---------------------------------------------------------------------------

    def _finish(self, dry_run: bool) -> None:
        report = self.report
        report.warnings.extend(self.notes.lines())
        if self.stages is not None:
            for text, n in self.stages.missed.items():
                self.unknown[f"stage {text!r}"] += n
        report.unknown_values = [
            f"{value} ({n:,} row{'s' if n != 1 else ''})" for value, n in self.unknown.most_common()
        ]
        if self.rejects is not None:
            report.rejects_files = [str(p) for p in self.rejects.paths]
        refused = report.fatal or (report.problem_count and not self.options.skip_invalid)
        if dry_run or refused:
            return
        audit.record(
            self.session,
            self.actor,
            "opportunities.imported",
            "import",
            ", ".join(f.label for f in self.files)[:64],
            {
                "preset": report.preset,
                "files": [f.label for f in self.files],
                "rows": report.rows,
                "created": report.created,
                "updated": report.updated,
                "unchanged": report.unchanged,
                "rejected": report.rejected,
                "users_created": report.users_created,
                "teams_created": report.teams_created,
                "accounts_created": report.accounts_created,
                "products_created": report.products_created,
                "warnings": report.warnings[:50],
            },
        )


def _stage_line(mapping: ImportMapping, theirs_key: str) -> int | None:
    for text, line in mapping.stage_lines.items():
        if value_key(text) == theirs_key:
            return line
    return None
