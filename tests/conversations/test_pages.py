"""The conversations pages through a browser-less client: plan a meeting from the opportunity,
the one-pager and sharing, logging with "Propose from text" then saving, the list and metrics,
the deal's panel, and bad input (400 with the form kept and nothing written; 404 out of scope;
403 for the price desk; a contributor sees no money)."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.conversations.builders import World, build_world
from tests.conversations.html_forms import form_fields
from tests.conversations.test_api import TRANSCRIPT
from tests.factories import csrf_from, sign_in
from valuescout.conversations.models import CallPlan, Interaction


@pytest.fixture()
def world(session_factory: sessionmaker[Session]) -> World:
    with session_factory() as s:
        made = build_world(s)
        s.commit()
        return made


def _count(session_factory: sessionmaker[Session], model: type) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_plan_a_meeting_and_share_it(client: TestClient, world: World) -> None:
    sign_in(client, world.org.user("seller").email)
    panel = client.get(f"/opportunities/{world.open_deal.id}/conversations/panel")
    assert panel.status_code == 200 and "Plan a meeting" in panel.text
    form = client.get(f"/opportunities/{world.open_deal.id}/call-plans/new")
    assert "Dana Whitfield" in form.text
    r = client.post(
        f"/opportunities/{world.open_deal.id}/call-plans",
        data={
            "csrf_token": csrf_from(form.text),
            "meeting_on": "2026-12-03",
            "attendee_ids": [str(world.plant_manager.id)],
            "goal": "Agree the downtime figure",
        },
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    page = client.get(r.headers["location"])
    text = unescape(page.text)
    assert "Agree the downtime figure" in text and "Plant manager: Because of" in text
    assert 'data-testid="share-plan"' in text and "@media print" not in text
    r = client.post(
        r.headers["location"] + "/share",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=True,
    )
    assert 'data-testid="plan-shared"' in r.text


def test_a_bad_plan_form_is_shown_again(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    sign_in(client, world.org.user("seller").email)
    form = client.get(f"/opportunities/{world.open_deal.id}/call-plans/new")
    r = client.post(
        f"/opportunities/{world.open_deal.id}/call-plans",
        data={"csrf_token": csrf_from(form.text), "meeting_on": "next week", "goal": "Kept"},
    )
    assert r.status_code == 400 and "Meeting day" in r.text and "Kept" in r.text
    assert _count(session_factory, CallPlan) == 0
    assert client.get(f"/opportunities/{world.other_deal.id}/call-plans/new").status_code == 404


def test_propose_from_text_then_save(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    sign_in(client, world.org.user("seller").email)
    form = client.get(f"/conversations/new?opportunity_id={world.open_deal.id}")
    assert form.status_code == 200 and "Harbour pumps" in form.text
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    base = {
        "csrf_token": csrf_from(form.text),
        "opportunity_id": str(world.open_deal.id),
        "occurred_on": yesterday,
        "kind": "meeting",
        "notes": TRANSCRIPT,
    }
    proposed = client.post("/conversations/new", data={**base, "action": "propose"})
    assert proposed.status_code == 200 and 'data-testid="proposal-note"' in proposed.text
    html = unescape(proposed.text)
    assert "If nothing changes, what will the downtime cost you next year?" in html
    assert _count(session_factory, Interaction) == 0  # proposing saves nothing
    # the user keeps what was proposed (the form's values as posted back) and saves
    fields = form_fields(proposed.text, "interaction-form")
    assert fields["notes"].strip() == TRANSCRIPT.strip()
    saved = client.post(
        "/conversations/new",
        data={**fields, "action": "save"},
        follow_redirects=False,
    )
    assert saved.status_code == 303, saved.text
    page = client.get(saved.headers["location"])
    assert "Value quality" in page.text and "expansion" in page.text
    listing = client.get("/conversations")
    assert listing.status_code == 200 and 'data-testid="interaction-row"' in listing.text
    assert 'data-testid="chart-trend"' in listing.text and "Price realisation" in listing.text


def test_a_bad_log_form_is_shown_again(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    sign_in(client, world.org.user("seller").email)
    form = client.get("/conversations/new")
    base = {"csrf_token": csrf_from(form.text), "occurred_on": "2026-01-05", "notes": "Kept notes"}
    cases = [
        ({"opportunity": "No such deal"}, "No opportunity named"),
        ({"opportunity": "Harbour pumps", "occurred_on": "yesterday"}, "Date"),
        (
            {"opportunity": "Harbour pumps", "person-0-contact_id": "999999", "person-0-name": "X"},
            "Contact 999999",
        ),
        (
            {
                "opportunity": "Harbour pumps",
                "outcome-0-text": "Savings",
                "outcome-0-amount": "lots",
            },
            "Outcome 1 amount",
        ),
        ({}, "account or the opportunity"),
    ]
    for extra, message in cases:
        r = client.post("/conversations/new", data={**base, **extra, "action": "save"})
        assert r.status_code == 400, extra
        assert message in unescape(r.text) and "Kept notes" in r.text, extra
    assert _count(session_factory, Interaction) == 0
    r = client.post("/conversations/new", data={**base, "action": "propose", "notes": " "})
    assert r.status_code == 400 and "paste the notes" in r.text


def test_who_may_do_what(client: TestClient, world: World) -> None:
    sign_in(client, world.org.user("price_desk").email)
    assert client.get("/conversations/new").status_code == 403
    assert client.get("/conversations").status_code == 200


def test_a_contributor_logs_by_name_and_sees_no_money(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    sign_in(client, world.org.user("contributor").email)
    form = client.get("/conversations/new")
    assert "Inland" in form.text and "Harbour pumps" in form.text  # names only
    r = client.post(
        "/conversations/new",
        data={
            "csrf_token": csrf_from(form.text),
            "opportunity": "inland",
            "occurred_on": date.today().isoformat(),
            "notes": "Met at the trade fair.",
            "insight-0-text": "Peers halved stops with condition monitoring.",
            "action": "save",
        },
        follow_redirects=True,
    )
    assert r.status_code == 200 and "Insights offered" in r.text
    listing = client.get("/conversations")
    assert "Price realisation" not in listing.text and "Inland" in listing.text
    assert (
        client.get(f"/opportunities/{world.other_deal.id}/conversations/panel").status_code == 404
    )
