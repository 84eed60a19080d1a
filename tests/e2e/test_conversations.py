"""Call plan to logged interaction in Chromium on the demo company, strict CSP on: a seller
opens one of their open deals, plans a meeting with an attendee, shares the plan with their
manager, logs the meeting from pasted notes ("Propose from text" fills the fields, the seller
saves them) and finds it in the conversations list with its score; the console stays clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.e2e.conftest import LiveServer, sign_in_ok
from valuescout.deals.models import Contact, Opportunity, Stage
from valuescout.identity.models import User
from valuescout.valuenet.models import Persona

pytestmark = pytest.mark.e2e

SELLER = "seller@kestrelflow.example"


def _open_deal(server: LiveServer) -> tuple[int, str, str]:
    """One of the seller's open deals with a contact whose persona is in the deal's value
    network: its id, name and that contact's name."""
    with server.session_factory() as s:
        row = s.execute(
            select(Opportunity.id, Opportunity.name, Contact.name)
            .join(User, User.id == Opportunity.owner_id)
            .join(Stage, Stage.id == Opportunity.stage_id)
            .join(Contact, Contact.account_id == Opportunity.account_id)
            .join(Persona, Persona.id == Contact.persona_id)
            .where(
                User.email == SELLER,
                Stage.outcome == "open",
                Opportunity.value_network_id.is_not(None),
                Persona.network_id == Opportunity.value_network_id,
            )
            .order_by(Opportunity.id, Contact.id)
            .limit(1)
        ).first()
    assert row is not None, "the demo seller has no open deal with a network and personas"
    return row[0], row[1], row[2]


def test_from_call_plan_to_logged_interaction(
    page: Page, server: LiveServer, problems: list[str]
) -> None:
    opp_id, deal_name, contact = _open_deal(server)
    sign_in_ok(page, SELLER)
    page.goto(f"{server.base_url}/opportunities/{opp_id}")
    panel = page.get_by_test_id("conversations-panel")
    expect(panel).to_be_visible()
    panel.get_by_test_id("plan-meeting").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Plan a meeting: {deal_name}")
    page.get_by_label(re.compile(re.escape(contact))).check()
    page.get_by_test_id("create-plan").click()

    expect(page.get_by_test_id("call-plan")).to_be_visible()
    expect(page.get_by_test_id("plan-attendees")).to_contain_text(contact)
    expect(page.get_by_test_id("plan-hypotheses").locator("li").first).to_contain_text("Because of")
    expect(page.get_by_test_id("plan-questions").locator("li")).not_to_have_count(0)
    page.get_by_test_id("share-plan").click()
    expect(page.get_by_test_id("plan-shared")).to_be_visible()

    page.get_by_test_id("log-from-plan").click()
    expect(page.get_by_test_id("form-opportunity")).to_have_text(deal_name)
    page.get_by_test_id("notes").fill(
        f"{contact.split()[0]}: Downtime on the main line is our biggest worry this year.\n"
        "Sam: Plants like yours usually find most stops start with a part nobody watched.\n"
        "Sam: If nothing changes, what will the downtime cost you next year?\n"
        "Sam: Who else has to sign off on a change like this?\n"
    )
    page.get_by_test_id("propose").click()
    expect(page.get_by_test_id("proposal-note")).to_be_visible()
    expect(page.get_by_test_id("question-text").first).to_have_value(
        "If nothing changes, what will the downtime cost you next year?"
    )
    expect(page.get_by_test_id("question-kind").first).to_have_value("expansion")
    expect(page.get_by_test_id("insight-text").first).not_to_have_value("")
    page.get_by_test_id("save-interaction").click()

    score = page.get_by_test_id("quality-score")
    expect(score).to_have_text(re.compile(r"^\d+$"))
    value = score.inner_text()
    assert int(value) > 0
    page.goto(f"{server.base_url}/conversations")
    first = page.get_by_test_id("interaction-row").first
    expect(first).to_contain_text(deal_name)
    expect(first.get_by_test_id("score")).to_have_text(value)
    expect(page.get_by_test_id("chart-trend")).to_have_attribute("data-vega-ready", "1")
    assert problems == []
