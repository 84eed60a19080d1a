"""The reputation check's API, page and CLI over a small book dated from today (the adapters
read the real current quarter): who may read and keep it, the figures, bad thresholds."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.analytics.deal_builders import account, deal, product
from tests.cli.test_cli import cli_configured, invoke
from tests.factories import Org, bearer, csrf_token, seeded_org, sign_in, token_for
from valuescout.assessments.engagement_models import ReputationSnapshot
from valuescout.cli import context
from valuescout.forecasting.periods import Period
from valuescout.rfp.models import RfpRecord

API = "/api/v1/reputation"


def reputation_book(session: Session, org: Org, tag: str = "") -> Period:
    """Last quarter: seller won 10 pumps at 700 (30% off) with a shaped RFP; seller_b won 10
    at 950 (5% off) with a customer-written RFP three competitors answered."""
    last = Period.containing(date.today()).previous()
    pump = product(session, f"Rep pump{tag}", "1000", "400")
    a, b = org.user("seller"), org.user("seller_b")
    acc_a = account(session, a, f"Reputation A{tag}", "small")
    acc_b = account(session, b, f"Reputation B{tag}", "small")
    day = last.start + timedelta(days=10)
    won_a = deal(session, a, acc_a, pump, [("10", "700")], close=day)
    won_b = deal(session, b, acc_b, pump, [("10", "950")], close=day)
    session.add_all([
        RfpRecord(opportunity_id=won_a.id, engagement_class="shaped", received_on=last.start),
        RfpRecord(opportunity_id=won_b.id, engagement_class="unknown", received_on=last.start,
                  competitors_responding=3, customer_written=True),
    ])  # fmt: skip
    session.flush()
    return last


@pytest.fixture()
def org(session_factory: sessionmaker[Session]) -> Org:
    made = seeded_org(session_factory)
    with session_factory() as s:
        reputation_book(s, made)
        s.commit()
    return made


def _as(sf: sessionmaker[Session], org: Org, role: str) -> dict[str, str]:
    return bearer(token_for(sf, org.user(role)))


def _last(body: dict[str, object]) -> dict[str, object]:
    quarters = body["quarters"]
    assert isinstance(quarters, list)
    return quarters[-2]  # type: ignore[no-any-return]


def test_the_company_and_the_team(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    body = client.get(API, headers=_as(session_factory, org, "executive")).json()
    last = _last(body)
    assert body["scope"] == "the company" and len(body["quarters"]) == 6
    assert (last["rfps"], last["shaped"], last["crowded"], last["won"]) == (2, 1, 1, 2)
    assert last["discount_dependence"] == "0.5000" and last["price_realisation"] == "0.8250"
    trends = {t["key"]: t for t in body["trends"]}
    assert trends["shaped_share"]["latest"] == "0.5000"
    assert body["reading"][0].startswith("Reading:")
    team = client.get(API, headers=_as(session_factory, org, "manager")).json()
    assert team["scope"] == "West A" and _last(team)["won"] == 1


@pytest.mark.parametrize("role", ["seller", "contributor"])
def test_nothing_company_wide_for_sellers_and_contributors(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, role: str
) -> None:
    headers = _as(session_factory, org, role)
    assert client.get(API, headers=headers).status_code == 403
    assert client.post(f"{API}/snapshots", json={}, headers=headers).status_code == 403
    assert client.get(f"{API}/snapshots", headers=headers).status_code == 403


def test_keep_and_list_snapshots(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    desk = _as(session_factory, org, "price_desk")
    kept = client.post(f"{API}/snapshots", json={"threshold": "0.25"}, headers=desk)
    assert kept.status_code == 201 and len(kept.json()) == 6
    listed = client.get(f"{API}/snapshots", headers=desk).json()
    assert len(listed) == 6 and listed[0]["scope"] == "the company"
    body = client.get(API, params={"threshold": "0.25"}, headers=desk).json()
    assert all(q["source"] == "stored" for q in body["quarters"])
    assert client.get(API, headers=desk).json()["quarters"][-1]["source"] == "live"


@pytest.mark.parametrize("bad", ["-0.1", "0.95", "lots", "NaN"])
def test_bad_thresholds(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, bad: str
) -> None:
    desk = _as(session_factory, org, "price_desk")
    assert client.get(API, params={"threshold": bad}, headers=desk).status_code == 422
    posted = client.post(f"{API}/snapshots", json={"threshold": bad}, headers=desk)
    assert posted.status_code == 422
    sign_in(client, org.user("price_desk").email)
    page = client.get("/assessments/reputation", params={"threshold": bad})
    assert page.status_code == 400 and "threshold" in page.text


def test_the_page(client: TestClient, session_factory: sessionmaker[Session], org: Org) -> None:
    sign_in(client, org.user("manager").email)
    page = client.get("/assessments/reputation")
    assert page.status_code == 200 and "Sales reputation: West A" in page.text
    assert 'data-testid="chart-reputation-trend"' in page.text
    assert client.get("/assessments/reputation", params={"threshold": ""}).status_code == 200
    token = csrf_token(client, "/assessments/reputation")
    form = {"csrf_token": token, "threshold": "0.2"}
    kept = client.post("/assessments/reputation/snapshots", data=form, follow_redirects=False)
    assert kept.status_code == 303 and kept.headers["location"].startswith("/assessments/reputa")
    assert "kept" in client.get(kept.headers["location"]).text
    refused = client.post("/assessments/reputation/snapshots",
                          data={"csrf_token": token, "threshold": "2"})  # fmt: skip
    assert refused.status_code == 400 and "nothing was kept" in refused.text
    sign_in(client, org.user("seller").email)
    assert client.get("/assessments/reputation").status_code == 403


@pytest.fixture()
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(context.console, "width", 250)
    with cli_configured(database_url, monkeypatch):
        yield


def test_the_cli(cli_env: None, org: Org, session_factory: sessionmaker[Session]) -> None:
    code, out = invoke("assess", "reputation", "--format", "json")
    assert code == 0, out
    body = json.loads(out)
    assert _last(body)["won"] == 2 and body["saved"] == []
    code, out = invoke("assess", "reputation", "--save", "--threshold", "0.1")
    assert code == 0 and "Sales reputation: the company" in out and "Kept:" in out
    with session_factory() as s:
        assert s.scalar(select(func.count(ReputationSnapshot.id))) == 6
    code, out = invoke("assess", "reputation", "--threshold", "2")
    assert code == 1 and "--threshold" in out
