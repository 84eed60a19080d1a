"""Shared pieces for import tests: people and accounts to import against, files, counts."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import Org, make_org, make_user
from valuescout.core.audit import Actor, AuditEntry
from valuescout.deals.accounts import name_key
from valuescout.deals.importing import service
from valuescout.deals.importing.mapping import EMPTY, load_mapping
from valuescout.deals.importing.readers import RejectsWriter, SourceFile
from valuescout.deals.models import Account, LineItem, Opportunity, OpportunityChange, Product
from valuescout.identity.models import Team, User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Role
from valuescout.identity.service import principal_of

DATA = Path(__file__).resolve().parent / "data"
MAVEN = Path("/work/shared/data/maven-crm")
MAVEN_FILES = ("sales_pipeline.csv", "sales_teams.csv", "products.csv", "accounts.csv")
GENERIC_HEADER = [
    "external_id",
    "name",
    "account",
    "owner",
    "stage",
    "amount",
    "currency",
    "close_date",
    "deal_type",
]


@dataclass
class World:
    """An organisation with two named sellers and three accounts to import against."""

    org: Org
    ann: User
    bob: User

    @property
    def admin(self) -> Principal:
        return principal_of(self.org.user("admin"))


def make_world(session: Session) -> World:
    org = make_org(session)
    ann = make_user(session, Role.SELLER, org.team_a, email="ann@example.com", name="Ann Seller")
    bob = make_user(session, Role.SELLER, org.team_b, email="bob@example.com", name="Bob Seller")
    for name in ("Acme", "Globex", "Initech"):
        session.add(Account(name=name, name_key=name_key(name)))
    session.flush()
    return World(org, ann, bob)


def write_csv(
    path: Path, rows: list[list[Any]], header: list[str] | None = None, encoding: str = "utf-8"
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header or GENERIC_HEADER)
        out.writerows(rows)
    return path


def deal(
    external_id: str,
    stage: str = "Engaging",
    amount: str = "1000.00",
    *,
    name: str | None = None,
    account: str = "Acme",
    owner: str = "ann@example.com",
    currency: str = "USD",
    close_date: str = "2024-03-05",
    deal_type: str = "new",
) -> list[str]:
    """One row of a generic file, in GENERIC_HEADER order."""
    return [
        external_id,
        name or f"Deal {external_id}",
        account,
        owner,
        stage,
        amount,
        currency,
        close_date,
        deal_type,
    ]


def run(
    session: Session,
    *paths: Path,
    principal: Principal | None = None,
    rejects: Path | None = None,
    mapping: str | None = None,
    dry_run: bool = False,
    **options: Any,
) -> service.ImportReport:
    """Import as a principal (or as the CLI operator when none is given)."""
    opts = service.ImportOptions(
        mapping=load_mapping(mapping, "mapping.yaml") if mapping else EMPTY,
        skip_invalid=rejects is not None,
        **options,
    )
    sources = [SourceFile(p) for p in paths]
    writer = RejectsWriter(rejects) if rejects is not None else None
    try:
        if principal is not None and dry_run:
            return service.preview(session, principal, sources, opts)
        if principal is not None:
            return service.run(session, principal, sources, opts, rejects=writer)
        return service.run_as(session, CLI, sources, opts, rejects=writer, dry_run=dry_run)
    finally:
        if writer is not None:
            writer.close()


CLI = Actor(id=None, email="cli:test")
TABLES = (Opportunity, OpportunityChange, LineItem, Account, Product, User, Team, AuditEntry)


def counts(session: Session) -> dict[str, int]:
    """Rows per table, to show an import changed nothing (or exactly what it should)."""
    return {
        model.__tablename__: session.scalar(select(func.count()).select_from(model)) or 0
        for model in TABLES
    }


def messages(report: service.ImportReport) -> list[str]:
    return [str(p) for p in report.problems]
