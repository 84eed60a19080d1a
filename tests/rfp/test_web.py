"""RFP records through the JSON API and the pages: record, read, replace, delete; the deal's
class follows; bad input named (API 422, pages 400 with the form again); contributors see no
analysis; the analysis page's table and charts."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_service_builders import Built, seeded_deal
from tests.factories import Org, bearer, csrf_token, seeded_org, sign_in, token_for
from valuescout.deals.models import Opportunity
from valuescout.rfp.models import RfpRecord

API = "/api/v1/rfps"
BODY = {"engagement_class": "shaped", "received_on": "2026-02-10", "due_on": "2026-03-01",
        "competitors_responding": 2, "customer_written": False}  # fmt: skip


@pytest.fixture()
def org(session_factory: sessionmaker[Session]) -> Org:
    return seeded_org(session_factory)


@pytest.fixture()
def deal(session_factory: sessionmaker[Session], org: Org) -> Built:
    return seeded_deal(session_factory, org.user("seller"))


def auth(session_factory: sessionmaker[Session], org: Org, role: str) -> dict[str, str]:
    return bearer(token_for(session_factory, org.user(role)))


def rfp_class(session_factory: sessionmaker[Session], opp_id: int) -> str:
    with session_factory() as s:
        opp = s.get(Opportunity, opp_id)
        assert opp is not None
        return opp.rfp_class


def test_api_round_trip(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, deal: Built
) -> None:
    seller = auth(session_factory, org, "seller")
    made = client.post(f"{API}/opportunities/{deal.opp_id}", json=BODY, headers=seller)
    assert made.status_code == 201, made.text
    rid = made.json()["id"]
    assert rfp_class(session_factory, deal.opp_id) == "shaped"
    assert [r["id"] for r in client.get(API, headers=seller).json()] == [rid]
    changed = {**BODY, "engagement_class": "known", "outcome": "won", "decided_on": "2026-04-01"}
    one = f"{API}/records/{rid}"
    assert client.put(one, json=changed, headers=seller).json()["outcome"] == "won"
    assert rfp_class(session_factory, deal.opp_id) == "known"
    analysis = client.get(f"{API}/analysis", headers=seller).json()
    known = {c["engagement_class"]: c for c in analysis["classes"]}["known"]
    assert known["won"] == 1 and known["win_rate"] == "1.0000"
    contributor = auth(session_factory, org, "contributor")
    assert client.get(f"{API}/analysis", headers=contributor).status_code == 403
    assert client.get(f"{API}/records/{rid}", headers=contributor).status_code == 404
    seller_b = auth(session_factory, org, "seller_b")
    assert client.get(one, headers=seller_b).status_code == 404
    desk = auth(session_factory, org, "price_desk")
    assert client.delete(f"{API}/records/{rid}", headers=desk).status_code == 403
    assert client.delete(f"{API}/records/{rid}", headers=seller).status_code == 204
    assert rfp_class(session_factory, deal.opp_id) == "none"


def test_api_names_bad_input(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, deal: Built
) -> None:
    seller = auth(session_factory, org, "seller")
    url = f"{API}/opportunities/{deal.opp_id}"
    for bad, where in (
        ({"engagement_class": "none"}, "engagement_class"),
        ({"due_on": "2026-01-01"}, "due_on"),
        ({"competitors_responding": -1}, "competitors_responding"),
        ({"outcome": "maybe"}, "outcome"),
        ({"received_on": "10/02/2026"}, "received_on"),
    ):
        out = client.post(url, json={**BODY, **bad}, headers=seller)
        assert out.status_code == 422 and where in out.text, bad
    assert client.post(f"{API}/opportunities/999999", json=BODY, headers=seller).status_code == 404
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(RfpRecord)) == 0


def _spec(html: str, testid: str) -> dict:  # type: ignore[type-arg]
    found = re.search(
        rf'data-testid="{testid}"><script type="application/json">(.*?)</script>', html, re.S
    )
    assert found, testid
    return json.loads(unescape(found.group(1)))


def test_pages(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, deal: Built
) -> None:
    sign_in(client, org.user("seller").email)
    page = f"/opportunities/{deal.opp_id}/rfps"
    assert 'data-testid="rfp-form"' in client.get(page).text
    form = {"engagement_class": "contents", "received_on": "2026-01-05", "outcome": "lost",
            "decided_on": "2026-02-01", "competitors_responding": "4", "customer_written": "on",
            "csrf_token": csrf_token(client, page)}  # fmt: skip
    bad = client.post(page, data={**form, "decided_on": "2025-12-01"})
    assert bad.status_code == 400 and "decided_on: comes before" in unescape(bad.text)
    assert 'value="2025-12-01"' in bad.text
    assert client.post(page, data={**form, "received_on": "soon"}).status_code == 400
    done = client.post(page, data=form, follow_redirects=False)
    assert done.status_code == 303
    assert rfp_class(session_factory, deal.opp_id) == "contents"
    listing = client.get("/rfps")
    assert listing.status_code == 200 and 'data-testid="analysis"' in listing.text
    spec = _spec(listing.text, "chart-share")
    assert spec["data"]["values"] == [
        {"quarter": "2026-Q1", "class": "Contents known, not shaped", "rfps": 1}
    ]
    assert _spec(listing.text, "chart-win-rate")["data"]["values"][0]["win_rate"] == 0
    with session_factory() as s:
        rid = s.scalar(select(RfpRecord.id))
    edit = client.get(f"/rfps/{rid}")
    assert edit.status_code == 200 and 'value="2026-01-05"' in edit.text and "checked" in edit.text
    client.cookies.clear()
    sign_in(client, org.user("contributor").email)
    mine = client.get("/rfps")
    assert mine.status_code == 200 and 'data-testid="analysis"' not in mine.text
    assert client.get(page).status_code == 404
    client.cookies.clear()
    sign_in(client, org.user("price_desk").email)
    assert 'data-testid="rfp-form"' not in client.get(page).text
    token = csrf_token(client, page)
    assert client.post(f"/rfps/{rid}/delete", data={"csrf_token": token}).status_code == 403
