"""The policy in force and its history: validate, apply (a new version), read versions.

An invalid policy is refused with every problem and its line, and the one in force stays.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.errors import Invalid, NotFound
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.pricing import policy as pol
from valuescout.pricing.models import PricePolicy
from valuescout.pricing.schemas import (
    PolicyCheckOut,
    PolicyDetail,
    PolicyProblem,
    PolicyVersionOut,
)

ENTITY = "price_policy"


@lru_cache(maxsize=32)
def _parsed(source: str) -> pol.Policy:
    return pol.parse(source)


def active(session: Session) -> tuple[PricePolicy, pol.Policy]:
    """The highest version: the policy in force (the migration ships version 1)."""
    row = session.scalar(select(PricePolicy).order_by(PricePolicy.version.desc()).limit(1))
    if row is None:
        raise NotFound("No price policy is in force; run `valuescout db upgrade`.")
    return row, _parsed(row.source)


def check(source: str) -> PolicyCheckOut:
    try:
        parsed = _parsed(source)
    except pol.PolicyError as exc:
        problems = [PolicyProblem(line=n, message=m) for n, m in exc.problems]
        return PolicyCheckOut(valid=False, name=None, rules=0, problems=problems)
    return PolicyCheckOut(valid=True, name=parsed.name, rules=len(parsed.rules), problems=[])


def check_for(principal: Principal, source: str) -> PolicyCheckOut:
    principal.require(Permission.SEE_MONEY)
    return check(source)


def parse_or_invalid(source: str) -> pol.Policy:
    try:
        return _parsed(source)
    except pol.PolicyError as exc:
        details = [f"line {n}: {m}" for n, m in exc.problems]
        raise Invalid(
            f"The policy is not valid ({len(details)} problem(s)); the one in force stays.",
            field="source",
            details=details,
        ) from None


def apply(session: Session, principal: Principal, source: str, note: str = "") -> PricePolicy:
    principal.require(Permission.MANAGE_PRICE_POLICY)
    return apply_as(session, principal.actor, source, note)


def apply_as(session: Session, actor: audit.Actor, source: str, note: str = "") -> PricePolicy:
    """Adds the next version (CLI: the system actor). Nothing is written when it is invalid."""
    parsed = parse_or_invalid(source)
    highest = session.scalar(select(func.max(PricePolicy.version))) or 0
    row = PricePolicy(
        version=highest + 1,
        name=parsed.name,
        source=source,
        note=note.strip(),
        created_by_id=actor.id,
        created_by_email=actor.email,
    )
    session.add(row)
    session.flush()
    audit.record(
        session,
        actor,
        "apply",
        ENTITY,
        row.id,
        {
            "version": row.version,
            "name": row.name,
            "rules": len(parsed.rules),
            "note": row.note,
            "source": source,  # the text as applied, in the append-only trail
        },
    )
    return row


def _version_out(row: PricePolicy, active_id: int) -> PolicyVersionOut:
    return PolicyVersionOut(
        id=row.id,
        version=row.version,
        name=row.name,
        note=row.note,
        created_by_email=row.created_by_email,
        created_at=row.created_at,
        active=row.id == active_id,
    )


def versions(session: Session, principal: Principal) -> list[PolicyVersionOut]:
    """Every version, newest first. Anyone who can see deal money may read the policy: an
    objective system is one everyone understands."""
    principal.require(Permission.SEE_MONEY)
    rows = list(session.scalars(select(PricePolicy).order_by(PricePolicy.version.desc())))
    active_id = rows[0].id if rows else 0
    return [_version_out(r, active_id) for r in rows]


def version_detail(session: Session, principal: Principal, version: int) -> PolicyDetail:
    principal.require(Permission.SEE_MONEY)
    row = session.scalar(select(PricePolicy).where(PricePolicy.version == version))
    if row is None:
        raise NotFound(f"Policy version {version} not found.")
    active_row, _ = active(session)
    return PolicyDetail(**_version_out(row, active_row.id).model_dump(), source=row.source)
