"""Security primitives: password hashing (argon2), random tokens and their hashes, signing."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 10


def configure_password_hasher(*, time_cost: int, memory_cost: int) -> None:
    """Tests use cheap parameters; production keeps argon2-cffi's recommended defaults."""
    global _hasher
    _hasher = PasswordHasher(time_cost=time_cost, memory_cost=memory_cost, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


# A real hash to verify against when the user is unknown, so timing does not reveal it.
_DUMMY_HASH: str | None = None


def burn_verification_time(password: str) -> None:
    global _DUMMY_HASH
    if _DUMMY_HASH is None:
        _DUMMY_HASH = _hasher.hash(secrets.token_urlsafe(16))
    verify_password(_DUMMY_HASH, password)


def new_token(prefix: str) -> str:
    """A random bearer secret, e.g. `vs_...`; only its hash is stored."""
    return f"{prefix}_{secrets.token_urlsafe(32)}"


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def sign(secret_key: str, value: str) -> str:
    return hmac.new(secret_key.encode(), value.encode(), hashlib.sha256).hexdigest()


def constant_time_equal(a: str, b: str) -> bool:
    return hmac.compare_digest(a.encode(), b.encode())
