"""Fuzzed backups: a real backup of the small demo company, damaged by Hypothesis (cells replaced
by any JSON, table files cut or with bytes changed, the manifest edited, the zip broken), then
restored into an empty database of the suite's backend. Either it restores, or the product's
own error says where, and the database is exactly as before: nothing half-restored."""

from __future__ import annotations

import json
import re
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import Engine, insert, select

from tests.reliability.fuzz_files import FUZZ
from tests.web import db_reset
from valuescout.core import backup
from valuescout.core.db import make_engine
from valuescout.core.errors import Invalid
from valuescout.demo.deals import DealScale
from valuescout.identity.models import Team
from valuescout.registry import metadata

SMALL = DealScale(accounts=12, opportunities=40)
TODAY = date(2026, 6, 15)
WHERE = re.compile(r"tables/\w+\.jsonl|manifest|backup|schema|Table \w+")
Files = dict[str, bytes]

JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats()
    | st.text(max_size=12)
    | st.sampled_from(["\x00", "\ud800", "x" * 300, "2026-13-45", "NaN", "1e999"]),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["d", "t", "day", "b", "j", "x"]), inner, max_size=2)
    ),
    max_leaves=5,
)


@pytest.fixture()
def demo_backup(copy_demo: Callable[..., str], tmp_path: Path) -> Files:
    source = make_engine(copy_demo(seed=7, today=TODAY, deals=SMALL))
    out = tmp_path / "demo.zip"
    backup.backup(source, metadata, out)
    source.dispose()
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


@pytest.fixture()
def target(engine: Engine) -> Iterator[tuple[Engine, db_reset.Rows]]:
    """The suite's fresh, migrated database, and its rows to come back to after a restore."""
    yield engine, db_reset.capture(engine)


