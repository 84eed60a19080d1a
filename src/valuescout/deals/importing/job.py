"""One import from start to end: open the files, check their columns, stream the opportunity
rows to the writer, and fill in the report. The Maven CRM's files (organisation, products and
accounts before the pipeline) are imported by MavenImportJob in maven_job.py."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.audit import Actor
from valuescout.core.models import utcnow
from valuescout.deals.importing.bulk import tuned_for_import
from valuescout.deals.importing.layout import Layout, resolve_layout
from valuescout.deals.importing.mapping import ImportMapping
from valuescout.deals.importing.org import (
    Accounts,
    OrgProblem,
    People,
    load_products,
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


class ImportJob:
    """One import: opens the files, streams the rows (`_import`: generic, Salesforce, HubSpot;
    MavenImportJob overrides it), fills in the report."""

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
                self._import(opened, stages)
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

    def _import(self, opened: list[CsvFile], stages: StageBook) -> None:
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
