"""The maturity assessment in Chromium on the demo company, with the strict CSP on: the
executive opens a round from the hub, answers the first domain (saved, on to the next), reads
the live result with the radar drawn and the data-backed evidence; a seller sees only their
own answers; the journey lists the demo's closed rounds, and closing the new one adds it.
The console stays clean."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import LiveServer, sign_in_ok
from valuescout.assessments import maturity_content

pytestmark = pytest.mark.e2e

EXECUTIVE = "cso@kestrelflow.example"
SELLER = "seller@kestrelflow.example"
ALIGNMENT = maturity_content.load().domain("alignment")
assert ALIGNMENT is not None


def test_answer_a_domain_and_read_the_result(
    page: Page,
    server: LiveServer,
    problems: list[str],
    new_context: Callable[[], BrowserContext],
) -> None:
    sign_in_ok(page, EXECUTIVE)
    page.goto(f"{server.base_url}/assessments")
    expect(page.get_by_test_id("round-row")).to_have_count(2)  # the demo's closed rounds
    page.get_by_test_id("round-title").fill("Browser check-in")
    page.get_by_role("button", name="Open the round").click()
    expect(page.get_by_test_id("open-round")).to_contain_text("Browser check-in")
    page.get_by_test_id("answer-button").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(ALIGNMENT.title)
    for i, indicator in enumerate(ALIGNMENT.indicators):
        value = "dk" if i == 0 else ("4" if indicator.level == "good" else "1")
        page.locator(f'input[name="a:{indicator.id}"][value="{value}"]').check()
    page.get_by_test_id("save-domain").click()
    expect(page.locator(".flash")).to_contain_text("Saved your answers on")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sales capability")
    round_id = re.search(r"/assessments/maturity/(\d+)/answer", page.url).group(1)  # type: ignore[union-attr]

    page.goto(f"{server.base_url}/assessments/maturity/{round_id}")
    expect(page.get_by_test_id("overall")).to_have_text("Average")  # two domains unanswered
    expect(page.get_by_test_id("domain-level-alignment")).to_contain_text("Good")
    radar = page.get_by_test_id("chart-radar")
    expect(radar).to_have_attribute("data-vega-ready", "1")
    expect(radar.locator("svg").first).to_be_visible()
    expect(page.get_by_test_id("evidence-discount_tracking")).to_contain_text("won deals")
    expect(page.get_by_test_id("my-answers")).to_contain_text("Don't know")
    expect(page.get_by_test_id("next-steps-alignment")).to_be_visible()
    assert problems == []

    other = new_context().new_page()
    sign_in_ok(other, SELLER)
    other.goto(f"{server.base_url}/assessments/maturity/{round_id}")
    expect(other.get_by_test_id("no-answers")).to_be_visible()
    expect(other.get_by_test_id("overall")).to_have_count(0)
    expect(other.get_by_test_id("chart-radar")).to_have_count(0)

    page.goto(f"{server.base_url}/assessments/maturity/journey")
    expect(page.get_by_test_id("journey-row")).to_have_count(2)
    journey = page.get_by_test_id("chart-journey")
    expect(journey).to_have_attribute("data-vega-ready", "1")
    expect(journey.locator("svg").first).to_be_visible()
    page.goto(f"{server.base_url}/assessments")
    page.get_by_test_id("close-round").click()
    expect(page.locator(".flash")).to_contain_text("Round closed")
    page.goto(f"{server.base_url}/assessments/maturity/journey")
    expect(page.get_by_test_id("journey-row")).to_have_count(3)
    assert problems == []
