"""Picking the account and opportunity of an interaction by name, as the log's form does: a
contributor picks among every account and opportunity (names only; they see no deal), others
among those in their row scope. Names match without regard to case or surrounding spaces."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.core.errors import Invalid
from valuescout.deals.access import visible_accounts_clause
from valuescout.deals.accounts import name_key
from valuescout.deals.models import Account, Contact, Opportunity, Stage
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Role
from valuescout.identity.scope import scope_for

MAX_CHOICES = 500  # names offered in the form's lists (typing any other name still works)


@dataclass(frozen=True)
class Choices:
    accounts: list[str]
    opportunities: list[str]  # open deals first


def _opportunities(session: Session, principal: Principal):  # type: ignore[no-untyped-def]
    stmt = select(Opportunity.id, Opportunity.name).join(Stage, Stage.id == Opportunity.stage_id)
    if principal.role == Role.CONTRIBUTOR:
        return stmt
    return scope_for(session, principal).filter(stmt, Opportunity.owner_id)


def _accounts(session: Session, principal: Principal):  # type: ignore[no-untyped-def]
    stmt = select(Account.id, Account.name)
    if principal.role != Role.CONTRIBUTOR:
        clause = visible_accounts_clause(scope_for(session, principal))
        if clause is not None:
            stmt = stmt.where(clause)
    return stmt


def choices(session: Session, principal: Principal) -> Choices:
    opps = _opportunities(session, principal).order_by(
        (Stage.outcome == "open").desc(), Opportunity.close_date.desc(), Opportunity.id
    )
    accounts = _accounts(session, principal).order_by(Account.name)
    return Choices(
        accounts=[r.name for r in session.execute(accounts.limit(MAX_CHOICES))],
        opportunities=list(dict.fromkeys(r.name for r in session.execute(opps.limit(MAX_CHOICES)))),
    )


def opportunity_named(session: Session, principal: Principal, name: str) -> int:
    wanted = name.strip().casefold()
    rows = session.execute(
        _opportunities(session, principal).where(func.lower(Opportunity.name) == wanted).limit(2)
    ).all()
    if not rows:
        raise Invalid(
            f"No opportunity named '{name.strip()}' that you can log against.", field="opportunity"
        )
    if len(rows) > 1:
        raise Invalid(
            f"Several opportunities are named '{name.strip()}': log it from the opportunity's "
            "page or give the account only.",
            field="opportunity",
        )
    return int(rows[0].id)


def account_named(session: Session, principal: Principal, name: str) -> int:
    row = session.execute(
        _accounts(session, principal).where(Account.name_key == name_key(name)).limit(1)
    ).first()
    if row is None:
        raise Invalid(
            f"No account named '{name.strip()}' that you can log against.", field="account"
        )
    return int(row.id)


def contacts_of(session: Session, account_id: int | None) -> list[Contact]:
    if account_id is None:
        return []
    return list(
        session.scalars(
            select(Contact).where(Contact.account_id == account_id).order_by(Contact.name)
        )
    )
