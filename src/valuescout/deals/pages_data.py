"""What the deals pages show, gathered from the services in one call per page.

Read-only: no FastAPI here, so the page routes stay thin (parse, call one of these, render).
Choices for the forms are limited to what the caller may see: accounts in scope, owners the
caller may assign to (managers and admins choose among their people), the deal's value network.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.core.errors import NotFound
from valuescout.core.pagination import Page, PageRequest
from valuescout.core.web.schemas import MAX_DB_ID
from valuescout.deals import accounts, service, service_pipeline, setup, valuecases
from valuescout.deals.access import visible_account, visible_accounts_clause
from valuescout.deals.account_schemas import AccountDetail, AccountOut
from valuescout.deals.models import Account, Stage
from valuescout.deals.schemas import OpportunityDetail, PipelineOut, ValueCaseOut
from valuescout.deals.setup_schemas import ProductOut
from valuescout.identity import service as people
from valuescout.identity.models import Team
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.identity.scope import scope_for
from valuescout.valuenet import service as networks
from valuescout.valuenet.models import Persona, ValueNetwork

MAX_CHOICES = 200


@dataclass(frozen=True)
class Choice:
    id: int
    name: str


@dataclass(frozen=True)
class Choices:
    """The options a deal's forms offer the caller."""

    stages: list[Stage]
    accounts: list[Choice] = field(default_factory=list)
    owners: list[Choice] = field(default_factory=list)
    networks: list[Choice] = field(default_factory=list)
    # more accounts in sight than one list shows: `accounts` holds only the chosen one, and a
    # search fills the picker (`/accounts/options`)
    find_accounts: bool = False


@dataclass(frozen=True)
class NetworkChoices:
    """The deal's value network: outcomes to pick, personas and competitors."""

    outcomes: list[Choice] = field(default_factory=list)
    personas: list[Choice] = field(default_factory=list)
    competitors: list[Choice] = field(default_factory=list)


@dataclass(frozen=True)
class OpportunityPage:
    detail: OpportunityDetail
    can_edit: bool
    sees_money: bool
    choices: Choices
    network: NetworkChoices
    value_case: ValueCaseOut | None
    products: list[ProductOut]
    persona_names: dict[int, str]


def can_edit(principal: Principal) -> bool:
    return principal.can(Permission.EDIT_DEALS)


def require_edit(principal: Principal) -> None:
    principal.require(Permission.EDIT_DEALS)


def sees_money(session: Session, principal: Principal) -> bool:
    return scope_for(session, principal).sees_money


def owner_choices(session: Session, principal: Principal) -> list[Choice]:
    """People the caller may give a deal to: themselves, or the people in their view."""
    if not principal.can(Permission.VIEW_PEOPLE):
        return [Choice(principal.user_id, principal.full_name)]
    users = people.list_users(session, principal, PageRequest(MAX_CHOICES, 0)).items
    return [Choice(u.id, u.full_name) for u in users if u.is_active]


def account_choices(
    session: Session, principal: Principal, q: str | None = None, limit: int = MAX_CHOICES
) -> list[Choice]:
    """The accounts a deal may name: those in the caller's sight whose name holds `q`, by
    name (one query)."""
    stmt = select(Account.id, Account.name).order_by(Account.name_key).limit(limit)
    clause = visible_accounts_clause(scope_for(session, principal))
    if clause is not None:
        stmt = stmt.where(clause)
    if q:
        stmt = stmt.where(accounts.name_holds(q))
    return [Choice(row[0], row[1]) for row in session.execute(stmt)]


def chosen_account(session: Session, principal: Principal, account_id: object) -> Choice | None:
    """The account a form names, when the caller may see it (else none is chosen)."""
    text = str(account_id or "").strip()
    if not text.isdigit() or not 0 < int(text) <= MAX_DB_ID:
        return None
    try:
        found = visible_account(session, principal, int(text))
    except NotFound:
        return None
    return Choice(found.id, found.name)


def deal_choices(
    session: Session, principal: Principal, *, editing: bool = True, account: Choice | None = None
) -> Choices:
    """The deal form's options; `account` (the deal's or the form's) is always among them."""
    stages = setup.stages(session)
    if not editing:
        return Choices(stages)
    in_sight = account_choices(session, principal, limit=MAX_CHOICES + 1)
    find = len(in_sight) > MAX_CHOICES
    shown = [] if find else in_sight
    if account is not None and account.id not in {a.id for a in shown}:
        shown.append(account)
    return Choices(
        stages=stages,
        accounts=shown,
        owners=owner_choices(session, principal),
        networks=[Choice(i, name) for i, name in networks.network_names(session, principal)],
        find_accounts=find,
    )


