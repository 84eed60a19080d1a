"""`valuescout import opportunities`: exit codes, the summary, the problem table, rejects."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.cli.test_cli import cli_configured, invoke
from tests.deals.importing.helpers import MAVEN, MAVEN_FILES, deal, make_world, write_csv
from valuescout.core.audit import AuditEntry
from valuescout.deals.models import Opportunity


@pytest.fixture()
def cli_env(
    database_url: str, monkeypatch: pytest.MonkeyPatch, session_factory: sessionmaker[Session]
) -> Iterator[None]:
    with session_factory() as s:
        make_world(s)
        s.commit()
    with cli_configured(database_url, monkeypatch):
        yield


def _opportunities(session_factory: sessionmaker[Session]) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(Opportunity)) or 0


def test_generic_import_then_reimport(
    cli_env: None, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "deals.csv", [deal("G-1"), deal("G-2", "Won", "10")])

    code, out = invoke("import", "opportunities", str(path))
    assert code == 0, out
    assert "Created 2 opportunities, updated 0, unchanged 0, rejected 0" in out

    write_csv(path, [deal("G-1"), deal("G-2", "Won", "12")])
    code, out = invoke("import", "opportunities", str(path), "--preset", "generic")
    assert code == 0, out
    assert "Created 0 opportunities, updated 1, unchanged 1" in out
    assert "1 history entries" in out
    with session_factory() as s:
        actors = set(
            s.scalars(
                select(AuditEntry.actor_email).where(AuditEntry.action == "opportunities.imported")
            )
        )
    assert len(actors) == 1 and next(iter(actors)).startswith("cli:")


def test_a_bad_file_lists_its_problems_and_exits_1(
    cli_env: None, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    rows = [deal("B-1"), deal("B-2", close_date="2024-13-01"), deal("B-3", stage="Done")]
    rows += [deal(f"B-{i}", amount="-1") for i in range(4, 60)]
    path = write_csv(tmp_path / "deals.csv", rows)

    code, out = invoke("import", "opportunities", str(path))

    assert code == 1
    assert "58 problems" in out and "file" in out and "column" in out
    assert "close_date" in out and "'2024-13-01' is not a date" in out
    assert "... and 8 more" in out
    assert "stage 'Done' (1 row)" in " ".join(out.split())  # under values that match nothing
    assert "Nothing was written." in out
    assert _opportunities(session_factory) == 0


def test_skip_invalid_writes_the_rejects_file(
    cli_env: None, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "deals.csv", [deal("S-1"), deal("S-2", amount="abc")])
    rejects = tmp_path / "REJECTS.csv"

    code, out = invoke("import", "opportunities", str(path), "--skip-invalid", str(rejects))

    assert code == 0, out
    assert "Wrote 1 rejected rows" in out and rejects.is_file()
    assert "S-2" in rejects.read_text(encoding="utf-8")
    assert _opportunities(session_factory) == 1


def test_encoding_hint_and_option(
    cli_env: None, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "excel.csv", [deal("E-1", name="Crème")], encoding="cp1252")

    code, out = invoke("import", "opportunities", str(path))
    assert code == 1 and "not valid utf-8" in out and "--encoding" in out

    code, out = invoke("import", "opportunities", str(path), "--encoding", "cp1252")
    assert code == 0, out
    assert _opportunities(session_factory) == 1


def test_create_missing_dry_run_and_bad_input(
    cli_env: None, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "deals.csv", [deal("M-1", owner="Nora New", account="Newco")])

    code, out = invoke("import", "opportunities", str(path), "--create-missing", "--dry-run")
    assert code == 0, out
    assert "dry run, nothing written" in out and "Would create 1 opportunities" in out
    assert _opportunities(session_factory) == 0

    code, out = invoke("import", "opportunities", str(path), "--create-missing")
    assert code == 0, out
    assert "1 users (who cannot sign in" in out and "1 accounts" in out

    code, out = invoke("import", "opportunities", str(path), "--preset", "sap")
    assert code == 2 and "Unknown preset 'sap'" in out
    code, out = invoke("import", "opportunities", str(tmp_path / "nope.csv"))
    assert code == 2 and "No such file" in out
    bad_mapping = tmp_path / "map.yaml"
    bad_mapping.write_text("colums: {}\n", encoding="utf-8")
    code, out = invoke("import", "opportunities", str(path), "--mapping", str(bad_mapping))
    assert code == 1 and "line 1: unknown section 'colums'" in out


@pytest.mark.skipif(not MAVEN.is_dir(), reason="the Maven CRM data set is not here")
def test_maven_preset_prints_what_it_resolved(
    cli_env: None, session_factory: sessionmaker[Session]
) -> None:
    code, out = invoke(
        "import", "opportunities", *[str(MAVEN / f) for f in MAVEN_FILES], "--preset", "maven"
    )

    assert code == 0, out
    assert "Created 8,800 opportunities" in out
    # The organisation's company and its West region exist already: Maven's teams join them.
    assert "41 users" in out and "8 teams" in out and "84" in out
    flat = " ".join(out.split())
    assert "product 'GTXPro' matched 'GTX Pro' ignoring spaces and case (1,480 rows)" in flat
    assert "sector 'technolgy' read as 'technology'" in flat
    assert "office_location 'Philipines' read as 'Philippines'" in flat
    assert "account blank on open deals: no account (1,425 rows)" in flat
    assert _opportunities(session_factory) == 8800
