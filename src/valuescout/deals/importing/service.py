"""Opportunity import use cases: preview (writes nothing) and run (writes, all or nothing).

Both read the files once, streaming, in batches; both run the same code. The work happens in a
savepoint of the caller's transaction: a preview always rolls it back, and a run rolls it back
when any row has a problem (unless told to skip invalid rows), so the database is unchanged
and the report lists every problem with its file, line and column. Services only flush; the
caller's unit of work commits.

A web import page calls `preview(session, principal, files, options)` to show what would
happen, then `run(...)`; the CLI operator uses `run_as(session, actor, ...)`.
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from sqlalchemy.orm import Session

from valuescout.core.audit import Actor
from valuescout.core.errors import Invalid
from valuescout.deals.importing.job import ImportJob
from valuescout.deals.importing.maven_job import MavenImportJob
from valuescout.deals.importing.presets import get_preset
from valuescout.deals.importing.readers import RejectsWriter, SourceFile, check_encoding
from valuescout.deals.importing.report import (
    BATCH_SIZE,
    PROBLEM_LIMIT,
    FileReport,
    ImportOptions,
    ImportReport,
    Progress,
)
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission

__all__ = [
    "BATCH_SIZE",
    "PROBLEM_LIMIT",
    "FileReport",
    "ImportOptions",
    "ImportReport",
    "Progress",
    "SourceFile",
    "preview",
    "run",
    "run_as",
]


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
        job_type = MavenImportJob if preset.name == "maven" else ImportJob
        job = job_type(session, actor, files, options, preset, encoding, report, progress, rejects)
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
    # Bulk statements went past the ORM: objects the session holds may be out of date.
    session.expire_all()
    report.seconds = time.perf_counter() - started
    return report
