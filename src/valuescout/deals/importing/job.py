"""One import from start to end: open the files, check their columns, build the organisation
(Maven), stream the opportunity rows to the writer, and fill in the report."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.audit import Actor
from valuescout.core.models import utcnow
from valuescout.deals.importing import maven
from valuescout.deals.importing.bulk import tuned_for_import
from valuescout.deals.importing.layout import Layout, make_fixes, resolve_layout
from valuescout.deals.importing.mapping import ImportMapping
from valuescout.deals.importing.org import (
    Accounts,
    OrgProblem,
    People,
    Teams,
    load_products,
    upsert_products,
)
from valuescout.deals.importing.presets import Preset, column_key, value_key
from valuescout.deals.importing.problems import Notes, Problem, quoted
from valuescout.deals.importing.products import ProductBook
from valuescout.deals.importing.readers import (
    CsvFile,
    ReadError,
    RejectsWriter,
    SourceFile,
    open_csv,
)
from valuescout.deals.importing.references import WriteOptions
from valuescout.deals.importing.report import FileReport, ImportOptions, ImportReport, Progress
from valuescout.deals.importing.stream import Reject, RowCheck, Sink, stream
from valuescout.deals.importing.validate import Record, RowValidator, StageBook, StageInfo
from valuescout.deals.importing.writer import OpportunityWriter
from valuescout.deals.models import DealSettings, Stage
from valuescout.identity.roles import Role

PRESET_FIX = "a known typo in this export"
MAPPING_FIX = "as the mapping file says"


class ImportJob:
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
        # Warnings from validation, from product matching and from the writer, listed in
        # that order.
        self.notes = Notes()
        self.product_notes = Notes()
        self.writer_notes = Notes()
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
            with tuned_for_import(self.session):
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
            notes=self.writer_notes,
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
            load_products(self.session), self.options.mapping.products, self.product_notes
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
        file_report.rows = stream(f, check, _Sink(self, f, writer), self.options.batch_size)
        self.done_bytes += f.size
        self.report.rows += file_report.rows

    def reject(self, header: list[str], found: Reject) -> None:
        self.report.add(found.problems)
        self.report.rejected += 1
        if self.rejects is not None and self.options.skip_invalid:
            why = "; ".join(
                f"{p.column}: {p.message}" if p.column else p.message for p in found.problems
            )
            self.rejects.reject(header, found.file, found.line, found.values, why)

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
        products = ProductBook(load_products(self.session), mapping.products, self.product_notes)
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
                        f"{quoted(name)} matches {len(found)} users; give them distinct names first"
                    )
                if found is None:
                    people.create(name, role, team.id, "Maven CRM import")
        self.report.teams_created = teams.created

    # --- the end ---------------------------------------------------------------------------

    def _finish(self, dry_run: bool) -> None:
        report = self.report
        for notes in (self.notes, self.product_notes, self.writer_notes):
            report.warnings.extend(notes.lines())
        if self.stages is not None:
            for text, n in self.stages.missed.items():
                self.unknown[f"stage {quoted(text)}"] += n
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


class _Sink(Sink):
    """One file's batches: write them, refuse their bad rows, advance the progress bar."""

    def __init__(self, job: ImportJob, f: CsvFile, writer: OpportunityWriter) -> None:
        self.job, self.file, self.writer = job, f, writer

    def write(self, records: list[Record]) -> list[Reject]:
        return [
            Reject(r.file, r.line, r.raw, problems) for r, problems in self.writer.write(records)
        ]

    def refuse(self, rejects: list[Reject]) -> None:
        for found in rejects:
            self.job.reject(self.file.header, found)

    def advance(self, bytes_read: int) -> None:
        job = self.job
        if job.progress is not None:
            done = min(job.done_bytes + bytes_read, job.total_bytes)
            job.progress(done, job.total_bytes)
