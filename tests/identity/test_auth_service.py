"""Sign-in, lockout, throttling and sessions at the service level."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import PASSWORD, make_org
from valuescout.core.audit import AuditEntry
from valuescout.core.models import utcnow
from valuescout.identity import auth_service
from valuescout.identity.auth_service import GENERIC_FAILURE, SignInPolicy
from valuescout.identity.models import SignInAttempt, WebSession

POLICY = SignInPolicy(lockout_threshold=3, lockout_minutes=15, ip_throttle_threshold=5)


def _try(
    session: Session, email: str, password: str, ip: str = "10.0.0.1"
) -> auth_service.SignInOutcome:
    return auth_service.sign_in(session, email, password, ip, POLICY)


def test_right_password_signs_in_and_opens_a_session(session: Session) -> None:
    make_org(session)
    outcome = _try(session, "  Seller@Example.com ", PASSWORD)
    assert outcome.ok and outcome.session_token
    assert outcome.principal is not None and outcome.principal.email == "seller@example.com"
    principal = auth_service.principal_for_session(session, outcome.session_token)
    assert principal is not None and principal.role.value == "seller"
    stored = session.scalars(select(WebSession.token_hash)).all()
    assert outcome.session_token not in stored  # only the hash is kept


def test_wrong_password_and_unknown_user_get_the_same_answer(session: Session) -> None:
    make_org(session)
    wrong = _try(session, "seller@example.com", "not-the-password")
    unknown = _try(session, "nobody@example.com", "whatever-password")
    assert wrong.error == unknown.error == GENERIC_FAILURE
    assert session.scalar(select(func.count()).select_from(SignInAttempt)) == 2


def test_lockout_after_repeated_failures_even_with_the_right_password(session: Session) -> None:
    make_org(session)
    for _ in range(POLICY.lockout_threshold):
        assert _try(session, "seller@example.com", "bad-password").error == GENERIC_FAILURE
    locked = _try(session, "seller@example.com", PASSWORD)
    assert not locked.ok
    assert locked.error is not None and "Too many failed sign-ins" in locked.error
    assert 0 < locked.retry_after_seconds <= 15 * 60
    actions = session.scalars(select(AuditEntry.action)).all()
    assert "user.locked_out" in actions


def test_lockout_expires(session: Session) -> None:
    make_org(session)
    for _ in range(POLICY.lockout_threshold):
        _try(session, "seller@example.com", "bad-password")
    for attempt in session.scalars(select(SignInAttempt)):
        attempt.at = utcnow() - timedelta(minutes=16)
    session.flush()
    assert _try(session, "seller@example.com", PASSWORD).ok


def test_a_success_resets_the_failure_count(session: Session) -> None:
    make_org(session)
    for _ in range(POLICY.lockout_threshold - 1):
        _try(session, "seller@example.com", "bad-password")
    assert _try(session, "seller@example.com", PASSWORD).ok
    for _ in range(POLICY.lockout_threshold - 1):
        _try(session, "seller@example.com", "bad-password")
    assert _try(session, "seller@example.com", PASSWORD).ok


def test_one_address_is_throttled_across_emails(session: Session) -> None:
    make_org(session)
    for n in range(POLICY.ip_throttle_threshold):
        _try(session, f"guess{n}@example.com", "bad-password", ip="192.0.2.9")
    throttled = _try(session, "seller@example.com", PASSWORD, ip="192.0.2.9")
    assert not throttled.ok and throttled.retry_after_seconds > 0
    assert _try(session, "seller@example.com", PASSWORD, ip="192.0.2.10").ok


def test_deactivated_user_cannot_sign_in_and_loses_sessions(session: Session) -> None:
    org = make_org(session)
    outcome = _try(session, "seller@example.com", PASSWORD)
    assert outcome.session_token
    org.user("seller").is_active = False
    session.flush()
    assert auth_service.principal_for_session(session, outcome.session_token) is None
    assert _try(session, "seller@example.com", PASSWORD).error == GENERIC_FAILURE


def test_sign_out_ends_the_session(session: Session) -> None:
    make_org(session)
    token = _try(session, "seller@example.com", PASSWORD).session_token
    assert token
    auth_service.sign_out(session, token)
    assert auth_service.principal_for_session(session, token) is None
    auth_service.sign_out(session, token)  # twice is harmless
    assert session.scalars(select(AuditEntry.action)).all().count("user.signed_out") == 1


def test_expired_session_is_refused(session: Session) -> None:
    make_org(session)
    token = _try(session, "seller@example.com", PASSWORD).session_token
    assert token
    web_session = session.scalars(select(WebSession)).one()
    web_session.expires_at = utcnow() - timedelta(seconds=1)
    session.flush()
    assert auth_service.principal_for_session(session, token) is None
