"""Use cases for accounts and their contacts (the buying team)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.errors import Conflict, Invalid
from valuescout.core.models import utcnow
from valuescout.core.pagination import Page, PageRequest
from valuescout.core.text import like_escaped
from valuescout.deals.access import (
    editable_account,
    money,
    require_owner_allowed,
    visible_account,
    visible_accounts_clause,
    visible_contact,
)
from valuescout.deals.account_schemas import (
    AccountDetail,
    AccountIn,
    AccountOut,
    AccountUpdate,
    ContactIn,
    ContactOut,
    ContactUpdate,
)
from valuescout.deals.models import Account, Contact, Opportunity, Stage
from valuescout.deals.terms import StageOutcome
from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.identity.scope import Scope, scope_for
from valuescout.valuenet.models import Persona

ENTITY = "account"
CONTACT = "contact"


def name_key(name: str) -> str:
    return " ".join(name.split()).lower()


def name_holds(q: str) -> Any:
    """Accounts whose name holds `q` (case and spacing ignored): the lists' and pickers' search."""
    return Account.name_key.like(f"%{like_escaped(name_key(q))}%", escape="\\")


def list_accounts(
    session: Session, principal: Principal, page: PageRequest, q: str | None = None
) -> Page[AccountOut]:
    scope = scope_for(session, principal)
    stmt = select(Account)
    clause = visible_accounts_clause(scope)
    if clause is not None:
        stmt = stmt.where(clause)
    if q:
        stmt = stmt.where(name_holds(q))
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    accounts = session.scalars(
        stmt.order_by(Account.name_key).limit(page.limit).offset(page.offset)
    ).all()
    # One query each for the page's owners and open-deal counts, not two per account.
    owners = _owner_names(session, scope, accounts)
    open_counts = _open_counts(session, scope, [a.id for a in accounts])
    return Page(
        items=[_out(scope, a, owners.get(a.id), open_counts.get(a.id, 0)) for a in accounts],
        total=total,
        limit=page.limit,
        offset=page.offset,
    )


def _owner_names(session: Session, scope: Scope, accounts: Sequence[Account]) -> dict[int, str]:
    """Account id -> owner's name, for owners the caller may see: an account seen through
    one's own deal on it may belong to someone out of one's sight."""
    known = {
        a.id: owner
        for a in accounts
        if (owner := a.owner_id) is not None and scope.allows_owner(owner)
    }
    if not known:
        return {}
    rows = session.execute(
        select(User.id, User.full_name).where(User.id.in_(set(known.values())))
    ).tuples()
    names = {user_id: name for user_id, name in rows}
    return {account_id: names[owner] for account_id, owner in known.items() if owner in names}


def _open_counts(session: Session, scope: Scope, account_ids: list[int]) -> dict[int, int]:
    if not account_ids:
        return {}
    stmt = scope.filter(
        select(Opportunity.account_id, func.count())
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(Opportunity.account_id.in_(account_ids), Stage.outcome == StageOutcome.OPEN.value)
        .group_by(Opportunity.account_id),
        Opportunity.owner_id,
    )
    rows = session.execute(stmt).tuples()
    return {account_id: count for account_id, count in rows if account_id is not None}


def _out(scope: Scope, account: Account, owner_name: str | None, open_count: int) -> AccountOut:
    return AccountOut(
        id=account.id,
        external_id=account.external_id,
        name=account.name,
        industry=account.industry,
        annual_revenue=money(scope, account.annual_revenue),
        employees=account.employees,
        region=account.region,
        territory=account.territory,
        country=account.country,
        owner_id=account.owner_id,
        owner_name=owner_name,
        attributes=account.attributes or {},
        open_opportunities=open_count,
        updated_at=account.updated_at,
    )


def account_detail(session: Session, principal: Principal, account_id: int) -> AccountDetail:
    account = visible_account(session, principal, account_id)
    contacts = session.scalars(
        select(Contact).where(Contact.account_id == account.id).order_by(Contact.name)
    ).all()
    scope = scope_for(session, principal)
    owner = _owner_names(session, scope, [account]).get(account.id)
    open_count = _open_counts(session, scope, [account.id]).get(account.id, 0)
    return AccountDetail(
        **_out(scope, account, owner, open_count).model_dump(),
        contacts=[ContactOut.model_validate(c) for c in contacts],
    )


def _refuse_taken(session: Session, name: str, except_id: int | None = None) -> None:
    taken = session.scalar(select(Account.id).where(Account.name_key == name_key(name)))
    if taken is not None and taken != except_id:
        raise Conflict(f"An account named {name!r} already exists.", field="name")


def _fields(account: Account) -> dict[str, Any]:
    return {
        "name": account.name,
        "industry": account.industry,
        "annual_revenue": account.annual_revenue,
        "employees": account.employees,
        "region": account.region,
        "territory": account.territory,
        "country": account.country,
        "owner_id": account.owner_id,
        "attributes": account.attributes,
    }


def create_account(session: Session, principal: Principal, data: AccountIn) -> Account:
    principal.require(Permission.EDIT_DEALS)
    owner_id = data.owner_id or principal.user_id
    require_owner_allowed(session, principal, owner_id)
    _refuse_taken(session, data.name)
    account = Account(**data.model_dump(exclude={"owner_id"}), owner_id=owner_id)
    account.name_key = name_key(data.name)
    session.add(account)
    session.flush()
    audit.record(session, principal.actor, "account.created", ENTITY, account.id, _fields(account))
    return account


def update_account(
    session: Session, principal: Principal, account_id: int, data: AccountUpdate
) -> Account:
    account = editable_account(session, principal, account_id)
    changes = data.model_dump(exclude_unset=True)
    if "owner_id" in changes:
        require_owner_allowed(session, principal, changes["owner_id"])
    if "name" in changes:
        _refuse_taken(session, changes["name"], except_id=account.id)
        account.name_key = name_key(changes["name"])
    before = _fields(account)
    for field, value in changes.items():
        setattr(account, field, value)
    account.updated_at = utcnow()
    session.flush()
    diff = audit.diff(before, _fields(account))
    if diff:
        audit.record(session, principal.actor, "account.updated", ENTITY, account.id, diff)
    return account


def delete_account(session: Session, principal: Principal, account_id: int) -> None:
    account = editable_account(session, principal, account_id)
    deals = session.scalar(
        select(func.count()).select_from(Opportunity).where(Opportunity.account_id == account.id)
    )
    if deals:
        raise Conflict(f"Account {account.name!r} has {deals} opportunities; move them first.")
    record = _fields(account)
    session.delete(account)
    session.flush()
    audit.record(session, principal.actor, "account.deleted", ENTITY, account_id, record)


# --- contacts ------------------------------------------------------------------------------


def _check_persona(session: Session, persona_id: int | None) -> None:
    if persona_id is not None and session.get(Persona, persona_id) is None:
        raise Invalid(f"Persona {persona_id} not found.", field="persona_id")


def _contact_fields(contact: Contact) -> dict[str, Any]:
    return {
        "name": contact.name,
        "title": contact.title,
        "email": contact.email,
        "buying_role": contact.buying_role,
        "is_ally": contact.is_ally,
        "persona_id": contact.persona_id,
    }


def add_contact(
    session: Session, principal: Principal, account_id: int, data: ContactIn
) -> Contact:
    account = editable_account(session, principal, account_id)
    _check_persona(session, data.persona_id)
    contact = Contact(account_id=account.id, **data.model_dump())
    session.add(contact)
    session.flush()
    audit.record(
        session,
        principal.actor,
        "contact.created",
        CONTACT,
        contact.id,
        {"account_id": account.id, **_contact_fields(contact)},
    )
    return contact


def update_contact(
    session: Session, principal: Principal, contact_id: int, data: ContactUpdate
) -> Contact:
    contact = visible_contact(session, principal, contact_id)
    principal.require(Permission.EDIT_DEALS)
    changes = data.model_dump(exclude_unset=True)
    if "persona_id" in changes:
        _check_persona(session, changes["persona_id"])
    before = _contact_fields(contact)
    for field, value in changes.items():
        setattr(contact, field, value)
    contact.updated_at = utcnow()
    session.flush()
    diff = audit.diff(before, _contact_fields(contact))
    if diff:
        audit.record(session, principal.actor, "contact.updated", CONTACT, contact.id, diff)
    return contact


def mark_allies(
    session: Session, actor: audit.Actor, contact_ids: Iterable[int], source: str
) -> list[int]:
    """Mark contacts as allies in their account's buying team (an interaction named them so;
    the conversations domain has checked who may log it). Contacts already allies are left
    as they are; nothing is ever un-marked here. The ids changed, each audited."""
    changed = []
    for contact_id in sorted(set(contact_ids)):
        contact = session.get(Contact, contact_id)
        if contact is None or contact.is_ally:
            continue
        contact.is_ally = True
        contact.updated_at = utcnow()
        changed.append(contact.id)
        audit.record(
            session,
            actor,
            "contact.updated",
            CONTACT,
            contact.id,
            {"is_ally": [False, True], "source": source},
        )
    session.flush()
    return changed


def delete_contact(session: Session, principal: Principal, contact_id: int) -> None:
    contact = visible_contact(session, principal, contact_id)
    principal.require(Permission.EDIT_DEALS)
    record = {"account_id": contact.account_id, **_contact_fields(contact)}
    session.delete(contact)
    session.flush()
    audit.record(session, principal.actor, "contact.deleted", CONTACT, contact_id, record)
