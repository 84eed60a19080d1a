"""`valuescout forecast run | snapshot | accuracy`: as the operator and as a user (their scope
and rights), tables and JSON, snapshots taken today or rebuilt for a past day, and refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.cli.test_cli import cli_configured, invoke
from tests.factories import Org, seeded_org
from tests.forecasting.web_builders import Quarters, forecast_book
from valuescout.cli import context
from valuescout.core.audit import AuditEntry
from valuescout.forecasting.models import ForecastSnapshot


@pytest.fixture()
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(context.console, "width", 250)
    with cli_configured(database_url, monkeypatch):
        yield


@pytest.fixture()
def org(cli_env: None, session_factory: sessionmaker[Session]) -> Org:
    return seeded_org(session_factory)


@pytest.fixture()
def q(org: Org, session_factory: sessionmaker[Session]) -> Quarters:
    with session_factory() as s:
        made = forecast_book(s, org)
        s.commit()
    return made


def test_run_as_the_operator_and_as_users(org: Org, q: Quarters) -> None:
    code, out = invoke("forecast", "run", "--format", "json")
    assert code == 0, out
    body = json.loads(out)
    assert body["period"] == q.current.label and body["team_name"] == "Acme"
    assert body["deal_count"] == 3 and body["won"] == 3000
    code, out = invoke("forecast", "run", "--team", "west", "--period", q.current.label)
    assert code == 0, out
    assert "Forecast by method" in out and "Stage-weighted" in out and "West A" in out
    assert "Largest deals" in out and "Big A" in out
    code, out = invoke("forecast", "run", "--as", "manager@example.com", "-f", "json")
    assert code == 0 and json.loads(out)["team_name"] == "West A"
    assert "Open plant B" not in out
    code, out = invoke("forecast", "run", "--as", "seller.b@example.com", "-f", "json")
    assert json.loads(out)["deal_count"] == 1
    code, out = invoke(
        "forecast", "run", "--as", "manager@example.com", "--team", str(org.team_b.id)
    )
    assert code == 1 and "not found" in out
    code, out = invoke("forecast", "run", "--as", "contrib@example.com")
    assert code == 1 and "does not allow" in out
    code, out = invoke("forecast", "run", "--period", "2026-Q5")
    assert code == 1 and "YYYY-Qn" in out
    code, out = invoke("forecast", "run", "--team", "Nowhere")
    assert code == 1 and "No team named" in out
    code, out = invoke("forecast", "run", "--as", "nobody@example.com")
    assert code == 1 and "No user" in out


def test_snapshot_today_and_rebuilt(
    org: Org, q: Quarters, session_factory: sessionmaker[Session]
) -> None:
    code, out = invoke("forecast", "snapshot")
    assert code == 0, out
    assert f"of {q.current.label} (scheduled" in out and "4 deals frozen" in out
    code, out = invoke("forecast", "snapshot", "--as", "exec@example.com", "--period", q.next.label)
    assert code == 0 and "(manual" in out
    code, out = invoke("forecast", "snapshot", "--as", "manager@example.com")
    assert code == 1 and "does not allow" in out
    past = q.previous.start.isoformat()
    code, out = invoke("forecast", "snapshot", "--as-of", past)
    assert code == 0 and f"of {q.previous.label} (backfill, as of {past})" in out
    code, out = invoke("forecast", "snapshot", "--as-of", "2999-01-01")
    assert code == 1 and "before today" in out
    code, out = invoke("forecast", "snapshot", "--as-of", "yesterday")
    assert code == 1 and "YYYY-MM-DD" in out
    with session_factory() as s:
        kinds = [
            (x.kind, x.taken_by_id)
            for x in s.scalars(select(ForecastSnapshot).order_by(ForecastSnapshot.id))
        ]
        actions = s.scalars(
            select(AuditEntry.actor_email).where(AuditEntry.action.like("forecast_snapshot.%"))
        ).all()
    assert kinds == [("scheduled", None), ("manual", org.user("executive").id), ("backfill", None)]
    assert actions[0].startswith("cli:") and actions[1] == "exec@example.com"


def test_accuracy(org: Org, q: Quarters) -> None:
    code, out = invoke("forecast", "accuracy")
    assert code == 0 and "No closed quarter has a snapshot yet" in out
    code, out = invoke("forecast", "snapshot", "--as-of", q.previous.start.isoformat())
    assert code == 0, out
    code, out = invoke("forecast", "accuracy", "--format", "json")
    assert code == 0, out
    body = json.loads(out)
    assert [p["period"] for p in body["periods"]] == [q.previous.label]
    code, out = invoke("forecast", "accuracy", "--team", "West A")
    assert code == 0 and "Accuracy over the closed quarters" in out and "WAPE" in out
    code, out = invoke("forecast", "accuracy", "--as", "seller@example.com", "--team", "West B")
    assert code == 1 and "not found" in out
