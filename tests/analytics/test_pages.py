"""Analytics pages and JSON API through a browser-less client: the dashboard's figures and its
drill-down links, the waterfall with a second slice, outliers, price bands, and the API's
answers and refusals."""

from __future__ import annotations

import re
import threading
import time
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.analytics.deal_builders import book
from tests.factories import Org, bearer, csrf_from, seeded_org, sign_in, token_for
from tests.shared_caches import sharing
from valuescout.analytics import answers, deal_snapshot


@pytest.fixture()
def org(session_factory: sessionmaker[Session]) -> Org:
    made = seeded_org(session_factory)
    with session_factory() as s:
        book(s, made)
        s.commit()
    return made


def _signed_in(client: TestClient, org: Org, role: str) -> TestClient:
    sign_in(client, org.user(role).email)
    return client


def _links(html: str, testid: str) -> list[str]:
    return [unescape(h) for h in re.findall(rf'<a href="([^"]+)" data-testid="{testid}"', html)]


def test_dashboard_shows_totals_and_drills_down(client: TestClient, org: Org) -> None:
    page = _signed_in(client, org, "executive").get("/analytics")
    assert page.status_code == 200
    assert "USD 3,250.00" in page.text  # discount given on won deals
    assert org.user("seller").full_name in page.text
    drill = _links(page.text, "drill")[0]  # the seller with the largest discount
    assert "by=customer" in drill and "where=rep%3D" in drill
    down = client.get(drill)
    assert down.status_code == 200
    assert "Alpha Ltd" in down.text and "Gamma AG" not in down.text
    assert 'data-testid="slice-filters"' in down.text
    assert 'data-testid="leakage"' in page.text


def test_dashboard_groups_by_two_dimensions_and_filters_by_period(
    client: TestClient, org: Org
) -> None:
    c = _signed_in(client, org, "executive")
    page = c.get("/analytics", params=[("by", "segment"), ("by", "deal_type")])
    assert page.status_code == 200
    assert page.text.count('data-testid="group-row"') == 2  # enterprise/new, mid-market/renewal
    empty = c.get("/analytics", params={"start": "2027-01-01"})
    assert 'data-testid="groups-empty"' in empty.text
    # the slice form as a browser sends it, blanks included
    blank = c.get("/analytics", params={"status": "won", "start": "", "end": "", "by": ""})
    assert blank.status_code == 200 and "3,250.00" in blank.text
    assert c.get("/analytics", params={"start": "0"}).status_code == 400


def test_waterfall_outliers_and_bands_pages(client: TestClient, org: Org) -> None:
    c = _signed_in(client, org, "price_desk")
    two = c.get(
        "/analytics/waterfall", params={"compare_dim": "segment", "compare_value": "mid-market"}
    )
    assert two.status_code == 200
    assert "Segment: mid-market" in two.text and "-250.00" in two.text
    assert c.get("/analytics/outliers", params={"actor": "customer"}).status_code == 200
    bands = c.get("/analytics/bands")
    assert bands.status_code == 200 and bands.text.count('data-testid="band-row"') == 1


def test_bad_page_input_is_a_clear_error(client: TestClient, org: Org) -> None:
    c = _signed_in(client, org, "admin")
    page = c.get("/analytics", params={"by": "colour"})
    assert page.status_code == 422 and "unknown dimension" in page.text
    assert c.get("/analytics", params={"where": "rep"}).status_code == 422
    assert c.get("/analytics", params={"start": "not a date"}).status_code in (400, 422)


def test_approvers_page_for_reviewers_only(client: TestClient, org: Org) -> None:
    c = _signed_in(client, org, "price_desk")
    page = c.get("/analytics/approvers")
    assert page.status_code == 200
    assert page.text.count('data-testid="approver-row"') == 2
    assert org.user("manager").full_name in page.text


def test_a_manager_has_no_approvers_page(client: TestClient, org: Org) -> None:
    c = _signed_in(client, org, "manager")
    assert c.get("/analytics/approvers").status_code == 403
    assert "/analytics/approvers" not in c.get("/analytics").text


def test_compensation_page_compares_plans(client: TestClient, org: Org) -> None:
    c = _signed_in(client, org, "executive")
    form = c.get("/analytics/compensation", params={"b": "gross-margin"})
    assert form.status_code == 200 and "name: Gross margin" in form.text
    revenue = "name: Revenue\nrevenue_commission:\n  rate: 0.10\n"
    margin = "name: Margin\nmargin_commission:\n  rate: 0.20\n"
    done = c.post(
        "/analytics/compensation",
        data={"csrf_token": csrf_from(form.text), "plan_a": revenue, "plan_b": margin},
    )
    assert done.status_code == 200
    assert "From Revenue to Margin" in done.text
    assert done.text.count('data-testid="switch-row"') == 2
    broken = c.post(
        "/analytics/compensation",
        data={"csrf_token": csrf_from(form.text), "plan_a": "name: [", "plan_b": margin},
    )
    assert broken.status_code == 422 and "Plan A: line" in broken.text
    assert "name: [" in broken.text  # the text is kept for correcting


