"""Bad configuration stops start-up with one line that says what to fix."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from valuescout.core.settings import DEFAULT_SECRET_KEY, ConfigurationError, load_settings

GOOD_SECRET = "x" * 40


def test_defaults_in_development(tmp_path: Path) -> None:
    s = load_settings(env="development", data_dir=tmp_path)
    assert s.database_url == f"sqlite:///{tmp_path / 'valuescout.db'}"
    assert s.secret_key == DEFAULT_SECRET_KEY
    assert s.port == 8000


def test_plain_postgresql_url_uses_psycopg() -> None:
    s = load_settings(env="development", database_url="postgresql://u@h:5432/db")
    assert s.database_url == "postgresql+psycopg://u@h:5432/db"


@pytest.mark.parametrize("url", ["mysql://root@localhost/db", "oracle://x", "nonsense"])
def test_unknown_database_scheme_is_refused(url: str) -> None:
    with pytest.raises(ConfigurationError) as info:
        load_settings(env="development", database_url=url)
    assert "VALUESCOUT_DATABASE_URL" in str(info.value)
    assert "\n" not in str(info.value)


def test_default_secret_is_refused_in_production() -> None:
    with pytest.raises(ConfigurationError, match="VALUESCOUT_SECRET_KEY is left at its default"):
        load_settings(env="production", secret_key=DEFAULT_SECRET_KEY)


def test_short_secret_is_refused_in_production() -> None:
    with pytest.raises(ConfigurationError, match="too short"):
        load_settings(env="production", secret_key="short")


def test_production_with_a_real_secret_is_accepted() -> None:
    assert load_settings(env="production", secret_key=GOOD_SECRET).env == "production"


def test_bad_values_name_the_variable() -> None:
    with pytest.raises(ConfigurationError, match="VALUESCOUT_PORT"):
        load_settings(env="development", port=99999)
    with pytest.raises(ConfigurationError, match="VALUESCOUT_LOG_LEVEL"):
        load_settings(env="development", log_level="chatty")


def _run_cli(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "valuescout.cli", *args],
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "HOME": "/tmp", **env},
        timeout=60,
        check=False,
    )


def test_serve_with_default_secret_in_production_stops_with_one_line(tmp_path: Path) -> None:
    result = _run_cli("serve", env={"VALUESCOUT_DATA_DIR": str(tmp_path)})
    assert result.returncode == 2
    lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert "VALUESCOUT_SECRET_KEY" in lines[0]
    assert "Traceback" not in result.stderr


def test_serve_with_unknown_scheme_stops_with_one_line(tmp_path: Path) -> None:
    result = _run_cli(
        "serve",
        env={"VALUESCOUT_ENV": "development", "VALUESCOUT_DATABASE_URL": "mysql://x/y"},
    )
    assert result.returncode == 2
    assert "unsupported scheme 'mysql'" in result.stderr
    assert "Traceback" not in result.stderr
