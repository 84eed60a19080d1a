"""Who may see and change which deal records, on top of the foundation's row scope.

An opportunity is visible when its owner is in the caller's scope. An account is visible when
its owner is, or when one of its opportunities is. Records out of sight answer "not found",
so their existence does not leak. Changing needs Permission.EDIT_DEALS as well.
"""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from valuescout.core.errors import Forbidden, Invalid, NotFound
from valuescout.deals.models import Account, Contact, Opportunity
from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.identity.scope import Scope, scope_for


def money(scope: Scope, value: Decimal | None) -> Decimal | None:
    """The value, or None for a caller who may not see money."""
    return value if scope.sees_money else None


def visible_opportunity(session: Session, principal: Principal, opp_id: int) -> Opportunity:
    opp = session.get(Opportunity, opp_id)
    if opp is None or not scope_for(session, principal).allows_owner(opp.owner_id):
        raise NotFound(f"Opportunity {opp_id} not found.")
    return opp


def editable_opportunity(session: Session, principal: Principal, opp_id: int) -> Opportunity:
    opp = visible_opportunity(session, principal, opp_id)
    principal.require(Permission.EDIT_DEALS)
    return opp


def account_visible(session: Session, scope: Scope, account: Account) -> bool:
    if scope.allows_owner(account.owner_id):
        return True
    owned = scope.filter(
        select(Opportunity.id).where(Opportunity.account_id == account.id), Opportunity.owner_id
    )
    return session.scalar(owned.limit(1)) is not None


def visible_accounts_clause(scope: Scope):  # type: ignore[no-untyped-def]
    """A WHERE clause limiting Account rows to those the scope sees (None: no limit)."""
    if scope.owner_ids is None:
        return None
    ids = scope.owner_ids
    has_deal = exists(
        select(Opportunity.id).where(
            Opportunity.account_id == Account.id, Opportunity.owner_id.in_(ids)
        )
    )
    return or_(Account.owner_id.in_(ids), has_deal)


def visible_account(session: Session, principal: Principal, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None or not account_visible(session, scope_for(session, principal), account):
        raise NotFound(f"Account {account_id} not found.")
    return account


def editable_account(session: Session, principal: Principal, account_id: int) -> Account:
    account = visible_account(session, principal, account_id)
    principal.require(Permission.EDIT_DEALS)
    return account


def visible_contact(session: Session, principal: Principal, contact_id: int) -> Contact:
    contact = session.get(Contact, contact_id)
    account = session.get(Account, contact.account_id) if contact is not None else None
    if account is None or not account_visible(session, scope_for(session, principal), account):
        # The same answer as for a missing contact: neither its account nor its existence leaks.
        raise NotFound(f"Contact {contact_id} not found.")
    assert contact is not None
    return contact


def require_owner_allowed(session: Session, principal: Principal, owner_id: int) -> None:
    """A caller may give a record only to an active user in their own scope."""
    if not scope_for(session, principal).allows_owner(owner_id):
        raise Forbidden("You may only assign records to people in your team.", field="owner_id")
    owner = session.get(User, owner_id)
    if owner is None or not owner.is_active:
        raise Invalid(f"User {owner_id} is not an active user.", field="owner_id")