def test_compensation_api(
    client: TestClient, org: Org, session_factory: sessionmaker[Session]
) -> None:
    auth = bearer(token_for(session_factory, org.user("manager")))
    body = {"plans": [{"source": "name: R\nrevenue_commission:\n  rate: 0.1\n"}]}
    out = client.post("/api/v1/analytics/compensation", json=body, headers=auth)
    assert out.status_code == 200
    assert [p["payout"] for p in out.json()["results"][0]["sellers"]] == [1275]
    bad = client.post(
        "/api/v1/analytics/compensation", json={"plans": [{"source": "x: 1"}]}, headers=auth
    )
    assert bad.status_code == 422 and "line 1" in bad.json()["error"]["message"]
    seller = bearer(token_for(session_factory, org.user("seller")))
    assert (
        client.post("/api/v1/analytics/compensation", json=body, headers=seller).status_code == 403
    )


@pytest.mark.parametrize("role", ["seller", "contributor"])
def test_sellers_and_contributors_get_no_page(client: TestClient, org: Org, role: str) -> None:
    c = _signed_in(client, org, role)
    page = c.get("/analytics")
    assert page.status_code == 403
    assert "3,250" not in page.text
    assert 'href="/analytics"' not in c.get("/").text  # not in their navigation


def test_api_answers_in_canonical_names(
    client: TestClient, org: Org, session_factory: sessionmaker[Session]
) -> None:
    auth = bearer(token_for(session_factory, org.user("executive")))
    body = client.get("/api/v1/analytics/discounts?by=rep&by=segment", headers=auth).json()
    assert body["by"] == ["rep", "segment"]
    assert body["total"]["discount"] == 3250 and body["total"]["list_revenue"] == 25000
    first = body["groups"][0]
    assert set(first["group"]) == {"rep_id", "segment"}
    for name in ("list_revenue", "invoice_revenue", "discount", "discount_rate"):
        assert name in first
    water = client.get(
        "/api/v1/analytics/waterfall?compare=segment=mid-market", headers=auth
    ).json()
    assert [s["list_revenue"] for s in water["slices"]] == [25000, 5000]
    outliers = client.get("/api/v1/analytics/outliers?actor=rep", headers=auth).json()
    assert outliers["actor"] == "rep"
    spread = client.get("/api/v1/analytics/concentration?across=customer", headers=auth).json()
    assert spread["sides"][0]["items"] == 3
    assert client.get("/api/v1/analytics/bands", headers=auth).json()["products"]
    leak = client.get("/api/v1/analytics/leakage?top=3", headers=auth).json()
    assert leak["discount"] == 3250 and leak["left_on_table"] == 0  # no value case here


def test_api_refuses_bad_input_and_wrong_roles(
    client: TestClient, org: Org, session_factory: sessionmaker[Session]
) -> None:
    auth = bearer(token_for(session_factory, org.user("executive")))
    bad = client.get("/api/v1/analytics/discounts?by=colour", headers=auth)
    assert bad.status_code == 422 and bad.json()["error"]["field"] == "by"
    assert client.get("/api/v1/analytics/discounts?where=x", headers=auth).status_code == 422
    assert client.get("/api/v1/analytics/discounts?status=maybe", headers=auth).status_code == 422
    seller = bearer(token_for(session_factory, org.user("seller")))
    refused = client.get("/api/v1/analytics/discounts", headers=seller)
    assert refused.status_code == 403 and "3250" not in refused.text
    assert client.get("/api/v1/analytics/discounts").status_code == 401


def test_a_blank_currency_means_the_company_currency(client: TestClient, org: Org) -> None:
    c = _signed_in(client, org, "executive")
    assert c.get("/analytics", params={"currency": ""}).status_code == 200
    assert c.get("/analytics", params={"currency": "E1"}).status_code == 400


@pytest.mark.parametrize("path", ["/analytics", "/analytics/waterfall", "/analytics/bands"])
def test_a_page_whose_figures_are_first_computed_says_so_and_reloads(
    client: TestClient, org: Org, monkeypatch: pytest.MonkeyPatch, path: str
) -> None:
    c = _signed_in(client, org, "manager")
    release = threading.Event()
    computing = answers.ANSWERS._refresh_behind

    def held(*args: object) -> None:  # the background computation waits until released
        key, version, compute = args
        computing(key, version, lambda: (release.wait(10), compute())[1])  # type: ignore[arg-type,operator]

    with sharing(monkeypatch, deal_snapshot.CACHE, answers.ANSWERS):
        monkeypatch.setattr(answers.ANSWERS, "_refresh_behind", held)
        # its own turn for background work: another test's may still hold the cache's
        monkeypatch.setattr(answers.ANSWERS, "_background", threading.Semaphore(1))
        first = c.get(path)
        assert first.status_code == 200 and 'data-testid="analytics-pending"' in first.text
        assert '<meta http-equiv="refresh" content="2">' in first.text
        assert "3,250" not in first.text  # no figures yet
        assert 'data-testid="analytics-pending"' in c.get(path).text  # one computation runs
        release.set()
        deadline = time.monotonic() + 60  # a busy CI machine computes slowly
        page = c.get(path)
        while 'data-testid="analytics-pending"' in page.text and time.monotonic() < deadline:
            time.sleep(0.1)
            page = c.get(path)
        assert page.status_code == 200 and "<h1>Computing" not in page.text
    assert c.get(path).text.count("<h1>") == page.text.count("<h1>")  # as computed in line


def test_no_pending_page_for_a_role_without_analytics(
    client: TestClient, org: Org, monkeypatch: pytest.MonkeyPatch
) -> None:
    c = _signed_in(client, org, "seller")
    with sharing(monkeypatch, deal_snapshot.CACHE, answers.ANSWERS):
        page = c.get("/analytics")
    assert page.status_code == 403 and "analytics-pending" not in page.text
