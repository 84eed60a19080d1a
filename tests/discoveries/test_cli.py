"""`valuescout discoveries queue | ideas`: the operator's view of the queue by state, the
product ideas as a table, JSON and a spreadsheet-safe CSV file, and a clear error."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.cli.test_cli import cli_configured, invoke
from tests.deals.test_service_builders import principal
from tests.factories import Org, seeded_org
from valuescout.cli import context
from valuescout.discoveries import service
from valuescout.discoveries.schemas import DiscoveryIn, ReviewIn


@pytest.fixture()
def org(
    database_url: str, monkeypatch: pytest.MonkeyPatch, session_factory: sessionmaker[Session]
) -> Iterator[Org]:
    monkeypatch.setattr(context.console, "width", 250)
    with cli_configured(database_url, monkeypatch):
        made = seeded_org(session_factory)
        with session_factory() as s:
            who = principal(s, made.user("contributor"))
            for customer, outcome in (("=SUM(A1)", "Dry loading docks"), ("Norrland", "Quiet")):
                row = service.log_discovery(s, who, DiscoveryIn(
                    customer_name=customer, situation="Rain gets in.", desired_outcome=outcome,
                    value_hint="+5% output"))  # fmt: skip
            service.review(s, principal(s, made.user("admin")), row.id - 1, ReviewIn(
                action="decline", decline_reason="not_delivered"))  # fmt: skip
            s.commit()
        yield made


def test_queue_by_state(org: Org) -> None:
    code, out = invoke("discoveries", "queue")
    assert code == 0, out
    assert "Discoveries: new (1)" in out and "Quiet" in out and "Dry loading" not in out
    code, out = invoke("discoveries", "queue", "--status", "declined", "-f", "json")
    assert code == 0
    body = json.loads(out)
    assert [d["desired_outcome"] for d in body] == ["Dry loading docks"]
    assert body[0]["reported_by"] == org.user("contributor").full_name
    code, out = invoke("discoveries", "queue", "--status", "maybe")
    assert code == 2 and "maybe" in out


def test_ideas_table_json_and_csv(org: Org, tmp_path: Path) -> None:
    code, out = invoke("discoveries", "ideas")
    assert code == 0 and "Product ideas (1)" in out and "Dry loading docks" in out
    code, out = invoke("discoveries", "ideas", "-f", "json")
    assert json.loads(out)[0]["customers"] == ["=SUM(A1)"]
    target = tmp_path / "ideas.csv"
    code, out = invoke("discoveries", "ideas", "--csv", str(target))
    assert code == 0 and "1 product ideas written" in out
    rows = list(csv.reader(target.open(encoding="utf-8", newline="")))
    assert rows[1][0] == "Dry loading docks" and rows[1][2] == "'=SUM(A1)"
    assert rows[1][3] == "'+5% output"
    code, out = invoke("discoveries", "ideas", "--csv", str(tmp_path / "missing" / "x.csv"))
    assert code == 1 and "Cannot write" in out
