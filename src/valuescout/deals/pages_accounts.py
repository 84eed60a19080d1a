"""HTML pages for accounts (list, new, one account with its contacts and deals) and the buying
team: contacts are added and changed from the account's page or from a deal's page."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.datastructures import FormData
from starlette.responses import Response

from valuescout.core.errors import Invalid, NotFound
from valuescout.core.pagination import PageRequest
from valuescout.core.web.csrf import verify_csrf
from valuescout.core.web.deps import DbSession
from valuescout.core.web.forms import FormFailure, PathId
from valuescout.core.web.templating import redirect, render
from valuescout.deals import accounts, pages_data, service
from valuescout.deals.account_schemas import AccountIn, ContactIn, ContactUpdate
from valuescout.deals.pages import LABELS, Form, render_opportunity
from valuescout.deals.pages_forms import attempt_form, number, record_id, text, validated, whole
from valuescout.identity.deps import PagePrincipal
from valuescout.identity.principal import Principal

router = APIRouter(dependencies=[Depends(verify_csrf)], include_in_schema=False)

PAGE_SIZE = 50
OPTIONS = 50  # accounts a search puts in the deal form's picker
ACCOUNT_FIELDS = (
    "name", "industry", "annual_revenue", "employees", "region", "territory", "country",
)  # fmt: skip
CONTACT_FIELDS = ("name", "title", "email", "buying_role", "is_ally", "persona_id")


# --- accounts ----------------------------------------------------------------------------------


@router.get("/accounts")
def account_list(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    q: Annotated[str | None, Query(max_length=100)] = None,
    offset: Annotated[int, Query(ge=0, le=10_000_000)] = 0,
) -> Response:
    return _list(request, principal, session, q=q, offset=offset)


def _list(
    request: Request,
    principal: Principal,
    session: DbSession,
    *,
    q: str | None = None,
    offset: int = 0,
    values: dict[str, str] | None = None,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    data = pages_data.accounts_page(session, principal, PageRequest(PAGE_SIZE, offset), q)
    return render(
        request,
        "deals/accounts.html",
        {"page": data, "q": q or "", "values": values or {}, "error": error},
        status_code=status_code,
    )


@router.post("/accounts")
def create_account(
    request: Request, principal: PagePrincipal, session: DbSession, form: Form
) -> Response:
    pages_data.require_edit(principal)

    def create() -> int:
        data: dict[str, Any] = {name: text(form, name) for name in ACCOUNT_FIELDS}
        data["annual_revenue"] = number("Annual revenue", data["annual_revenue"])
        data["employees"] = whole("Employees", data["employees"])
        return accounts.create_account(session, principal, validated(AccountIn, data)).id

    created = attempt_form(session, create)
    if isinstance(created, FormFailure):
        sent = {name: text(form, name) for name in ACCOUNT_FIELDS}
        return _list(
            request,
            principal,
            session,
            values=sent,
            error=created.message,
            status_code=created.status,
        )
    return redirect(f"/accounts/{created}", flash="The account is created.")


@router.get("/accounts/options")
def account_options(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    account_q: Annotated[str, Query(max_length=200)] = "",
    account_id: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    """The deal form's account picker after a search (an htmx fragment of options): the
    chosen account kept selected, then the first matches in the caller's sight, by name."""
    pages_data.require_edit(principal)
    q = account_q.strip()
    return render(
        request,
        "deals/_account_options.html",
        {
            "found": pages_data.account_choices(session, principal, q=q or None, limit=OPTIONS),
            "chosen": pages_data.chosen_account(session, principal, account_id),
            "q": q,
        },
    )


@router.get("/accounts/{account_id}")
def account(
    request: Request, principal: PagePrincipal, session: DbSession, account_id: PathId
) -> Response:
    return _account(request, principal, session, account_id)


def _account(
    request: Request,
    principal: Principal,
    session: DbSession,
    account_id: int,
    *,
    errors: dict[str, str] | None = None,
    values: dict[str, Any] | None = None,
    status_code: int = 200,
) -> Response:
    data = pages_data.account_page(session, principal, account_id)
    return render(
        request,
        "deals/account.html",
        {
            "page": data,
            "errors": errors or {},
            "contact_form": (values or {}).get("contact") or {},
            **LABELS,
        },
        status_code=status_code,
    )


