"""Coaching in Chromium on the demo company, with the strict CSP on: a manager records a
session with an agreed action for one of their sellers, sees it on the session page and in the
list, then finds it counted in the effectiveness view (per focus and under their own name);
a seller sees only their own sessions and ticks an action off; the console stays clean."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.e2e.conftest import LiveServer, sign_in, sign_in_ok
from valuescout.conversations import coaching_service
from valuescout.conversations.coaching_schemas import ActionIn, SessionIn
from valuescout.core.db import unit_of_work
from valuescout.identity.models import User
from valuescout.identity.service import principal_of

pytestmark = pytest.mark.e2e

MANAGER = "manager@kestrelflow.example"
MANAGER_NAME = "Marco Lindqvist"
SELLER = "seller@kestrelflow.example"
SELLER_NAME = "Sam Seller"
FOCUS = "Planning calls"


def _sessions_counted(page: Page, testid: str, *texts: str) -> int:
    """The 'R of N' sessions cell of the row holding every text (0 when there is none)."""
    rows = page.get_by_test_id(testid)
    for text in texts:
        rows = rows.filter(has_text=text)
    if rows.count() == 0:
        return 0
    found = re.search(r"(\d+) of (\d+)", rows.first.inner_text())
    assert found, rows.first.inner_text()
    return int(found.group(2))


def test_manager_records_a_session_and_sees_it_counted(
    page: Page, server: LiveServer, problems: list[str]
) -> None:
    sign_in_ok(page, MANAGER)
    page.goto(f"{server.base_url}/coaching/effectiveness")
    expect(page.get_by_role("heading", level=1)).to_have_text("Does the coaching work?")
    before = _sessions_counted(page, "by-coach-row", MANAGER_NAME, FOCUS)

    page.get_by_role("navigation", name="Coaching").get_by_role("link", name="Sessions").click()
    page.get_by_text("Record a coaching session").click()
    form = page.get_by_test_id("session-form")
    form.get_by_test_id("seller").select_option(label=SELLER_NAME)
    form.get_by_test_id("focus").select_option(label=FOCUS)
    form.get_by_test_id("notes").fill(
        "Plans written after the call, not before. Agreed to turn it round."
    )
    form.get_by_test_id("action-0").fill("Share a plan before Thursday's first meeting")
    due = form.get_by_test_id("held-on").input_value()
    form.get_by_test_id("action-0-due").fill(due)
    form.get_by_test_id("save-session").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"{FOCUS}: {SELLER_NAME}")
    expect(page.get_by_text("The coaching session is recorded.")).to_be_visible()
    expect(page.get_by_test_id("action-row")).to_contain_text("Share a plan before Thursday")
    expect(page.get_by_test_id("session-effect")).to_be_visible()

    page.get_by_role("navigation", name="Coaching").get_by_role(
        "link", name="Does it work?"
    ).click()
    expect(page.get_by_test_id("overall-row").filter(has_text=FOCUS)).to_be_visible()
    assert _sessions_counted(page, "by-coach-row", MANAGER_NAME, FOCUS) == before + 1
    chart = page.get_by_test_id("chart-effect")
    if chart.count():  # drawn when some focus has enough interactions to read
        expect(chart).to_have_attribute("data-vega-ready", "1")
        expect(chart.locator("svg").first).to_be_visible()
    assert problems == []


def _recorded_for_the_seller(server: LiveServer, action: str) -> int:
    """A session the manager recorded for the seller yesterday, with one action due today."""
    with unit_of_work(server.session_factory) as s:
        manager = s.scalar(select(User).where(User.email == MANAGER))
        seller = s.scalar(select(User).where(User.email == SELLER))
        assert manager is not None and seller is not None
        today = date.today()
        made = coaching_service.create_session(
            s, principal_of(manager),
            SessionIn(seller_id=seller.id, held_on=today - timedelta(days=1), focus="call_planning",
                      actions=[ActionIn(text=action, due_on=today)]),
            today,
        )  # fmt: skip
        return made.id


def test_seller_sees_own_sessions_and_ticks_an_action(
    page: Page, server: LiveServer, problems: list[str]
) -> None:
    action = "Write the plan for the Rotterdam visit"
    made = _recorded_for_the_seller(server, action)
    sign_in(page, SELLER)
    page.goto(f"{server.base_url}/coaching")
    expect(page.get_by_test_id("session-form")).to_have_count(0)
    rows = page.get_by_test_id("session-row")
    expect(rows.first).to_be_visible()
    for text in rows.all_inner_texts():
        assert SELLER_NAME in text
    page.locator(f"a[href='/coaching/{made}']").first.click()
    expect(page.get_by_test_id("session-meta")).to_contain_text("with your coach")
    row = page.get_by_test_id("action-row").filter(has_text=action)
    row.get_by_test_id("tick").click()
    expect(page.get_by_text("The action is done.")).to_be_visible()
    expect(page.get_by_test_id("action-row").filter(has_text=action)).to_contain_text("done ")
    assert problems == []
