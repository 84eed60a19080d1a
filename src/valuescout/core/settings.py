"""One typed settings object, read from `VALUESCOUT_*` environment variables (and `.env`)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_SECRET_KEY = "dev-only-secret-change-me"  # noqa: S105 - the known default we refuse in production
SUPPORTED_URL_PREFIXES = ("sqlite://", "sqlite+pysqlite://", "postgresql+psycopg://")


class ConfigurationError(ValueError):
    """Settings that cannot run; the message is one line that says what to fix."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_prefix="VALUESCOUT_", env_file=".env", extra="ignore", validate_default=True
    )

    env: Literal["development", "production", "test"] = "production"
    data_dir: Path = Path("data")
    database_url: str = ""
    secret_key: str = DEFAULT_SECRET_KEY
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    host: str = "127.0.0.1"
    port: int = Field(default=8000, ge=1, le=65535)
    # Sign-in protection: lock an email after this many failures within the window.
    lockout_threshold: int = Field(default=5, ge=1)
    lockout_minutes: int = Field(default=15, ge=1)
    # Throttle one client address after this many failures within the same window.
    ip_throttle_threshold: int = Field(default=30, ge=1)
    session_hours: int = Field(default=12, ge=1)
    # API tokens (ADR 0013, per worker process): refuse an address for the rest of the window
    # after this many failed bearer tokens, and a token past its requests a minute.
    token_failure_threshold: int = Field(default=20, ge=1)
    token_failure_window_seconds: int = Field(default=300, ge=1)
    token_requests_per_minute: int = Field(default=600, ge=1)
    # Big enough for an 800,000-character network file even when every character is escaped.
    max_body_bytes: int = Field(default=5_000_000, ge=1024)
    # PostgreSQL connections each worker keeps open, and how many more it may open at peaks
    # (closed when returned while the pool is full). A worker runs up to 40 requests at once.
    db_pool_size: int = Field(default=10, ge=1)
    db_max_overflow: int = Field(default=20, ge=0)

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @model_validator(mode="after")
    def _check(self) -> Settings:
        if not self.database_url:
            self.database_url = f"sqlite:///{self.data_dir / 'valuescout.db'}"
        if self.database_url.startswith("postgresql://"):
            self.database_url = "postgresql+psycopg://" + self.database_url.removeprefix(
                "postgresql://"
            )
        if not self.database_url.startswith(SUPPORTED_URL_PREFIXES):
            scheme = self.database_url.split(":", 1)[0]
            raise ConfigurationError(
                f"VALUESCOUT_DATABASE_URL: unsupported scheme '{scheme}'; use sqlite:///PATH "
                "or postgresql+psycopg://USER@HOST:PORT/DB"
            )
        if self.env == "production" and self.secret_key == DEFAULT_SECRET_KEY:
            raise ConfigurationError(
                "VALUESCOUT_SECRET_KEY is left at its default; set a long random value "
                "(e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`) "
                "or set VALUESCOUT_ENV=development"
            )
        if self.env == "production" and len(self.secret_key) < 32:
            raise ConfigurationError(
                "VALUESCOUT_SECRET_KEY is too short; use at least 32 characters"
            )
        return self

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def secure_cookies(self) -> bool:
        return self.env == "production"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return load_settings()


def load_settings(**overrides: object) -> Settings:
    """Build settings, turning validation failures into one-line ConfigurationErrors."""
    from pydantic import ValidationError

    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ConfigurationError:
        raise
    except ValidationError as exc:
        first = exc.errors()[0]
        ctx_error = first.get("ctx", {}).get("error")
        if isinstance(ctx_error, ConfigurationError):
            raise ctx_error from None
        where = ".".join(str(p) for p in first["loc"]) or "settings"
        raise ConfigurationError(f"VALUESCOUT_{where.upper()}: {first['msg']}") from None
