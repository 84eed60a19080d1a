"""The forecast pages through a browser-less client: the team and quarter pickers, the range
chart's spec, the methods table, the drill-down to the teams below, the largest deals with
their probabilities and factors, the snapshot button (who sees it, the redirect and the
message), and the accuracy page with and without closed quarters."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_service_builders import principal
from tests.factories import Org, csrf_from, seeded_org, sign_in
from tests.forecasting.web_builders import Quarters, forecast_book, quarters
from valuescout.forecasting import snapshots
from valuescout.forecasting.pages import factor_words, quarter_choices
from valuescout.forecasting.periods import Period
from valuescout.forecasting.schemas import FactorOut


@pytest.fixture()
def org(session_factory: sessionmaker[Session]) -> Org:
    made = seeded_org(session_factory)
    with session_factory() as s:
        forecast_book(s, made)
        s.commit()
    return made


@pytest.fixture()
def q() -> Quarters:
    return quarters()


def _signed_in(client: TestClient, org: Org, role: str) -> TestClient:
    sign_in(client, org.user(role).email)
    return client


def _spec(html: str, testid: str) -> dict:  # type: ignore[type-arg]
    found = re.search(
        rf'data-testid="{testid}"><script type="application/json">(.*?)</script>', html, re.S
    )
    assert found, testid
    return json.loads(unescape(found.group(1)))


def test_forecast_page_for_the_executive(client: TestClient, org: Org, q: Quarters) -> None:
    page = _signed_in(client, org, "executive").get("/forecast")
    assert page.status_code == 200
    html = page.text
    assert f"Forecast: Acme, {q.current.label}" in unescape(html)
    spec = _spec(html, "chart-range")
    assert [v["method"] for v in spec["data"]["values"]] == [
        "Stage-weighted", "Fit + engagement", "Value-informed", "History-trained",
    ]  # fmt: skip
    assert html.count('data-testid="method-row"') == 4
    assert html.count('data-testid="deal-row"') == 3
    assert "Open plant A" in html and "Open plant B" in html
    assert "raises the chance" in html or "lowers the chance" in html
    for name in ("Acme", "West", "West A", "West B"):
        assert f">{name}</option>" in unescape(html).replace("\u00a0", "")
    assert f'value="{q.next.label}"' in html and f'value="{q.previous.label}"' in html
    assert 'data-testid="snapshot-form"' in html
    drill = re.findall(r'<a href="([^"]+)" data-testid="drill">West</a>', html)
    assert drill and f"team_id={org.region.id}" in unescape(drill[0])
    west = client.get(unescape(drill[0]))
    assert west.status_code == 200
    assert re.findall(r'data-testid="drill">([^<]+)</a>', west.text) == ["West A", "West B"]
    team_b = client.get(f"/forecast?team_id={org.team_b.id}&period={q.current.label}")
    assert "Open plant B" in team_b.text and "Open plant A" not in team_b.text


def test_manager_and_seller_see_their_own(client: TestClient, org: Org, q: Quarters) -> None:
    page = _signed_in(client, org, "manager").get("/forecast")
    assert page.status_code == 200
    assert "Forecast: West A" in page.text and "Open plant B" not in page.text
    assert ">West B<" not in page.text  # not in the team picker either
    assert 'data-testid="snapshot-form"' not in page.text
    assert client.get(f"/forecast?team_id={org.team_b.id}").status_code == 404
    assert client.get("/forecast?period=2026-Q7").status_code == 400  # a page: bad request
    assert client.get("/forecast?period=&team_id=").status_code == 200  # blank = default


def test_seller_has_no_team_picker(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    made = seeded_org(session_factory)
    with session_factory() as s:
        forecast_book(s, made)
        s.commit()
    page = _signed_in(client, made, "seller_b").get("/forecast")
    assert page.status_code == 200
    assert 'data-testid="team-picker"' not in page.text
    assert "Open plant B" in page.text and "Open plant A" not in page.text


def test_contributor_is_refused(client: TestClient, org: Org) -> None:
    client = _signed_in(client, org, "contributor")
    assert client.get("/forecast").status_code == 403
    assert client.get("/forecast/accuracy").status_code == 403
    assert 'href="/forecast"' not in client.get("/").text  # not in the navigation


def test_snapshot_button_redirects_back_with_a_message(
    client: TestClient, org: Org, q: Quarters
) -> None:
    page = _signed_in(client, org, "executive").get(f"/forecast?team_id={org.region.id}")
    done = client.post(
        "/forecast/snapshots",
        data={"period": q.current.label, "team_id": str(org.region.id),
              "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )  # fmt: skip
    assert done.status_code == 303
    assert done.headers["location"] == f"/forecast?period={q.current.label}&team_id={org.region.id}"
    back = client.get(done.headers["location"])
    assert f"Snapshot of {q.current.label} taken: 4 deals" in back.text
    refused = client.post(
        "/forecast/snapshots",
        data={"period": "nope", "csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert refused.status_code == 422
    no_csrf = client.post("/forecast/snapshots", data={"period": q.current.label})
    assert no_csrf.status_code == 403


def test_accuracy_page(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, q: Quarters
) -> None:
    empty = _signed_in(client, org, "executive").get("/forecast/accuracy")
    assert empty.status_code == 200 and 'data-testid="no-periods"' in empty.text
    with session_factory() as s:
        admin = principal(s, org.user("admin"))
        snapshots.take(s, admin, q.previous, q.previous.start)
        s.commit()
    page = client.get("/forecast/accuracy")
    assert page.status_code == 200
    assert page.text.count('data-testid="summary-row"') == 4
    assert page.text.count('data-testid="period-row"') == 1
    assert 'data-testid="verdict"' in page.text and "Trust <strong>" in page.text
    errors = _spec(page.text, "chart-errors")
    assert {v["period"] for v in errors["layer"][1]["data"]["values"]} == {q.previous.label}
    manager = TestClient(client.app)
    sign_in(manager, org.user("manager").email)
    assert manager.get(f"/forecast/accuracy?team_id={org.team_b.id}").status_code == 404


def test_quarter_choices_and_factor_words() -> None:
    from datetime import date

    got = quarter_choices(date(2026, 11, 15), Period(2026, 4))
    assert [p.label for p in got] == [
        "2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2027-Q1", "2027-Q2", "2027-Q3",
    ]  # fmt: skip
    assert quarter_choices(date(2026, 11, 15), Period(2020, 1))[0] == Period(2020, 1)
    assert factor_words(FactorOut(column="deal_type", value="renewal", contribution=0.4)) == (
        "deal type is renewal"
    )
    assert factor_words(FactorOut(column="rfp", value="missing", contribution=-0.1)) == (
        "RFP not known"
    )
