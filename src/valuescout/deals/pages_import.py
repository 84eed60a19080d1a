"""The import page (administrators): upload CRM exports, choose a preset and an optional
mapping file, see the column mapping and every problem first, then commit.

The preview stages the uploaded files under `<data dir>/imports/<random token>/` with who
staged them and the options chosen; committing runs the import service on exactly those files
(all or nothing, unless invalid rows are to be skipped) and removes the staged copy. A preview
never committed expires after STALE_AFTER_S; each new preview sweeps the expired ones away.
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from starlette.responses import Response

from valuescout.core.errors import Invalid, NotFound
from valuescout.core.settings import Settings
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, FormText
from valuescout.core.web.templating import redirect, render
from valuescout.deals.importing import service
from valuescout.deals.importing.mapping import EMPTY, ImportMapping, MappingError, load_mapping
from valuescout.deals.importing.presets import PRESETS
from valuescout.deals.importing.readers import SourceFile
from valuescout.deals.pages_forms import attempt_form
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

MAX_FILES = 10
MAX_PASTED = 2_000_000
SHOWN_PROBLEMS = 200
_TOKEN = re.compile(r"^[0-9a-f]{32}$")
STALE_AFTER_S = 24 * 3600
Uploads = Annotated[list[UploadFile] | None, File()]
Upload = Annotated[UploadFile | None, File()]
Pasted = Annotated[str, Form(max_length=MAX_PASTED)]


def _staging(settings: Settings) -> Path:
    return Path(settings.data_dir) / "imports"


def stage(
    settings: Settings,
    principal: Principal,
    files: list[tuple[str, bytes]],
    options: dict[str, Any],
) -> str:
    """Keep the files and options of a previewed import for its commit; returns its token."""
    sweep_stale(settings)
    token = secrets.token_hex(16)
    folder = _staging(settings) / token
    folder.mkdir(parents=True)
    names = []
    for n, (name, data) in enumerate(files):
        stored = f"{n}.csv"
        (folder / stored).write_bytes(data)
        names.append([stored, Path(name).name or stored])
    meta = {"user_id": principal.user_id, "files": names, "options": options}
    (folder / "import.json").write_text(json.dumps(meta), encoding="utf-8")
    return token


def _expired(folder: Path, now: float) -> bool:
    try:
        return now - folder.stat().st_mtime > STALE_AFTER_S
    except FileNotFoundError:
        return True


def sweep_stale(settings: Settings, now: float | None = None) -> int:
    """Remove staged previews older than STALE_AFTER_S; returns how many were removed."""
    root = _staging(settings)
    if not root.is_dir():
        return 0
    now = time.time() if now is None else now
    removed = 0
    for folder in root.iterdir():
        if folder.is_dir() and _TOKEN.match(folder.name) and _expired(folder, now):
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


def _staged(settings: Settings, principal: Principal, token: str) -> tuple[Path, dict[str, Any]]:
    folder = _staging(settings) / token
    meta_file = folder / "import.json"
    if not _TOKEN.match(token) or not meta_file.is_file() or _expired(folder, time.time()):
        raise NotFound("This import is no longer waiting: upload the files again.")
    meta: dict[str, Any] = json.loads(meta_file.read_text(encoding="utf-8"))
    if meta.get("user_id") != principal.user_id:
        raise NotFound("This import is no longer waiting: upload the files again.")
    return folder, meta


def _options(options: dict[str, Any]) -> service.ImportOptions:
    mapping: ImportMapping = EMPTY
    if options.get("mapping"):
        mapping = load_mapping(options["mapping"], options.get("mapping_name") or "mapping")
    return service.ImportOptions(
        preset=options["preset"],
        mapping=mapping,
        encoding=options["encoding"],
        create_missing=options["create_missing"],
        skip_invalid=options["skip_invalid"],
    )


def _form(
    request: Request,
    *,
    values: dict[str, Any] | None = None,
    error: str | None = None,
    details: list[str] | None = None,
    report: service.ImportReport | None = None,
    token: str | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "deals/import.html",
        {
            "presets": list(PRESETS.values()),
            "values": values or {"preset": "generic", "encoding": "utf-8"},
            "error": error,
            "details": details or [],
            "report": report,
            "token": token,
            "shown_problems": SHOWN_PROBLEMS,
        },
        status_code=status_code,
    )


@router.get("/deals/import")
def import_form(request: Request, principal: PagePrincipal) -> Response:
    principal.require(Permission.IMPORT_DEALS)
    return _form(request)


def _read(upload: UploadFile, limit: int) -> bytes:
    data = upload.file.read(limit + 1)
    if len(data) > limit:
        raise Invalid(f"{upload.filename}: the file is too large.")
    return data


@router.post("/deals/import")
def preview_import(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    preset: FormText = "generic",
    encoding: FormText = "utf-8",
    create_missing: FormText = "",
    skip_invalid: FormText = "",
    content: Pasted = "",
    uploads: Uploads = None,
    mapping: Upload = None,
) -> Response:
    """Stage the files and show what the import would do; nothing is written."""
    principal.require(Permission.IMPORT_DEALS)
    settings: Settings = request.app.state.settings
    values = {"preset": preset, "encoding": encoding, "create_missing": create_missing}
    values |= {"skip_invalid": skip_invalid, "content": content}
    limit = settings.max_body_bytes
    chosen = [u for u in uploads or [] if u.filename]
    files = [(u.filename or "upload.csv", _read(u, limit)) for u in chosen[:MAX_FILES]]
    if not files and content.strip():
        files = [("pasted.csv", content.encode("utf-8"))]
    if not files:
        return _form(
            request, values=values, error="Choose a file or paste CSV text.", status_code=400
        )
    mapping_text = ""
    if mapping is not None and mapping.filename:
        try:
            mapping_text = _read(mapping, limit).decode("utf-8")
        except UnicodeDecodeError:
            return _form(request, values=values, error="The mapping file is not UTF-8 text.")
    options = {
        "preset": preset,
        "encoding": encoding,
        "create_missing": bool(create_missing),
        "skip_invalid": bool(skip_invalid),
        "mapping": mapping_text,
        "mapping_name": mapping.filename if mapping is not None else "",
    }
    try:
        import_options = _options(options)
    except MappingError as exc:
        error = "The mapping file has problems; nothing was imported."
        return _form(request, values=values, error=error, details=exc.problems, status_code=422)
    token = stage(settings, principal, files, options)
    folder = _staging(settings) / token
    sources = _sources(folder, _staged(settings, principal, token)[1])
    report = attempt_form(
        session, lambda: service.preview(session, principal, sources, import_options)
    )
    if isinstance(report, FormFailure):
        shutil.rmtree(folder, ignore_errors=True)
        return _form(request, values=values, error=report.message, status_code=report.status)
    ready = not report.fatal and (report.problem_count == 0 or bool(skip_invalid))
    if not ready:
        shutil.rmtree(folder, ignore_errors=True)
    return _form(request, values=values, report=report, token=token if ready else None)


def _sources(folder: Path, meta: dict[str, Any]) -> list[SourceFile]:
    return [SourceFile(folder / stored, name) for stored, name in meta["files"]]


@router.post("/deals/import/commit")
def commit_import(
    request: Request, principal: PagePrincipal, session: DbSession, token: FormText = ""
) -> Response:
    """Import the staged files for real (all or nothing unless invalid rows are skipped)."""
    principal.require(Permission.IMPORT_DEALS)
    settings: Settings = request.app.state.settings
    folder, meta = _staged(settings, principal, token.strip())
    try:
        options = _options(meta["options"])
        report = attempt_form(
            session, lambda: service.run(session, principal, _sources(folder, meta), options)
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    if isinstance(report, FormFailure):
        return _form(request, error=report.message, status_code=report.status)
    if not report.written:
        error = "Nothing was imported: the files changed or have problems."
        return _form(request, error=error, report=report, status_code=422)
    return redirect(
        "/pipeline",
        flash=f"Imported {report.rows:,} rows: {report.created:,} new, "
        f"{report.updated:,} updated, {report.unchanged:,} unchanged.",
    )
