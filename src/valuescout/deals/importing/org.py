"""The people, teams, accounts and products an import finds or creates.

People and products are few: they are loaded once and kept in memory. Accounts may be many:
they are looked up per batch, with a bounded cache. Users an import creates cannot sign in
(their password hash is not a hash, so verification simply fails) until an administrator
gives them a password; each is in the audit trail, as are created teams.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.audit import Actor
from valuescout.deals.accounts import name_key
from valuescout.deals.importing.problems import quoted
from valuescout.deals.importing.products import ProductInfo
from valuescout.deals.models import Account, Product
from valuescout.identity import service as identity
from valuescout.identity.models import Team, TeamKind, User
from valuescout.identity.roles import Role
from valuescout.identity.schemas import TeamCreate

# Not an argon2 hash: argon2 refuses to verify against it (InvalidHashError), which
# core.security.verify_password turns into "wrong password". Nobody can sign in as the user.
UNUSABLE_PASSWORD = "!imported: no password set"  # noqa: S105 - the point: no password
DEFAULT_EMAIL_DOMAIN = "imported.example"
ACCOUNT_CACHE_LIMIT = 50_000


class OrgProblem(Exception):
    """A conflict with what is already in the database (e.g. a team of another kind)."""


@dataclass(frozen=True, slots=True)
class Person:
    id: int
    team_id: int | None
    name: str
    active: bool = True


class People:
    """Users by email and by full name; creates users that cannot sign in."""

    def __init__(self, session: Session, actor: Actor, email_domain: str) -> None:
        self.session = session
        self.actor = actor
        self.domain = email_domain
        self.by_email: dict[str, Person] = {}
        self.by_name: dict[str, list[Person]] = {}
        self.created = 0
        rows = session.execute(
            select(User.id, User.email, User.full_name, User.team_id, User.is_active)
        )
        for uid, email, full_name, team_id, active in rows:
            self._remember(email, Person(uid, team_id, full_name, active))

    def _remember(self, email: str, person: Person) -> None:
        self.by_email[email] = person
        self.by_name.setdefault(name_key(person.name), []).append(person)

    def find(self, text: str) -> Person | list[Person] | None:
        """The user with this email or full name; a list when the name is ambiguous."""
        if "@" in text:
            return self.by_email.get(identity.normalise_email(text))
        found = self.by_name.get(name_key(text), [])
        if len(found) == 1:
            return found[0]
        return found or None

    def create(self, text: str, role: Role, team_id: int | None, source: str) -> Person:
        """A user named by `text` (a full name or an email); ValueError if the email is bad."""
        if "@" in text:
            try:
                email = validate_email(text, check_deliverability=False).normalized.lower()
            except EmailNotValidError as exc:
                raise ValueError(f"{quoted(text)} is not a valid email address: {exc}") from None
            full_name = " ".join(p.capitalize() for p in re.split(r"[._-]+", email.split("@")[0]))
        else:
            full_name = " ".join(text.split())
            email = self._free_email(_slug(full_name))
        user = User(
            email=email,
            full_name=full_name[:200] or email,
            role=role,
            team_id=team_id,
            password_hash=UNUSABLE_PASSWORD,
            is_active=True,
        )
        self.session.add(user)
        self.session.flush()
        audit.record(
            self.session,
            self.actor,
            "user.created",
            "user",
            user.id,
            {"email": email, "role": role.value, "team_id": team_id, "source": source},
        )
        person = Person(user.id, team_id, user.full_name)
        self._remember(email, person)
        self.created += 1
        return person

    def _free_email(self, local: str) -> str:
        email, n = f"{local}@{self.domain}", 1
        while email in self.by_email:
            n += 1
            email = f"{local}.{n}@{self.domain}"
        return email


def _slug(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", ".", ascii_name.lower()).strip(".")[:60] or "user"


class Teams:
    """The team tree: company -> region -> team, found by name or created (audited)."""

    def __init__(self, session: Session, actor: Actor) -> None:
        self.session = session
        self.actor = actor
        self.created: list[str] = []
        self.by_name = {t.name: t for t in session.scalars(select(Team))}

    def company(self) -> Team:
        companies = sorted(
            (t for t in self.by_name.values() if t.kind == TeamKind.COMPANY), key=lambda t: t.id
        )
        if companies:
            return companies[0]
        return self._create("Company", TeamKind.COMPANY, None)

    def ensure(self, name: str, kind: str, parent: Team) -> Team:
        team = self.by_name.get(name)
        if team is None:
            return self._create(name, kind, parent.id)
        if team.kind != kind:
            raise OrgProblem(
                f"a team named {quoted(name)} exists already, but it is a {team.kind}, not a "
                f"{kind}; rename it first"
            )
        return team

    def _create(self, name: str, kind: str, parent_id: int | None) -> Team:
        team = identity.create_team(
            self.session, self.actor, TeamCreate(name=name, kind=kind, parent_id=parent_id)
        )
        self.by_name[team.name] = team
        self.created.append(name)
        return team


def load_products(session: Session) -> list[ProductInfo]:
    rows = session.execute(select(Product.id, Product.name, Product.list_price, Product.unit_cost))
    return [ProductInfo(i, n, p, c) for i, n, p, c in rows]


def upsert_products(session: Session, rows: list[dict[str, Any]], at: datetime) -> tuple[int, int]:
    """Products by name (ignoring case and spaces): add new ones, update changed prices."""
    existing = {
        key: (pid, price, family)
        for pid, key, price, family in session.execute(
            select(Product.id, Product.name_key, Product.list_price, Product.family)
        )
    }
    created = updated = 0
    for row in rows:
        key = name_key(row["name"])
        found = existing.get(key)
        if found is None:
            session.execute(
                insert(Product),
                [{**row, "name_key": key, "currency": "USD", "created_at": at, "updated_at": at}],
            )
            created += 1
        elif (found[1], found[2]) != (row["list_price"], row["family"]):
            session.execute(
                update(Product)
                .where(Product.id == found[0])
                .values(list_price=row["list_price"], family=row["family"], updated_at=at)
            )
            updated += 1
    return created, updated


ACCOUNT_FIELDS = (
    "industry",
    "annual_revenue",
    "employees",
    "country",
    "year_established",
    "parent_name",
)


class Accounts:
    """Accounts by name key, looked up a batch at a time; creates the missing ones on demand."""

    def __init__(self, session: Session, at: datetime) -> None:
        self.session = session
        self.at = at
        self.cache: dict[str, int] = {}
        self.created = 0
        self.updated = 0

    def lookup(self, keys: set[str]) -> dict[str, int]:
        wanted = [k for k in keys if k not in self.cache]
        if wanted:
            if len(self.cache) > ACCOUNT_CACHE_LIMIT:
                self.cache.clear()
            for aid, key in self.session.execute(
                select(Account.id, Account.name_key).where(Account.name_key.in_(wanted))
            ):
                self.cache[key] = aid
        return {k: self.cache[k] for k in keys if k in self.cache}

    def create(
        self, names: dict[str, str], details: dict[str, dict[str, Any]] | None = None
    ) -> None:
        """Insert accounts {key: display name}, with optional fields per key."""
        if not names:
            return
        details = details or {}
        rows = [
            {
                "name": name[:200],
                "name_key": key,
                "industry": "",
                "annual_revenue": None,
                "employees": None,
                "region": "",
                "territory": "",
                "country": "",
                "year_established": None,
                "parent_name": "",
                "attributes": {},
                "created_at": self.at,
                "updated_at": self.at,
            }
            | details.get(key, {})
            for key, name in names.items()
        ]
        result = self.session.execute(
            insert(Account).returning(Account.id, Account.name_key, sort_by_parameter_order=True),
            rows,
        )
        for aid, key in result:
            self.cache[key] = aid
        self.created += len(rows)

    def upsert(self, rows: dict[str, dict[str, Any]], names: dict[str, str]) -> None:
        """Accounts with their details (the Maven accounts file): add or update by name."""
        columns = [getattr(Account, f) for f in ACCOUNT_FIELDS]
        existing = {
            row[1]: row
            for row in self.session.execute(
                select(Account.id, Account.name_key, *columns).where(
                    Account.name_key.in_(list(rows))
                )
            )
        }
        self.create({k: names[k] for k in rows if k not in existing}, rows)
        changes = []
        for key, row in existing.items():
            wanted = rows[key]
            if tuple(row[2:]) != tuple(wanted[f] for f in ACCOUNT_FIELDS):
                changes.append({"_id": row[0], **wanted, "updated_at": self.at})
            self.cache[key] = row[0]
        for change in changes:
            account_id = change.pop("_id")
            self.session.execute(update(Account).where(Account.id == account_id).values(**change))
        self.updated += len(changes)