# --- contacts (the buying team) ----------------------------------------------------------------


def _contact_data(form: FormData) -> dict[str, Any]:
    return {
        "name": text(form, "name"),
        "title": text(form, "title"),
        "email": text(form, "email").strip(),
        "buying_role": text(form, "buying_role") or "unknown",
        "is_ally": bool(text(form, "is_ally")),
        "persona_id": record_id("Persona", text(form, "persona_id")),
    }


def _sent_contact(form: FormData) -> dict[str, str]:
    return {name: text(form, name) for name in CONTACT_FIELDS}


def _add(session: DbSession, principal: Principal, account_id: int, form: FormData) -> None:
    accounts.add_contact(session, principal, account_id, validated(ContactIn, _contact_data(form)))


def _change(
    session: DbSession, principal: Principal, contact_id: int, known: set[int], form: FormData
) -> None:
    if contact_id not in known:
        raise NotFound(f"Contact {contact_id} not found.")
    change = validated(ContactUpdate, _contact_data(form))
    accounts.update_contact(session, principal, contact_id, change)


@router.post("/accounts/{account_id}/contacts")
def add_account_contact(
    request: Request, principal: PagePrincipal, session: DbSession, account_id: PathId, form: Form
) -> Response:
    done = attempt_form(session, lambda: _add(session, principal, account_id, form))
    if isinstance(done, FormFailure):
        return _account(
            request,
            principal,
            session,
            account_id,
            errors={"contact": done.message},
            values={"contact": _sent_contact(form)},
            status_code=done.status,
        )
    return redirect(f"/accounts/{account_id}#contacts", flash="The contact is added.")


@router.post("/accounts/{account_id}/contacts/{contact_id}")
def change_account_contact(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    account_id: PathId,
    contact_id: PathId,
    form: Form,
) -> Response:
    def change() -> None:
        known = {c.id for c in accounts.account_detail(session, principal, account_id).contacts}
        _change(session, principal, contact_id, known, form)

    done = attempt_form(session, change)
    if isinstance(done, FormFailure):
        key = f"contact-{contact_id}"
        return _account(
            request,
            principal,
            session,
            account_id,
            errors={key: done.message},
            values={key: _sent_contact(form)},
            status_code=done.status,
        )
    return redirect(f"/accounts/{account_id}#contacts", flash="The contact is saved.")


def _deal_account(session: DbSession, principal: Principal, opp_id: int) -> tuple[int, set[int]]:
    detail = service.opportunity_detail(session, principal, opp_id)
    if detail.account_id is None:
        raise Invalid("Give the deal an account first: contacts belong to the account.")
    return detail.account_id, {c.id for c in detail.contacts}


@router.post("/opportunities/{opp_id}/contacts")
def add_deal_contact(
    request: Request, principal: PagePrincipal, session: DbSession, opp_id: PathId, form: Form
) -> Response:
    def add() -> None:
        account_id, _known = _deal_account(session, principal, opp_id)
        _add(session, principal, account_id, form)

    done = attempt_form(session, add)
    if isinstance(done, FormFailure):
        return render_opportunity(
            request,
            principal,
            session,
            opp_id,
            errors={"contact": done.message},
            values={"contact": _sent_contact(form)},
            status_code=done.status,
        )
    return redirect(f"/opportunities/{opp_id}#buying-team", flash="The contact is added.")


@router.post("/opportunities/{opp_id}/contacts/{contact_id}")
def change_deal_contact(
    request: Request,
    principal: PagePrincipal,
    session: DbSession,
    opp_id: PathId,
    contact_id: PathId,
    form: Form,
) -> Response:
    def change() -> None:
        _account_id, known = _deal_account(session, principal, opp_id)
        _change(session, principal, contact_id, known, form)

    done = attempt_form(session, change)
    if isinstance(done, FormFailure):
        key = f"contact-{contact_id}"
        return render_opportunity(
            request,
            principal,
            session,
            opp_id,
            errors={key: done.message},
            values={key: _sent_contact(form)},
            status_code=done.status,
        )
    return redirect(f"/opportunities/{opp_id}#buying-team", flash="The contact is saved.")
