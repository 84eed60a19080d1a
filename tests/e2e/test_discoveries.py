"""Value-scout discoveries in Chromium on the demo company, with the strict CSP on: a
contributor logs a value gap; a manager (an editor of the value network) finds it in the
review queue and accepts it as a new outcome led to by a differentiator; the outcome is then
drawn in the network's diagram and the customer's words show among the network's customer
voices. The console stays clean."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import LiveServer, sign_in_ok

pytestmark = pytest.mark.e2e

CONTRIBUTOR = "service@kestrelflow.example"
MANAGER = "manager@kestrelflow.example"
NETWORK = "FlowCare uptime service"
WANTED = "Pump rooms that pass hygiene inspections first time"
OUTCOME = "Hygiene inspections passed first time"


def test_a_logged_discovery_becomes_an_outcome_in_the_network(
    page: Page, new_context: Callable[[], BrowserContext], server: LiveServer, problems: list[str]
) -> None:
    sign_in_ok(page, CONTRIBUTOR)
    page.goto(f"{server.base_url}/discoveries")
    form = page.get_by_test_id("log-form")
    form.get_by_label("Customer's name").fill("Lakeside Dairy")
    form.get_by_label("Their situation").fill(
        "Inspectors flag pump rooms for standing water; each re-inspection costs a day."
    )
    form.get_by_label("The outcome they want").fill(WANTED)
    form.get_by_label("What it is worth to them (in their words)").fill("a day of output a time")
    form.get_by_label("Yearly value, if they named one").fill("45000")
    form.get_by_label("Value network it relates to").select_option(label=NETWORK)
    form.get_by_test_id("log-submit").click()
    expect(page).to_have_url(re.compile(r"/discoveries/\d+$"))
    expect(page.locator(".flash")).to_contain_text("logged for review")
    expect(page.get_by_test_id("status")).to_have_text("New")
    expect(page.get_by_test_id("create-form")).to_have_count(0)  # contributors do not review
    discovery_url = page.url

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
    editor.goto(f"{server.base_url}/discoveries")
    editor.get_by_test_id("queue").get_by_role("link", name=WANTED).click()
    expect(editor).to_have_url(discovery_url)
    create = editor.get_by_test_id("create-form")
    create.get_by_label("Outcome's name").fill(OUTCOME)
    create.get_by_label("Led to by (optional)").select_option(
        label="Operator and technician training"
    )
    create.get_by_test_id("create-submit").click()
    expect(editor).to_have_url(re.compile(r"/discoveries$"))
    expect(editor.locator(".flash")).to_contain_text("Accepted into the value network")

    editor.goto(discovery_url)
    expect(editor.get_by_test_id("status")).to_contain_text("Accepted")
    expect(editor.get_by_test_id("outcome")).to_contain_text(OUTCOME)
    editor.get_by_role("link", name="customer voices").click()
    voice = editor.get_by_test_id("voice").filter(has_text=OUTCOME)
    expect(voice).to_contain_text("Lakeside Dairy")
    editor.get_by_role("link", name=NETWORK).click()
    expect(editor.get_by_test_id("diagram")).to_have_attribute("data-ready", "true")
    assert OUTCOME in editor.evaluate("valuenetDiagram.names('outcome')")
    assert problems == []
