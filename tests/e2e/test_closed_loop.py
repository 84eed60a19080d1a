"""The value-scout loop in Chromium on the demo company, strict CSP on: a seller plans a
meeting from the value network, logs it from pasted notes, and records the customer's value
gap as a discovery; their manager (an editor of the network) attaches it to the outcome the
plan asked to quantify; the seller's call plan now shows what the customer said. The console
stays clean."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect
from sqlalchemy import select

from tests.e2e.conftest import LiveServer, sign_in_ok
from tests.e2e.test_conversations import SELLER, _open_deal
from valuescout.deals.models import Opportunity
from valuescout.valuenet.models import ValueNetwork

pytestmark = pytest.mark.e2e

MANAGER = "manager@kestrelflow.example"
WANTED = "Know a week ahead which pump will stop next"


def _network_name(server: LiveServer, opp_id: int) -> str:
    with server.session_factory() as s:
        name = s.scalar(
            select(ValueNetwork.name)
            .join(Opportunity, Opportunity.value_network_id == ValueNetwork.id)
            .where(Opportunity.id == opp_id)
        )
    assert name is not None
    return name


def test_plan_log_discover_accept_and_the_plan_hears_it(
    page: Page, new_context: Callable[[], BrowserContext], server: LiveServer, problems: list[str]
) -> None:
    opp_id, deal_name, contact = _open_deal(server)
    network = _network_name(server, opp_id)

    # The seller plans the meeting; the plan names an outcome to quantify.
    sign_in_ok(page, SELLER)
    page.goto(f"{server.base_url}/opportunities/{opp_id}/call-plans/new")
    page.get_by_label(re.compile(re.escape(contact))).check()
    page.get_by_test_id("create-plan").click()
    expect(page.get_by_test_id("call-plan")).to_be_visible()
    plan_url = page.url
    outcome = page.get_by_test_id("plan-quantify").locator("li").first.inner_text()
    outcome = outcome.split(":", 1)[0].strip()
    expect(page.get_by_test_id("call-plan")).not_to_contain_text(WANTED)

    # ... logs the meeting from the notes ...
    page.get_by_test_id("log-from-plan").click()
    page.get_by_test_id("notes").fill(
        f"{contact.split()[0]}: We never know which pump goes next; last month two stopped.\n"
        "Sam: What did those two stops cost the plant in lost output?\n"
    )
    page.get_by_test_id("propose").click()
    expect(page.get_by_test_id("question-kind").first).to_have_value("expansion")
    page.get_by_test_id("save-interaction").click()
    expect(page.get_by_test_id("quality-score")).to_have_text(re.compile(r"^\d+$"))

    # ... and records the value gap the customer described.
    page.goto(f"{server.base_url}/discoveries")
    form = page.get_by_test_id("log-form")
    form.get_by_label("Customer's name").fill(f"{deal_name} (customer)")
    form.get_by_label("Their situation").fill("Two pumps stopped last month without warning.")
    form.get_by_label("The outcome they want").fill(WANTED)
    form.get_by_label("What it is worth to them (in their words)").fill("two days of output")
    form.get_by_label("Value network it relates to").select_option(label=network)
    form.get_by_test_id("log-submit").click()
    expect(page).to_have_url(re.compile(r"/discoveries/\d+$"))
    discovery_url = page.url

    # The manager attaches it to the outcome the plan asked to quantify.
    editor = new_context().new_page()
    editor.on(
        "console",
        lambda m: (
            problems.append(m.text)
            if m.type == "error" or "Content Security Policy" in m.text
            else None
        ),
    )
    sign_in_ok(editor, MANAGER)
    editor.goto(discovery_url)
    attach = editor.get_by_test_id("attach-form")
    option = attach.locator(f'optgroup[label="{network}"] option', has_text=outcome).first
    attach.locator("select[name=outcome_id]").select_option(value=option.get_attribute("value"))
    attach.get_by_role("button", name="Attach").click()
    expect(editor.locator(".flash")).to_contain_text("Accepted into the value network")

    # The seller's plan now carries what the customer told us.
    page.goto(plan_url)
    expect(page.get_by_test_id("plan-discoveries")).to_contain_text(WANTED)
    assert problems == []
