"""The forecast in Chromium on the demo company, with the strict CSP on: the executive opens
Forecast from the navigation, sees the range chart drawn, drills into a region, opens the
accuracy page with its charts; a manager's pickers hold only their team; the console stays
clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, sign_in_ok

pytestmark = pytest.mark.e2e

EXECUTIVE = "cso@kestrelflow.example"
MANAGER = "manager@kestrelflow.example"


def _drawn(page: Page, testid: str) -> None:
    chart = page.get_by_test_id(testid)
    expect(chart).to_have_attribute("data-vega-ready", "1")
    expect(chart.locator("svg").first).to_be_visible()


def test_executive_drills_down_and_opens_the_accuracy(
    page: Page, server: LiveServer, problems: list[str]
) -> None:
    sign_in_ok(page, EXECUTIVE)
    page.locator("header nav").get_by_role("link", name="Forecast", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Forecast: Kestrel Flow Systems")
    _drawn(page, "chart-range")
    expect(page.get_by_test_id("method-row")).to_have_count(4)
    expect(page.get_by_test_id("deal-row").first).to_be_visible()
    expect(page.get_by_test_id("snapshot-form")).to_be_visible()
    region = page.get_by_test_id("drill").first
    name = region.inner_text()
    region.click()
    expect(page).to_have_url(re.compile(r"team_id=\d+"))
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Forecast: {name}")
    _drawn(page, "chart-range")
    expect(page.get_by_test_id("team-picker")).to_have_value(re.compile(r"\d+"))
    page.get_by_role("navigation", name="Forecast").get_by_role(
        "link", name="Accuracy of the methods"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Which forecast to trust: {name}")
    expect(page.get_by_test_id("summary-row")).to_have_count(4)
    expect(page.get_by_test_id("verdict")).to_contain_text("Trust")
    _drawn(page, "chart-errors")
    _drawn(page, "chart-calibration")
    assert problems == []


def test_manager_sees_their_team_only(page: Page, server: LiveServer, problems: list[str]) -> None:
    sign_in_ok(page, MANAGER)
    page.goto(f"{server.base_url}/forecast")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Forecast: NA Enterprise")
    options = page.get_by_test_id("team-picker").locator("option")
    expect(options).to_have_count(1)
    expect(page.get_by_test_id("snapshot-form")).to_have_count(0)
    _drawn(page, "chart-range")
    assert problems == []
