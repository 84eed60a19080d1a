"""`valuescout valuenet import | export | lint | messages`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.cli.test_cli import cli_configured, invoke
from tests.valuenet.factories import small_spec
from valuescout.valuenet.fileformat import dump_json, dump_yaml
from valuescout.valuenet.models import ValueNetwork

EXAMPLE = Path(__file__).resolve().parents[2] / "examples"


@pytest.fixture()
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with cli_configured(database_url, monkeypatch):
        yield


def test_import_export_round_trip(cli_env: None, tmp_path: Path) -> None:
    source = tmp_path / "pumps.yaml"
    source.write_text(dump_yaml(small_spec()), encoding="utf-8")
    code, out = invoke("valuenet", "import", str(source))
    assert code == 0, out
    assert "Imported 'Pumps'" in out and "3 outcomes" in out
    target = tmp_path / "again.yaml"
    code, out = invoke("valuenet", "export", "Pumps", "--format", "yaml", "-o", str(target))
    assert code == 0, out
    assert target.read_bytes() == source.read_bytes()
    code, out = invoke("valuenet", "export", "pumps", "--format", "json")
    assert code == 0 and out == dump_json(small_spec())
    code, out = invoke("valuenet", "export", "Pumps", "--format", "mermaid")
    assert code == 0 and out.startswith("flowchart LR")
    code, out = invoke("valuenet", "export", "Pumps", "--format", "dot")
    assert code == 0 and out.startswith("digraph")


def test_the_articles_example_imports_cleanly_and_lints_clean(cli_env: None) -> None:
    files = sorted(EXAMPLE.glob("value-network-*.yaml"))
    assert files
    for file in files:
        code, out = invoke("valuenet", "import", str(file))
        assert code == 0, out
    code, out = invoke("valuenet", "lint", "Value-focused company culture")
    assert code == 0, out


def test_bad_file_lists_problems_with_lines_and_imports_nothing(
    cli_env: None, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    text = dump_yaml(small_spec()).replace("to: Calmer nights", "to: Nowhere")
    text = text.replace("- name: Higher output", "- name: Less downtime", 1)
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    code, out = invoke("valuenet", "import", str(bad))
    assert code == 1
    assert "nothing was imported" in out
    assert "line " in out and "Nowhere" in out and "Less downtime" in out
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ValueNetwork)) == 0
    wrong = tmp_path / "net.txt"
    wrong.write_text("name: x", encoding="utf-8")
    code, out = invoke("valuenet", "import", str(wrong))
    assert code == 1 and ".yaml" in out


def test_lint_and_messages(cli_env: None, tmp_path: Path) -> None:
    spec = small_spec()
    spec.outcomes.append(type(spec.outcomes[0])("Lonely outcome"))
    source = tmp_path / "pumps.yaml"
    source.write_text(dump_yaml(spec), encoding="utf-8")
    assert invoke("valuenet", "import", str(source))[0] == 0
    code, out = invoke("valuenet", "lint", "Pumps")
    assert code == 0, out  # warnings only: an orphan and an outcome without a persona
    assert "warning orphan" in out and "'Lonely outcome' is not linked" in out
    code, out = invoke(
        "valuenet", "messages", "Pumps", "--persona", "Plant manager", "--competitor", "Hydrix"
    )
    assert code == 0, out
    assert "Because of" in out and "?" in out
    code, out = invoke("valuenet", "messages", "Pumps", "--persona", "Nobody")
    assert code == 1 and "Nobody" in out
    circular = small_spec("Circular")
    link = type(circular.links[0])
    circular.links[2] = link("Higher output", "Less downtime")  # was two-way the other way
    circular.links.append(link("Calmer nights", "Higher output"))  # closes a one-way circle
    source.write_text(dump_yaml(circular), encoding="utf-8")
    assert invoke("valuenet", "import", str(source))[0] == 0
    code, out = invoke("valuenet", "lint", "Circular")
    assert code == 0 and "warning undeclared_cycle" in out  # reported, not fatal
    code, out = invoke("valuenet", "export", "Nothing here")
    assert code == 1 and "No value network named" in out
