"""Sign-in with lockout and throttling, browser sessions, and API bearer tokens."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select, update
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.errors import Invalid, NotFound, Unauthenticated
from valuescout.core.models import utcnow
from valuescout.core.security import (
    burn_verification_time,
    hash_token,
    new_token,
    verify_password,
)
from valuescout.identity.models import ApiToken, SignInAttempt, User, WebSession
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.identity.schemas import TokenCreate
from valuescout.identity.service import normalise_email, principal_of

GENERIC_FAILURE = "Email or password is wrong."
# Writing last_used_at on every call would turn reads into writes; once a minute is enough.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)


@dataclass(frozen=True)
class SignInPolicy:
    lockout_threshold: int = 5
    lockout_minutes: int = 15
    ip_throttle_threshold: int = 30
    session_hours: int = 12


@dataclass(frozen=True)
class SignInOutcome:
    """The result of a sign-in; failures are values, so the attempt record still commits."""

    principal: Principal | None = None
    session_token: str | None = None
    error: str | None = None
    retry_after_seconds: int = 0

    @property
    def ok(self) -> bool:
        return self.principal is not None


def sign_in(
    session: Session, email: str, password: str, client_ip: str, policy: SignInPolicy
) -> SignInOutcome:
    email = normalise_email(email)[:320]
    now = utcnow()
    window_start = now - timedelta(minutes=policy.lockout_minutes)

    retry = _lockout_remaining(session, email, window_start, now, policy) or _ip_throttle_remaining(
        session, client_ip, window_start, now, policy
    )
    if retry:
        minutes = max(1, -(-retry // 60))
        return SignInOutcome(
            error=f"Too many failed sign-ins. Try again in {minutes} minute"
            f"{'s' if minutes != 1 else ''}.",
            retry_after_seconds=retry,
        )

    user = session.scalar(select(User).where(User.email == email))
    if user is None:
        burn_verification_time(password)
        ok = False
    else:
        ok = verify_password(user.password_hash, password) and user.is_active
    session.add(SignInAttempt(email=email, client_ip=client_ip[:64], at=now, succeeded=ok))
    session.flush()
    if not ok or user is None:
        if _email_failures(session, email, window_start)[0] >= policy.lockout_threshold:
            audit.record(
                session,
                audit.SYSTEM_ACTOR,
                "user.locked_out",
                "sign_in",
                email,
                {"client_ip": client_ip, "minutes": policy.lockout_minutes},
            )
        return SignInOutcome(error=GENERIC_FAILURE)

    user.last_sign_in_at = now
    token = new_token("vss")
    session.add(
        WebSession(
            user_id=user.id,
            token_hash=hash_token(token),
            created_at=now,
            expires_at=now + timedelta(hours=policy.session_hours),
        )
    )
    session.flush()
    principal = principal_of(user)
    audit.record(
        session, principal.actor, "user.signed_in", "user", user.id, {"client_ip": client_ip}
    )
    return SignInOutcome(principal=principal, session_token=token)


def _failures(
    session: Session, who: ColumnElement[bool], after: datetime
) -> tuple[int, datetime | None, datetime | None]:
    """Count, first and last failed attempt matching `who` after a moment."""
    row = session.execute(
        select(func.count(), func.min(SignInAttempt.at), func.max(SignInAttempt.at)).where(
            who, SignInAttempt.succeeded.is_(False), SignInAttempt.at > after
        )
    ).one()
    return row[0], row[1], row[2]


def _email_failures(session: Session, email: str, since: datetime) -> tuple[int, datetime | None]:
    """Failures for this email in the window, counted after its last success."""
    last_success = session.scalar(
        select(func.max(SignInAttempt.at)).where(
            SignInAttempt.email == email, SignInAttempt.succeeded.is_(True)
        )
    )
    after = max(since, last_success) if last_success else since
    count, _first, last = _failures(session, SignInAttempt.email == email, after)
    return count, last


def _seconds_until(moment: datetime, now: datetime) -> int:
    return max(1, int((moment - now).total_seconds()))


def _lockout_remaining(
    session: Session, email: str, since: datetime, now: datetime, policy: SignInPolicy
) -> int:
    """An email is locked for the lockout period after its last failure in a failing streak."""
    count, last = _email_failures(session, email, since)
    if count < policy.lockout_threshold or last is None:
        return 0
    return _seconds_until(last + timedelta(minutes=policy.lockout_minutes), now)


def _ip_throttle_remaining(
    session: Session, client_ip: str, since: datetime, now: datetime, policy: SignInPolicy
) -> int:
    """An address is throttled until its failures in the window drop below the threshold."""
    count, first, _last = _failures(session, SignInAttempt.client_ip == client_ip, since)
    if count < policy.ip_throttle_threshold or first is None:
        return 0
    return _seconds_until(first + timedelta(minutes=policy.lockout_minutes), now)


# --- browser sessions ---------------------------------------------------------------------


def principal_for_session(session: Session, token: str) -> Principal | None:
    row = session.execute(
        select(WebSession, User)
        .join(User, User.id == WebSession.user_id)
        .where(WebSession.token_hash == hash_token(token))
    ).first()
    if row is None:
        return None
    web_session, user = row
    if web_session.ended_at is not None or web_session.expires_at <= utcnow() or not user.is_active:
        return None
    return principal_of(user)


def sign_out(session: Session, token: str) -> None:
    web_session = session.scalar(
        select(WebSession).where(WebSession.token_hash == hash_token(token))
    )
    if web_session is None or web_session.ended_at is not None:
        return
    web_session.ended_at = utcnow()
    session.flush()
    user = session.get(User, web_session.user_id)
    if user is not None:
        audit.record(session, principal_of(user).actor, "user.signed_out", "user", user.id)


# --- API tokens -----------------------------------------------------------------------------


def create_token(
    session: Session, principal: Principal, data: TokenCreate, *, user_id: int | None = None
) -> tuple[ApiToken, str]:
    """A token acting as its user. Creating one for someone else needs MANAGE_USERS."""
    owner_id = principal.user_id if user_id is None else user_id
    if owner_id != principal.user_id:
        principal.require(Permission.MANAGE_USERS)
    owner = session.get(User, owner_id)
    if owner is None or not owner.is_active:
        raise NotFound(f"User {owner_id} not found or inactive.", field="user_id")
    return _issue_token(session, principal.actor, owner, data)


def cli_create_token(
    session: Session, actor: audit.Actor, user: User, data: TokenCreate
) -> tuple[ApiToken, str]:
    if not user.is_active:
        raise Invalid(f"User {user.email} is inactive.", field="email")
    return _issue_token(session, actor, user, data)


def _issue_token(
    session: Session, actor: audit.Actor, owner: User, data: TokenCreate
) -> tuple[ApiToken, str]:
    secret = new_token("vs")
    now = utcnow()
    token = ApiToken(
        user_id=owner.id,
        name=data.name,
        token_hash=hash_token(secret),
        prefix=secret[:10],
        created_at=now,
        expires_at=now + timedelta(days=data.expires_in_days) if data.expires_in_days else None,
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor,
        "token.created",
        "api_token",
        token.id,
        {"user_id": owner.id, "name": data.name, "expires_at": token.expires_at},
    )
    return token, secret


def list_tokens(session: Session, principal: Principal) -> list[ApiToken]:
    return list(
        session.scalars(
            select(ApiToken)
            .where(ApiToken.user_id == principal.user_id)
            .order_by(ApiToken.created_at.desc(), ApiToken.id.desc())
        )
    )


def revoke_token(session: Session, principal: Principal, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    mine = token is not None and token.user_id == principal.user_id
    if token is None or not (mine or principal.can(Permission.MANAGE_USERS)):
        raise NotFound(f"Token {token_id} not found.")
    return _revoke(session, principal.actor, token)


def cli_revoke_token(session: Session, actor: audit.Actor, token_id: int) -> ApiToken:
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"Token {token_id} not found.")
    return _revoke(session, actor, token)


def _revoke(session: Session, actor: audit.Actor, token: ApiToken) -> ApiToken:
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.flush()
        audit.record(
            session,
            actor,
            "token.revoked",
            "api_token",
            token.id,
            {"user_id": token.user_id, "name": token.name},
        )
    return token


def principal_for_token(session: Session, secret: str) -> Principal:
    """Resolve a bearer secret, saying plainly why it is refused."""
    row = session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == hash_token(secret))
    ).first()
    if row is None:
        raise Unauthenticated("Unknown API token.")
    token, user = row
    now = utcnow()
    if token.revoked_at is not None:
        raise Unauthenticated("This API token was revoked.")
    if token.expires_at is not None and token.expires_at <= now:
        raise Unauthenticated("This API token has expired.")
    if not user.is_active:
        raise Unauthenticated("The user of this API token is deactivated.")
    if token.last_used_at is None or now - token.last_used_at > TOKEN_TOUCH_INTERVAL:
        _touch(session, token.id, now)
    return principal_of(user)


def _touch(session: Session, token_id: int, now: datetime) -> None:
    """Note the token's use, unless a concurrent request holds its row (it is noting the same
    use): parallel clients on one token must not queue behind each other's transactions
    (PostgreSQL: SKIP LOCKED; SQLite has one writer and ignores it)."""
    free = (
        select(ApiToken.id)
        .where(ApiToken.id == token_id)
        .with_for_update(skip_locked=True)
        .scalar_subquery()
    )
    session.execute(
        update(ApiToken)
        .where(ApiToken.id == free)
        .values(last_used_at=now)
        .execution_options(synchronize_session=False)
    )