def _zip(files: Files, path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return path


def _tables_with_rows(files: Files) -> list[str]:
    return sorted(n for n, data in files.items() if n.startswith("tables/") and data)


Edit = tuple[str, str, int, int, Any]  # kind, table file, line, position, value


@st.composite
def edits(draw: st.DrawFn, files: Files) -> list[Edit]:
    """A few damages, drawn as small tuples so a failing example prints short."""
    tables = _tables_with_rows(files)
    kinds = ["cell", "cell", "cut", "bytes", "drop", "dup", "manifest"]
    return [
        (
            draw(st.sampled_from(kinds)),
            draw(st.sampled_from(tables)),
            draw(st.integers(0, 10_000)),
            draw(st.integers(0, 10_000)),
            draw(JSON_VALUES | st.binary(min_size=1, max_size=4)),
        )
        for _ in range(draw(st.integers(1, 3)))
    ]


def damaged(files: Files, damages: list[Edit]) -> Files:
    files = dict(files)
    for kind, name, line, at, value in damages:
        lines = files[name].splitlines(keepends=True) or [b""]
        i = line % len(lines)
        if kind == "cell":
            try:
                row = json.loads(lines[i])
            except ValueError:
                continue  # an earlier edit broke this line already
            if isinstance(row, list) and row and not isinstance(value, bytes):
                row[at % len(row)] = value
                lines[i] = json.dumps(row).encode() + b"\n"
        elif kind == "cut":
            lines[i] = lines[i][: at % (len(lines[i]) + 1)]
            del lines[i + 1 :]
        elif kind == "bytes":
            at %= len(lines[i]) + 1
            junk = value if isinstance(value, bytes) else json.dumps(value).encode()
            lines[i] = lines[i][:at] + junk + lines[i][at:]
        elif kind == "drop":
            del lines[i]
        elif kind == "dup":
            lines.insert(i, lines[i])
        elif not isinstance(value, bytes):
            files["manifest.json"] = _edit_manifest(files["manifest.json"], name, at, value)
        files[name] = b"".join(lines)
    return files


def _edit_manifest(raw: bytes, table: str, at: int, value: Any) -> bytes:
    """One manifest field, or one table's entry in its columns or rows, set to `value`."""
    manifest = json.loads(raw)
    key = ["revision", "columns", "rows", "version", "columns", "rows"][at % 6]
    table = table.removeprefix("tables/").removesuffix(".jsonl")
    if at % 6 >= 4:
        manifest[key][table] = value
    else:
        manifest[key] = value
    return json.dumps(manifest).encode()


def _restore_or_refuse(target: tuple[Engine, db_reset.Rows], path: Path) -> str | None:
    """Restore; on a refusal, the message, after checking the database is unchanged."""
    engine, rows = target
    try:
        backup.restore(engine, metadata, path)
    except Invalid as exc:
        assert db_reset.capture(engine) == rows, "a refused restore changed the database"
        return exc.message
    db_reset.restore(engine, rows)  # restored: back to empty for the next example
    return None


def test_damaged_rows_and_manifests_are_restored_or_refused_whole(
    demo_backup: Files, target: tuple[Engine, db_reset.Rows], tmp_path: Path
) -> None:
    @FUZZ
    @given(edits(demo_backup))
    def check(damages: list[Edit]) -> None:
        files = damaged(demo_backup, damages)
        message = _restore_or_refuse(target, _zip(files, tmp_path / "damaged.zip"))
        assert message is None or WHERE.search(message), message

    check()


def test_a_broken_zip_is_refused_whole(
    demo_backup: Files, target: tuple[Engine, db_reset.Rows], tmp_path: Path
) -> None:
    whole = _zip(demo_backup, tmp_path / "whole.zip").read_bytes()

    @FUZZ
    @given(st.integers(0, len(whole) - 1), st.binary(min_size=1, max_size=8), st.booleans())
    def check(at: int, junk: bytes, cut: bool) -> None:
        broken = whole[:at] if cut else whole[:at] + junk + whole[at + len(junk) :]
        path = tmp_path / "broken.zip"
        path.write_bytes(broken)
        _restore_or_refuse(target, path)

    check()


def test_a_value_of_the_wrong_kind_is_refused_with_its_line_and_column(
    demo_backup: Files, target: tuple[Engine, db_reset.Rows], tmp_path: Path
) -> None:
    names = json.loads(demo_backup["manifest.json"])["columns"]["teams"]
    lines = demo_backup["tables/teams.jsonl"].splitlines(keepends=True)
    row = json.loads(lines[1])
    row[names.index("id")] = "two"  # SQLite would store it in the integer column as it is
    files = {
        **demo_backup,
        "tables/teams.jsonl": b"".join([lines[0], json.dumps(row).encode() + b"\n", *lines[2:]]),
    }
    message = _restore_or_refuse(target, _zip(files, tmp_path / "kind.zip"))
    assert message == 'tables/teams.jsonl line 2, column id: expected int, found "two".'


def test_a_duplicated_row_is_refused_naming_its_lines(
    demo_backup: Files, target: tuple[Engine, db_reset.Rows], tmp_path: Path
) -> None:
    lines = demo_backup["tables/accounts.jsonl"].splitlines(keepends=True)
    manifest = json.loads(demo_backup["manifest.json"])
    manifest["rows"]["accounts"] += 1
    files = {
        **demo_backup,
        "manifest.json": json.dumps(manifest).encode(),
        "tables/accounts.jsonl": b"".join([*lines, lines[0]]),
    }
    message = _restore_or_refuse(target, _zip(files, tmp_path / "dup.zip"))
    assert message is not None
    assert message.startswith(
        f"tables/accounts.jsonl lines 1-{len(lines) + 1}: the database refused"
    )


def test_a_lost_line_is_refused_as_incomplete(
    demo_backup: Files, target: tuple[Engine, db_reset.Rows], tmp_path: Path
) -> None:
    lines = demo_backup["tables/opportunities.jsonl"].splitlines(keepends=True)
    files = {**demo_backup, "tables/opportunities.jsonl": b"".join(lines[:-1])}
    message = _restore_or_refuse(target, _zip(files, tmp_path / "lost.zip"))
    assert message == (
        f"tables/opportunities.jsonl holds {len(lines) - 1} rows and the manifest counts "
        f"{len(lines)}: the backup is incomplete."
    )


def test_the_demo_restores_into_the_suites_database_and_takes_new_rows(
    demo_backup: Files, target: tuple[Engine, db_reset.Rows], tmp_path: Path
) -> None:
    """On PostgreSQL too: the sequences move past the restored ids."""
    engine, _ = target
    summary = backup.restore(engine, metadata, _zip(demo_backup, tmp_path / "demo.zip"))
    assert summary.tables["opportunities"] == 40
    with engine.begin() as conn:
        new_id = conn.execute(
            insert(Team).values(name="After restore", kind="team").returning(Team.id)
        ).scalar_one()
        assert new_id > max(conn.execute(select(Team.id).where(Team.id != new_id)).scalars())
