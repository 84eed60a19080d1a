"""`valuescout rfp analysis`: the operator's company-wide table and JSON, a user's scope with
--as, and the contributor refused."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date

import pytest
from sqlalchemy.orm import Session, sessionmaker

from tests.cli.test_cli import cli_configured, invoke
from tests.deals.test_service_builders import build_deal, principal
from tests.factories import Org, seeded_org
from valuescout.cli import context
from valuescout.rfp import service
from valuescout.rfp.schemas import RfpIn


@pytest.fixture()
def org(
    database_url: str, monkeypatch: pytest.MonkeyPatch, session_factory: sessionmaker[Session]
) -> Iterator[Org]:
    monkeypatch.setattr(context.console, "width", 250)
    with cli_configured(database_url, monkeypatch):
        made = seeded_org(session_factory)
        with session_factory() as s:
            for owner, cls, outcome in (
                ("seller", "shaped", "won"),
                ("seller_b", "unknown", "lost"),
            ):
                deal = build_deal(s, made.user(owner))
                service.create_rfp(s, principal(s, made.user(owner)), deal.opp_id, RfpIn(
                    engagement_class=cls, received_on=date(2026, 2, 1),
                    decided_on=date(2026, 3, 1), outcome=outcome))  # fmt: skip
            s.commit()
        yield made


def test_analysis(org: Org) -> None:
    code, out = invoke("rfp", "analysis")
    assert code == 0, out
    assert "RFP engagement: 2 RFPs" in out and "Shaped before release" in out
    assert "2026-Q1" in out
    code, out = invoke("rfp", "analysis", "--format", "json")
    body = json.loads(out)
    rates = {c["engagement_class"]: c["win_rate"] for c in body["classes"]}
    assert rates == {"unknown": "0.0000", "known": None, "contents": None, "shaped": "1.0000"}
    code, out = invoke("rfp", "analysis", "--as", "seller@example.com", "-f", "json")
    assert code == 0 and json.loads(out)["count"] == 1
    code, out = invoke("rfp", "analysis", "--as", "contrib@example.com")
    assert code == 1 and "does not allow" in out
    code, out = invoke("rfp", "analysis", "--as", "nobody@example.com")
    assert code == 1
