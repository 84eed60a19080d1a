"""Discount analytics in Chromium on the demo company, with the strict CSP on: the executive
opens the dashboard, sees every chart drawn, drills from a manager to their sellers and on to
customers, compares a waterfall, opens the outliers and the approvers; a manager sees only
their team; nothing breaks the CSP and the console stays clean."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveServer, sign_in_ok

pytestmark = pytest.mark.e2e

EXECUTIVE = "cso@kestrelflow.example"
MANAGER = "manager@kestrelflow.example"


def _tab(page: Page, name: str):  # type: ignore[no-untyped-def]
    return page.get_by_role("navigation", name="Analytics").get_by_role("link", name=name)


def _charts_drawn(page: Page, count: int) -> None:
    charts = page.locator("[data-vega-spec]")
    expect(charts).to_have_count(count)
    for i in range(count):
        expect(charts.nth(i)).to_have_attribute("data-vega-ready", "1")
        expect(charts.nth(i).locator("svg").first).to_be_visible()


def test_executive_drills_down_and_sees_charts(
    page: Page, server: LiveServer, problems: list[str]
) -> None:
    sign_in_ok(page, EXECUTIVE)
    page.get_by_role("link", name="Analytics").click()
    expect(page.get_by_role("heading", name="Discounts and margin")).to_be_visible()
    _charts_drawn(page, 2)  # discount by seller, Lorenz curves
    page.get_by_test_id("group-by").select_option("manager")
    page.get_by_role("button", name="Show").click()
    first = page.get_by_test_id("drill").first
    manager = first.inner_text()
    first.click()
    expect(page.get_by_test_id("slice-filters")).to_contain_text(manager)
    expect(page.get_by_test_id("group-row").first).to_be_visible()
    seller = page.get_by_test_id("drill").first
    seller.click()  # a seller: now their customers
    expect(page.get_by_test_id("slice-filters")).to_contain_text("Seller")
    _tab(page, "Waterfall").click()
    page.locator("select[name=compare_dim]").select_option("segment")
    page.locator("input[name=compare_value]").fill("enterprise")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_test_id("waterfall")).to_contain_text("Segment: enterprise")
    _charts_drawn(page, 1)
    page.get_by_test_id("drop-filter").first.click()
    expect(page.get_by_test_id("slice-filters")).not_to_contain_text(manager)
    page.goto(f"{server.base_url}/analytics/outliers")  # every seller again
    _charts_drawn(page, 2)
    expect(page.get_by_test_id("outlier-row").first).to_be_visible()
    _tab(page, "Approvers").click()
    expect(page.get_by_test_id("approver-row").first).to_be_visible()
    assert problems == []


def test_manager_sees_their_team_only(page: Page, server: LiveServer, problems: list[str]) -> None:
    sign_in_ok(page, MANAGER)
    page.goto(f"{server.base_url}/analytics")
    rows = page.get_by_test_id("group-row")
    expect(rows.first).to_be_visible()
    assert rows.count() < 10  # one team's sellers, not the company's two dozen
    expect(_tab(page, "Approvers")).to_have_count(0)
    _tab(page, "Compensation").click()
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_test_id("switch-row").first).to_be_visible()
    assert problems == []
