"""HTML pages for value networks: the list, the interactive diagram, and a persona's view.

The diagram itself is drawn and edited in the browser (static/js/valuenet/), which talks to the
JSON API with the page's session and CSRF token; these routes only render the page around it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Request, UploadFile
from pydantic import Field
from starlette.responses import Response

from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, FormText, PathId, attempt
from valuescout.core.web.schemas import MAX_DB_ID, BlankIsNone
from valuescout.core.web.templating import redirect, render
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.valuenet import fileformat, queries, service
from valuescout.valuenet.schemas import NetworkCreate
from valuescout.valuenet.spec import DIFFERENTIATOR_KIND_LABELS, OfferKind

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

API = "/api/v1/value-networks"
OptionalId = Annotated[int, Field(ge=1, le=MAX_DB_ID)] | None
# Files the API exports a network as (GET {API}/{id}/export?format=...): format, label, suffix.
EXPORT_FORMATS = [
    ("yaml", "YAML", "yaml"),
    ("json", "JSON", "json"),
    ("mermaid", "Mermaid", "mmd"),
    ("dot", "DOT", "dot"),
]


def _list_page(
    request: Request,
    principal: Principal,
    session: DbSession,
    *,
    values: dict[str, str] | None = None,
    error: str | None = None,
    import_values: dict[str, str] | None = None,
    import_error: str | None = None,
    import_problems: list[str] | None = None,
    status_code: int = 200,
) -> Response:
    return render(
        request,
        "valuenet/list.html",
        {
            "networks": service.list_networks(session, principal),
            "can_edit": principal.can(Permission.EDIT_VALUE_NETWORKS),
            "offer_kinds": list(OfferKind),
            "values": values or {},
            "error": error,
            "import_values": import_values or {},
            "import_error": import_error,
            "import_problems": import_problems or [],
        },
        status_code=status_code,
    )


@router.get("/value-networks")
def networks(request: Request, principal: PagePrincipal, session: DbSession) -> Response:
    return _list_page(request, principal, session)


@router.post("/value-networks")
def create_network(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    name: FormText = "",
    offer_name: FormText = "",
    offer_kind: FormText = "product",
    description: FormText = "",
) -> Response:
    principal.require(Permission.EDIT_VALUE_NETWORKS)
    values = {"name": name, "offer_name": offer_name, "offer_kind": offer_kind}
    values["description"] = description
    network = attempt(
        session,
        lambda: service.create_network(
            session,
            principal,
            NetworkCreate(
                name=name,
                offer_name=offer_name,
                offer_kind=offer_kind,
                description=description,
            ),
        ),
    )
    if isinstance(network, FormFailure):
        return _list_page(
            request,
            principal,
            session,
            values=values,
            error=network.message,
            status_code=network.status,
        )
    return redirect(
        f"/value-networks/{network.id}",
        flash=f"{network.name} is created: add its differentiators and outcomes.",
    )


@router.get("/value-networks/{network_id}")
def diagram(
    request: Request, principal: PagePrincipal, session: DbSession, network_id: PathId
) -> Response:
    header = queries.network_header(session, principal, network_id)
    return render(
        request,
        "valuenet/diagram.html",
        {
            "network": header,
            "api_url": f"{API}/{header.id}",
            "can_edit": principal.can(Permission.EDIT_VALUE_NETWORKS),
            "differentiator_kinds": list(DIFFERENTIATOR_KIND_LABELS.items()),
            "export_formats": EXPORT_FORMATS,
        },
    )


@router.get("/value-networks/{network_id}/personas/{persona_id}")
def persona(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    network_id: PathId,
    persona_id: PathId,
    competitor: Annotated[OptionalId, BlankIsNone, Query()] = None,
) -> Response:
    page = queries.persona_messages(session, principal, network_id, persona_id, competitor)
    return render(request, "valuenet/persona.html", {"page": page})


MAX_FILE_CHARS = 900_000
FileText = Annotated[str, Form(max_length=MAX_FILE_CHARS)]


def _file_text(upload: UploadFile | None, pasted: str) -> tuple[str, str | None]:
    """The uploaded file's text (or the pasted text) and the format its name tells, if any."""
    if upload is None or not upload.filename:
        return pasted, None
    data = upload.file.read(MAX_FILE_CHARS * 4 + 1)  # spooled to disk by Starlette already
    if len(data) > MAX_FILE_CHARS * 4:
        raise ValueError("The file is too large.")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError("The file is not UTF-8 text.") from None
    return text, fileformat.format_for_filename(upload.filename)


@router.post("/value-networks/import")
def import_network(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    content: FileText = "",
    file_format: FormText = "yaml",
    replace: FormText = "",
    upload: Annotated[UploadFile | None, File()] = None,
) -> Response:
    """Import a network file (YAML or JSON), all or nothing; every problem with its line."""
    principal.require(Permission.EDIT_VALUE_NETWORKS)
    uploaded = upload is not None and bool(upload.filename)
    values = {"content": "" if uploaded else content, "format": file_format, "replace": replace}

    def failed(error: str, problems: list[str] | None = None, status: int = 422) -> Response:
        return _list_page(
            request,
            principal,
            session,
            import_values=values,
            import_error=error,
            import_problems=problems,
            status_code=status,
        )

    try:
        text, named_format = _file_text(upload, content)
    except ValueError as exc:
        return failed(str(exc), status=400)
    if not text.strip():
        return failed("Choose a file or paste its text.", status=400)
    fmt = named_format or ("json" if file_format == "json" else "yaml")
    network = attempt(
        session,
        lambda: service.import_file(session, principal, text, fmt, replace=replace == "on"),
    )
    if isinstance(network, FormFailure):
        return failed(network.message, network.details, status=network.status)
    return redirect(
        f"/value-networks/{network.id}",
        flash=f"{network.name} is imported.",
    )
