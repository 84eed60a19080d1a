"""`valuescout conversations metrics`: operator and users, table and JSON, refusals."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.cli.test_cli import cli_configured, invoke
from tests.conversations.builders import World, build_world
from tests.deals.test_service_builders import principal
from valuescout.cli import context
from valuescout.conversations import service
from valuescout.conversations.schemas import InteractionIn


@pytest.fixture()
def world(
    database_url: str, monkeypatch: pytest.MonkeyPatch, session_factory: sessionmaker[Session]
) -> Iterator[World]:
    monkeypatch.setattr(context.console, "width", 250)
    with cli_configured(database_url, monkeypatch):
        with session_factory() as s:
            made = build_world(s)
            day = date.today() - timedelta(days=3)
            for opp, who in ((made.won_deal, "seller"), (made.other_deal, "seller_b")):
                data = InteractionIn(
                    opportunity_id=opp.id,
                    occurred_on=day,
                    questions=[{"text": "What does a stop cost?", "kind": "expansion"}],  # type: ignore[list-item]
                )
                service.create_interaction(s, principal(s, made.org.user(who)), data, date.today())
            s.commit()
        yield made


def test_the_operator_reads_the_company(world: World) -> None:
    code, out = invoke("conversations", "metrics", "--by", "team", "-f", "json")
    assert code == 0, out
    body = json.loads(out)
    assert [g["label"] for g in body["groups"]] == ["West A", "West B"]
    assert body["groups"][0]["price_realisation"] == "0.8000" and body["sees_money"]
    code, out = invoke("conversations", "metrics")
    assert code == 0 and "Price realisation" in out and "15.0" in out  # 5 + the full share 10


def test_as_users_and_refusals(world: World) -> None:
    code, out = invoke("conversations", "metrics", "--as", "seller@example.com", "-f", "json")
    assert code == 0 and len(json.loads(out)["groups"]) == 1
    code, out = invoke("conversations", "metrics", "--as", "contrib@example.com", "-f", "json")
    assert code == 0 and json.loads(out)["groups"] == [] and not json.loads(out)["sees_money"]
    code, out = invoke("conversations", "metrics", "--as", "contrib@example.com")
    assert code == 0 and "No interactions" in out
    code, out = invoke("conversations", "metrics", "--by", "planet")
    assert code == 1 and "seller, team or role" in out
    code, out = invoke("conversations", "metrics", "--since", "last year")
    assert code == 1 and "YYYY-MM-DD" in out
    code, out = invoke(
        "conversations", "metrics", "--since", (date.today() - timedelta(days=1)).isoformat()
    )
    assert code == 0 and "No interactions" in out
