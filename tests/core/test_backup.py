"""Backup and restore: the demo company backed up, restored into an empty database, every
table compared; a snapshot that ignores writes made while it runs; refusals that change
nothing."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, func, select, text
from sqlalchemy.orm import sessionmaker
from typer.testing import CliRunner

from valuescout.cli.main import app as cli
from valuescout.core import backup, migrate
from valuescout.core.db import make_engine
from valuescout.core.errors import Invalid
from valuescout.core.settings import get_settings
from valuescout.demo.deals import DealScale
from valuescout.identity.models import Team
from valuescout.registry import metadata

SMALL = DealScale(accounts=12, opportunities=40)
TODAY = date(2026, 6, 15)


def _dump(engine: Engine, schema: MetaData = metadata) -> dict[str, list[tuple[Any, ...]]]:
    with engine.connect() as conn:
        out = {}
        for table in schema.sorted_tables:
            keys = list(table.primary_key.columns) or list(table.columns)
            out[table.name] = [tuple(r) for r in conn.execute(select(table).order_by(*keys))]
        return out


def _fresh_sqlite(tmp_path: Path, name: str) -> Engine:
    return make_engine(f"sqlite:///{tmp_path / name}")


@pytest.fixture()
def demo_engine(copy_demo: Callable[..., str]) -> Iterator[Engine]:
    """A copy of the shared small demo company (seeded once per backend), for this test."""
    engine = make_engine(copy_demo(seed=7, today=TODAY, deals=SMALL))
    with sessionmaker(bind=engine)() as s:
        # A team moved under a team made after it: its parent row comes later in id order.
        late = Team(name="Late team", kind="team", parent_id=None)
        s.add(late)
        s.flush()
        first = s.scalars(select(Team).order_by(Team.id)).first()
        assert first is not None and first.id < late.id
        first_parent = first.parent_id
        first.parent_id = late.id
        late.parent_id = first_parent
        s.commit()
    yield engine
    engine.dispose()


def test_demo_company_round_trips_table_for_table(demo_engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "demo.zip"
    summary = backup.backup(demo_engine, metadata, out)
    assert summary.revision == migrate.head_revision()
    assert summary.tables["opportunities"] == 40 and summary.rows > 1000

    target = _fresh_sqlite(tmp_path, "restored.db")
    restored = backup.restore(target, metadata, out)
    assert restored.tables == summary.tables
    assert migrate.current_revision(target) == migrate.head_revision()
    before, after = _dump(demo_engine), _dump(target)
    assert before.keys() == after.keys()
    for name in before:
        assert after[name] == before[name], name


def test_a_restored_database_backs_up_to_the_same_file(demo_engine: Engine, tmp_path: Path) -> None:
    """Backed up from either database (the suite runs on both), restored into SQLite, backed
    up again: the same rows, byte for byte — the file is portable."""
    out = tmp_path / "demo.zip"
    backup.backup(demo_engine, metadata, out)
    target = _fresh_sqlite(tmp_path, "other.db")
    backup.restore(target, metadata, out)
    again = tmp_path / "again.zip"
    backup.backup(target, metadata, again)
    with zipfile.ZipFile(out) as a, zipfile.ZipFile(again) as b:
        for name in a.namelist():
            if name.startswith("tables/"):
                assert a.read(name) == b.read(name), name


def test_a_write_during_the_backup_is_not_in_it(demo_engine: Engine, tmp_path: Path) -> None:
    writer = make_engine(demo_engine.url.render_as_string(hide_password=False))
    written: list[str] = []

    def write_once(table: str) -> None:
        if written:
            return
        with writer.begin() as conn:
            conn.execute(Team.__table__.insert().values(name="During backup", kind="team"))
        written.append(table)

    out = tmp_path / "snap.zip"
    summary = backup.backup(demo_engine, metadata, out, after_table=write_once)
    writer.dispose()
    assert written and summary.tables["teams"] == 10 + 1  # the demo's teams and "Late team"
    with demo_engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Team.__table__)) == 12


def test_restore_refuses_a_database_with_data(demo_engine: Engine, tmp_path: Path) -> None:
    out = tmp_path / "demo.zip"
    backup.backup(demo_engine, metadata, out)
    before = _dump(demo_engine)
    with pytest.raises(Invalid, match="already holds data"):
        backup.restore(demo_engine, metadata, out)
    assert _dump(demo_engine) == before


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda p: p.write_bytes(b"not a zip"), "not a ValueScout backup"),
        (lambda p: _rewrite_manifest(p, {"format": "other"}), "not a ValueScout backup"),
        (lambda p: _rewrite_manifest(p, {"version": 99}), "backup format 99"),
        (lambda p: _rewrite_manifest(p, {"revision": "9999"}), "does not know"),
        (lambda p: _rewrite_table(p, "teams", b"[1, 2]\n"), "tables/teams.jsonl line 1"),
        (lambda p: _rewrite_table(p, "teams", b"{oops\n"), "not valid JSON"),
    ],
)
def test_a_damaged_backup_is_refused_and_writes_nothing(
    demo_engine: Engine, tmp_path: Path, damage: Any, message: str
) -> None:
    out = tmp_path / "demo.zip"
    backup.backup(demo_engine, metadata, out)
    damage(out)
    target = _fresh_sqlite(tmp_path, "target.db")
    migrate.upgrade(target)
    before = _dump(target)
    with pytest.raises(Invalid, match=message):
        backup.restore(target, metadata, out)
    assert _dump(target) == before


def _rewrite(path: Path, replace: dict[str, bytes]) -> None:
    with zipfile.ZipFile(path) as archive:
        files = {n: archive.read(n) for n in archive.namelist()}
    files.update(replace)
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)


def _rewrite_manifest(path: Path, change: dict[str, Any]) -> None:
    with zipfile.ZipFile(path) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    _rewrite(path, {"manifest.json": json.dumps({**manifest, **change}).encode()})


def _rewrite_table(path: Path, table: str, data: bytes) -> None:
    _rewrite(path, {f"tables/{table}.jsonl": data})


def test_an_old_revision_backup_restores_and_migrates(tmp_path: Path) -> None:
    """A backup taken at the first schema revision restores at it, then migrates to head."""
    old = _fresh_sqlite(tmp_path, "old.db")
    migrate.upgrade(old, "0001")
    with old.begin() as conn:
        conn.execute(text("INSERT INTO teams (name, kind) VALUES ('Old company', 'company')"))
    out = tmp_path / "old.zip"
    summary = backup.backup(old, metadata, out)
    assert summary.revision == "0001" and summary.tables["teams"] == 1
    target = _fresh_sqlite(tmp_path, "new.db")
    backup.restore(target, metadata, out)
    assert migrate.current_revision(target) == migrate.head_revision()
    with target.connect() as conn:
        assert conn.scalar(text("SELECT name FROM teams")) == "Old company"


def test_cli_backs_up_and_restores(
    demo_engine: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from valuescout.cli import context

    database_url = demo_engine.url.render_as_string(hide_password=False)
    runner = CliRunner()
    out = tmp_path / "cli.zip"
    monkeypatch.setenv("VALUESCOUT_DATABASE_URL", database_url)
    monkeypatch.setenv("VALUESCOUT_SECRET_KEY", "x" * 48)
    monkeypatch.setenv("VALUESCOUT_ENV", "test")
    get_settings.cache_clear()
    context.engine.cache_clear()
    done = runner.invoke(cli, ["backup", "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "Backed up" in done.output and out.exists()
    again = runner.invoke(cli, ["backup", "--out", str(out)])
    assert again.exit_code == 1 and "--force" in again.output

    monkeypatch.setenv("VALUESCOUT_DATABASE_URL", f"sqlite:///{tmp_path / 'cli-restored.db'}")
    get_settings.cache_clear()
    context.engine.cache_clear()
    restored = runner.invoke(cli, ["restore", str(out)])
    assert restored.exit_code == 0, restored.output
    refused = runner.invoke(cli, ["restore", str(out)])
    assert refused.exit_code == 1 and "already holds data" in refused.output
    get_settings.cache_clear()
    context.engine.cache_clear()