def network_choices(
    session: Session, principal: Principal, network_id: int | None
) -> NetworkChoices:
    if network_id is None:
        return NetworkChoices()
    names = networks.picker_names(session, network_id)
    return NetworkChoices(
        outcomes=[Choice(i, name) for i, name in names.outcomes],
        personas=[Choice(i, name) for i, name in names.personas],
        competitors=[Choice(i, name) for i, name in names.competitors],
    )


def persona_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(Persona.id, Persona.name).where(Persona.id.in_(wanted)))
    return {row[0]: row[1] for row in rows}


def opportunity_page(session: Session, principal: Principal, opp_id: int) -> OpportunityPage:
    detail = service.opportunity_detail(session, principal, opp_id)
    editing = can_edit(principal)
    account = Choice(detail.account_id, detail.account_name or "") if detail.account_id else None
    choices = deal_choices(session, principal, editing=editing, account=account)
    case = valuecases.value_case(session, principal, opp_id) if detail.has_value_case else None
    used = {c.persona_id for c in detail.contacts}
    used |= {o.persona_id for o in case.outcomes} if case else set()
    return OpportunityPage(
        detail=detail,
        can_edit=editing,
        sees_money=sees_money(session, principal),
        choices=choices,
        network=network_choices(session, principal, detail.value_network_id),
        value_case=case,
        products=(
            [setup.product_out(session, principal, p) for p in setup.products(session)]
            if editing
            else []
        ),
        persona_names=persona_names(session, used),
    )


@dataclass(frozen=True)
class PipelinePage:
    pipeline: PipelineOut
    choices: Choices
    owners: list[Choice]
    teams: list[Team]
    can_edit: bool
    sees_money: bool
    can_import: bool


def pipeline_page(
    session: Session,
    principal: Principal,
    flt: service_pipeline.PipelineFilter,
    page: PageRequest,
    sort: str,
) -> PipelinePage:
    return PipelinePage(
        pipeline=service_pipeline.pipeline(session, principal, flt, page, sort),  # type: ignore[arg-type]
        choices=deal_choices(session, principal, editing=False),
        owners=owner_choices(session, principal) if principal.can(Permission.VIEW_PEOPLE) else [],
        teams=people.list_teams(session, principal),
        can_edit=can_edit(principal),
        sees_money=sees_money(session, principal),
        can_import=principal.can(Permission.IMPORT_DEALS),
    )


@dataclass(frozen=True)
class AccountsPage:
    accounts: Page[AccountOut]
    can_edit: bool
    sees_money: bool


def accounts_page(
    session: Session, principal: Principal, page: PageRequest, q: str | None
) -> AccountsPage:
    return AccountsPage(
        accounts=accounts.list_accounts(session, principal, page, q),
        can_edit=can_edit(principal),
        sees_money=sees_money(session, principal),
    )


@dataclass(frozen=True)
class AccountPage:
    account: AccountDetail
    opportunities: PipelineOut
    can_edit: bool
    sees_money: bool
    personas: dict[int, str]
    persona_choices: list[Choice]


def all_personas(session: Session) -> list[Choice]:
    """Every persona, named with its network, for contacts on an account's page."""
    rows = session.execute(
        select(Persona.id, Persona.name, ValueNetwork.name)
        .join(ValueNetwork, ValueNetwork.id == Persona.network_id)
        .order_by(ValueNetwork.name, Persona.name)
        .limit(MAX_CHOICES)
    )
    return [Choice(pid, f"{name} ({network})") for pid, name, network in rows]


def account_page(session: Session, principal: Principal, account_id: int) -> AccountPage:
    account = accounts.account_detail(session, principal, account_id)
    deals = service_pipeline.pipeline(
        session,
        principal,
        service_pipeline.PipelineFilter(account_id=account.id),
        PageRequest(MAX_CHOICES, 0),
        "-close_date",
    )
    return AccountPage(
        account=account,
        opportunities=deals,
        can_edit=can_edit(principal),
        sees_money=sees_money(session, principal),
        personas=persona_names(session, {c.persona_id for c in account.contacts}),
        persona_choices=all_personas(session) if can_edit(principal) else [],
    )
