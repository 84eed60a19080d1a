"""Willingness to engage and the reputation check in Chromium on the demo company, with the
strict CSP on: a seller answers a willingness assessment on one of their deals and reads the
result; a bad answer is refused with the form kept; a manager reads the portfolio with its
charts drawn; an executive reads the reputation scorecard; the console stays clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, sign_in_ok

pytestmark = pytest.mark.e2e

SELLER = "seller@kestrelflow.example"
MANAGER = "manager@kestrelflow.example"
EXECUTIVE = "cso@kestrelflow.example"
RATINGS = {
    "solution_innovation": "5", "team_experience": "1", "risk_implementation": "4",
    "risk_vendor": "4", "risk_change": "5", "risk_visibility": "3", "risk_strategic": "4",
    "risk_financial": "3",
}  # fmt: skip


def _drawn(page: Page, testid: str) -> None:
    chart = page.get_by_test_id(testid)
    expect(chart).to_have_attribute("data-vega-ready", "1")
    expect(chart.locator("svg").first).to_be_visible()


def test_seller_answers_and_reads_the_result(
    page: Page, server: LiveServer, problems: list[str]
) -> None:
    sign_in_ok(page, SELLER)
    page.goto(f"{server.base_url}/pipeline")
    link = page.locator("table a[href^='/opportunities/']").first
    href = link.get_attribute("href")
    assert href and re.fullmatch(r"/opportunities/\d+", href)
    link.click()
    page.get_by_test_id("willingness-link").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Willingness to engage")
    form = page.get_by_test_id("willingness-form")
    form.get_by_test_id("question-purchase_history").get_by_label(
        "Nobody in their organisation has bought anything like it"
    ).check()
    for qid, value in RATINGS.items():
        form.locator(f"input[name='{qid}'][value='{value}']").check()
    form.get_by_test_id("willingness-submit").click()
    expect(page).to_have_url(re.compile(rf"{href}/willingness$"))
    # newness 100*0.5 + 100*0.3 + 100*0.2 = 100; risks 75 75 100 50 75 50: 0.7*70.83 +
    # 0.3*100 = 79.58 -> 80; willingness 0.75*100 + 0.25*79.58 = 94.9 -> 95
    expect(page.get_by_test_id("willingness-score")).to_have_text("95")
    expect(page.get_by_test_id("risk-score")).to_have_text("80")
    expect(page.get_by_test_id("quadrant")).to_have_text("New and risky")
    expect(page.get_by_test_id("sales-model")).to_have_text("Trusted expert")
    expect(page.get_by_test_id("reasons")).to_contain_text("Nobody in their organisation")
    expect(page.get_by_test_id("motion")).to_be_visible()
    # A rating taken out of the form is refused, naming the question; the answers stay.
    page.locator("input[name='risk_vendor']").first.evaluate("e => e.value = '9'")
    page.locator("input[name='risk_vendor']").first.check()
    page.get_by_test_id("willingness-submit").click()
    expect(page.get_by_test_id("form-error")).to_contain_text("risk_vendor")
    expect(page.locator("input[name='risk_change'][value='5']")).to_be_checked()
    # The refused post answers 400 on purpose; the browser logs it, nothing else may appear.
    assert [p for p in problems if "status of 400" not in p] == []
    assert len(problems) <= 1


def test_manager_reads_the_portfolio(page: Page, server: LiveServer, problems: list[str]) -> None:
    sign_in_ok(page, MANAGER)
    page.goto(f"{server.base_url}/assessments/willingness")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Willingness to engage")
    expect(page.get_by_test_id("portfolio-row").first).to_be_visible()
    _drawn(page, "chart-willingness-scatter")
    _drawn(page, "chart-quadrants")
    assert problems == []


def test_executive_reads_the_reputation(
    page: Page, server: LiveServer, problems: list[str]
) -> None:
    sign_in_ok(page, EXECUTIVE)
    page.goto(f"{server.base_url}/assessments/reputation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sales reputation: the company")
    expect(page.get_by_test_id("reading")).to_contain_text("Reading:")
    expect(page.get_by_test_id("quarter-row")).to_have_count(6)
    expect(page.get_by_test_id("quarter-row").first).to_contain_text("kept")
    _drawn(page, "chart-reputation-trend")
    page.get_by_test_id("keep-results").click()
    expect(page.locator(".flash")).to_contain_text("Results kept for")
    assert problems == []
