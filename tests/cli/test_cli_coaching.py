"""`valuescout coaching sessions | effectiveness`: operator and users, table and JSON, refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.cli.test_cli import cli_configured, invoke
from tests.conversations.coaching_builders import coached_world
from tests.factories import Org, seeded_org
from valuescout.cli import context


@pytest.fixture()
def org(
    database_url: str, monkeypatch: pytest.MonkeyPatch, session_factory: sessionmaker[Session]
) -> Iterator[Org]:
    monkeypatch.setattr(context.console, "width", 250)
    with cli_configured(database_url, monkeypatch):
        made = seeded_org(session_factory)
        with session_factory() as s:
            coached_world(s, made)
            s.commit()
        yield made


def test_effectiveness_as_json_and_table(org: Org) -> None:
    code, out = invoke("coaching", "effectiveness", "--format", "json")
    assert code == 0, out
    body = json.loads(out)
    assert body["window_days"] == 90
    (row,) = body["overall"]
    assert row["focus"] == "expansion_questions" and row["effect"] == pytest.approx(1.5)
    assert row["interactions_coached_before"] == 4
    code, out = invoke("coaching", "effectiveness")
    assert code == 0 and "Asking expansion questions" in out and "+1.50" in out
    code, out = invoke("coaching", "effectiveness", "--window", "10", "-f", "json")
    assert json.loads(out)["overall"][0]["effect"] is None


def test_as_users_and_refusals(org: Org) -> None:
    code, out = invoke("coaching", "effectiveness", "--as", "manager@example.com", "-f", "json")
    assert code == 0 and json.loads(out)["overall"][0]["sessions"] == 1
    code, out = invoke("coaching", "effectiveness", "--as", "seller@example.com")
    assert code == 1 and "not allow" in out
    code, out = invoke("coaching", "sessions", "--as", "seller.b@example.com", "-f", "json")
    assert code == 0 and json.loads(out) == []
    code, out = invoke("coaching", "sessions", "--as", "seller@example.com")
    assert code == 0 and "Asking expansion questions" in out
    code, out = invoke("coaching", "effectiveness", "--window", "0")
    assert code == 1 and "window_days" in out
