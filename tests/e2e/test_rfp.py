"""RFP engagement in Chromium on the demo company, with the strict CSP on: a seller records an
RFP from an opportunity's page and the deal's RFP class follows it; an executive opens the
analysis with both charts drawn. The console stays clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.e2e.conftest import LiveServer, sign_in_ok
from valuescout.deals.models import Opportunity
from valuescout.identity.models import User

pytestmark = pytest.mark.e2e

SELLER = "seller@kestrelflow.example"
EXECUTIVE = "cso@kestrelflow.example"


def _drawn(page: Page, testid: str) -> None:
    chart = page.get_by_test_id(testid)
    expect(chart).to_have_attribute("data-vega-ready", "1")
    expect(chart.locator("svg").first).to_be_visible()


def test_seller_records_an_rfp_and_the_executive_reads_the_analysis(
    page: Page, server: LiveServer, problems: list[str]
) -> None:
    with server.session_factory() as s:
        opp = s.scalars(
            select(Opportunity)
            .join(User, User.id == Opportunity.owner_id)
            .where(User.email == SELLER, Opportunity.rfp_class == "none")
            .order_by(Opportunity.id)
        ).first()
        assert opp is not None
        opp_id, opp_name = opp.id, opp.name
    sign_in_ok(page, SELLER)
    page.goto(f"{server.base_url}/opportunities/{opp_id}")
    page.get_by_test_id("rfp-records-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"RFPs on {opp_name}")
    form = page.get_by_test_id("rfp-form")
    form.get_by_label("Engagement").select_option(label="Shaped before release")
    form.get_by_label("Received").fill("2026-01-12")
    form.get_by_label("Due").fill("2026-02-20")
    form.get_by_label("Competitors responding").fill("2")
    form.get_by_role("button", name="Record the RFP").click()
    expect(page.locator(".flash")).to_contain_text("The RFP is recorded")
    expect(page.get_by_test_id("rfp-row")).to_have_count(1)
    page.goto(f"{server.base_url}/opportunities/{opp_id}")
    expect(page.get_by_test_id("deal-form").locator("select[name=rfp_class]")).to_have_value(
        "shaped"
    )

    page.context.clear_cookies()
    sign_in_ok(page, EXECUTIVE)
    page.goto(f"{server.base_url}/rfps")
    expect(page.get_by_test_id("class-row")).to_have_count(4)
    _drawn(page, "chart-share")
    _drawn(page, "chart-win-rate")
    expect(page.get_by_test_id("rfp-row").first).to_be_visible()
    expect(page).to_have_url(re.compile(r"/rfps$"))
    assert problems == []
