"""Deals in Chromium: a seller opens a deal, types a yearly value in the value case editor, sees
the figures recalculate without a page load (htmx posting the unsaved form), saves, and
downloads the customer's business case as PDF — with the page's strict CSP in force.

Each test builds its own deal in the live server's database, owned by the demo seller.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect
from sqlalchemy import select

from tests.deals.test_pages import Deal, seed_deal
from tests.e2e.conftest import LiveServer, sign_in_ok
from valuescout.deals import pages_data
from valuescout.deals.models import Opportunity, ValueOutcome
from valuescout.identity.models import User

pytestmark = pytest.mark.e2e

SELLER = "seller@kestrelflow.example"
_names = itertools.count(1)


@pytest.fixture()
def deal(server: LiveServer) -> Deal:
    with server.session_factory() as session:
        seller = session.scalars(select(User).where(User.email == SELLER)).one()
    n = next(_names)
    deal = seed_deal(
        server.session_factory,
        seller,
        name=f"E2E retrofit {n}",
        account=f"E2E plant {n}",
        assumptions="Two shifts a day.",
    )
    with server.session_factory() as session:  # named after its id, so the search finds one
        opp = session.get(Opportunity, deal.opp_id)
        assert opp is not None
        opp.name = f"E2E retrofit {deal.opp_id}"
        session.commit()
    return deal


@pytest.fixture()
def csp_violations(page: Page) -> Iterator[list[str]]:
    found: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", watch)
    yield found


def test_seller_edits_a_value_case_live_saves_and_downloads_the_business_case(
    page: Page, server: LiveServer, deal: Deal, csp_violations: list[str], tmp_path: Path
) -> None:
    name = f"E2E retrofit {deal.opp_id}"
    sign_in_ok(page, SELLER)
    page.locator("header nav").get_by_role("link", name="Pipeline", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Pipeline")
    filters = page.get_by_test_id("pipeline-filters")
    filters.get_by_label("Search").fill(name)
    filters.get_by_role("button", name="Filter").click()
    expect(page.get_by_test_id("pipeline-row")).to_have_count(1)
    page.get_by_role("link", name=name, exact=True).click()
    expect(page).to_have_url(re.compile(rf"/opportunities/{deal.opp_id}$"))
    expect(page.get_by_test_id("value-case-form")).to_have_attribute("data-ready", "true")

    value = page.get_by_test_id("fig-value-risk-adjusted")
    expect(value).to_have_text("114,000.00")
    page.evaluate("() => { window.__sameDocument = 'yes'; }")

    # Typing recalculates from the unsaved input: 150k + 24k - 10k.
    page.locator('input[name="o-0-yearly_value"]').fill("150000")
    expect(value).to_have_text("164,000.00")
    expect(page.get_by_test_id("fig-preference")).to_contain_text("114,000.00")
    assert page.evaluate("() => window.__sameDocument") == "yes"  # no page load happened
    with server.session_factory() as session:  # nothing is saved yet
        first = session.get(ValueOutcome, deal.outcome_ids[0])
        assert first is not None and first.yearly_value == 100000

    # A new outcome row, added by the page's script, counts as soon as it has a value.
    page.get_by_test_id("add-outcome-row").click()
    rows = page.get_by_test_id("outcome-row")
    expect(rows).to_have_count(5)
    page.locator('input[name="o-4-name"]').fill("Lower energy bill")
    page.locator('input[name="o-4-yearly_value"]').fill("6000")
    expect(value).to_have_text("167,000.00")  # at the default 50% confidence

    page.get_by_test_id("save-value-case").click()
    expect(page.get_by_role("status")).to_have_text("The value case is saved.")
    expect(page.locator('input[name="o-0-yearly_value"]')).to_have_value("150000.00")
    expect(page.get_by_test_id("fig-value-risk-adjusted")).to_have_text("167,000.00")

    with page.expect_download() as download_info:
        page.get_by_test_id("business-case-pdf").first.click()
    download = download_info.value
    assert download.suggested_filename == f"business-case-{deal.opp_id}.pdf"
    target = tmp_path / "case.pdf"
    download.save_as(target)
    assert target.read_bytes().startswith(b"%PDF-")

    page.get_by_test_id("business-case-link").click()
    expect(page.get_by_test_id("bc-total-value")).to_have_text("USD 167,000.00")
    expect(page.get_by_test_id("bc-assumptions")).to_contain_text("Two shifts a day.")
    assert csp_violations == []


def test_bad_input_is_shown_while_typing_and_refused_on_save(
    page: Page, server: LiveServer, deal: Deal
) -> None:
    sign_in_ok(page, SELLER)
    page.goto(f"/opportunities/{deal.opp_id}")
    expect(page.get_by_test_id("value-case-form")).to_have_attribute("data-ready", "true")
    page.locator('input[name="o-1-yearly_value"]').fill("lots")
    expect(page.get_by_test_id("figures-error")).to_contain_text(
        "Outcome 2 yearly value: enter a number"
    )
    page.get_by_test_id("save-value-case").click()
    expect(page.get_by_test_id("case-error")).to_contain_text("Outcome 2 yearly value")
    expect(page.locator('input[name="o-1-yearly_value"]')).to_have_value("lots")
    with server.session_factory() as session:
        second = session.get(ValueOutcome, deal.outcome_ids[1])
        assert second is not None and second.yearly_value == 24000


def test_a_seller_with_many_accounts_finds_one_by_name_and_moves_the_deal_to_it(
    page: Page,
    server: LiveServer,
    deal: Deal,
    csp_violations: list[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pages_data, "MAX_CHOICES", 1)  # the seller's accounts overflow a list
    other = seed_deal(server.session_factory, _seller(server), account="E2E harbour mill")
    sign_in_ok(page, SELLER)
    page.goto(f"/opportunities/{deal.opp_id}")
    picker = page.get_by_test_id("account-select")
    expect(picker.locator("option:checked")).to_have_text(re.compile(r"E2E plant \d+"))
    page.get_by_test_id("account-search").fill("harbour mi")
    expect(picker.get_by_text("E2E harbour mill")).to_have_count(1)  # filled by the search
    expect(picker.locator("option:checked")).to_have_text(re.compile(r"E2E plant \d+"))
    picker.select_option(label="E2E harbour mill")
    page.get_by_test_id("deal-form").get_by_role("button", name="Save the deal").click()
    expect(page.get_by_role("status")).to_be_visible()
    with server.session_factory() as session:
        moved = session.get(Opportunity, deal.opp_id)
        assert moved is not None and moved.account_id == other.account_id
    assert csp_violations == []


def _seller(server: LiveServer) -> User:
    with server.session_factory() as session:
        return session.scalars(select(User).where(User.email == SELLER)).one()
