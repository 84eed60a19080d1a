"""The price desk in Chromium: a seller asks for a price exception from a deal's page, sees it
routed to their manager; the manager approves it from the price desk queue; the seller sees
the approved price on the opportunity page (the panel htmx loads) — with the strict CSP on.

The deal is built in the live server's database: the demo seller's, with a product line (so
margin is known) and confirmed value, so that 230,000 on its 250,000 lands between floor and
target with confirmed value, which the default policy routes to the seller's manager.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, expect
from sqlalchemy import select

from tests.e2e.conftest import LiveServer, sign_in_ok
from tests.pricing.test_pages import priced_deal
from valuescout.identity.models import User

pytestmark = pytest.mark.e2e

SELLER = "seller@kestrelflow.example"
MANAGER = "manager@kestrelflow.example"
ADMIN = "admin@kestrelflow.example"
_names = itertools.count(1)


def _user(server: LiveServer, email: str) -> User:
    with server.session_factory() as session:
        return session.scalars(select(User).where(User.email == email)).one()


@pytest.fixture()
def deal_id(server: LiveServer) -> int:
    n = next(_names)
    deal = priced_deal(
        server.session_factory,
        _user(server, SELLER),
        _user(server, ADMIN),
        name=f"E2E price exception {n}",
        account=f"E2E pricing plant {n}",
    )
    return deal.opp_id


@pytest.fixture()
def csp_violations() -> Iterator[list[str]]:
    yield []


def _watch(page: Page, found: list[str]) -> None:
    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", watch)


def test_seller_asks_manager_approves_from_the_queue_seller_sees_the_price(
    new_context: Callable[[], BrowserContext],
    server: LiveServer,
    deal_id: int,
    csp_violations: list[str],
) -> None:
    seller = new_context().new_page()
    _watch(seller, csp_violations)
    sign_in_ok(seller, SELLER)
    seller.goto(f"/opportunities/{deal_id}")
    panel = seller.get_by_test_id("price-panel")
    expect(panel.get_by_test_id("no-price-requests")).to_be_visible()  # loaded by htmx
    panel.get_by_role("button", name="Ask for a price exception").click()

    expect(seller.get_by_role("heading", level=1)).to_have_text("Ask for a price exception")
    seller.get_by_label("A price for the whole deal").check()
    seller.get_by_label(re.compile(r"^Deal net price")).fill("230000")
    seller.get_by_label("Reason").select_option(label="Competitive match")
    seller.get_by_label("Justification").fill("Rival Corp offers 200k for the same scope.")
    seller.get_by_role("button", name="Send the request").click()

    expect(seller).to_have_url(re.compile(r"/price-desk/requests/\d+$"))
    request_path = seller.url.removeprefix(server.base_url)
    expect(seller.get_by_role("status")).to_contain_text("it waits for manager")
    expect(seller.get_by_test_id("waiting-for")).to_have_text("Manager")
    expect(seller.get_by_test_id("ev-zone")).to_have_text("Between floor and target")
    expect(seller.get_by_test_id("requested-price")).to_contain_text("USD 230,000.00")

    manager = new_context().new_page()
    _watch(manager, csp_violations)
    sign_in_ok(manager, MANAGER)
    manager.locator("header nav").get_by_role("link", name="Price desk", exact=True).click()
    expect(manager).to_have_url(re.compile(r"/price-desk/queue$"))
    row = manager.get_by_test_id("queue-row").filter(has_text="E2E price exception")
    row = row.filter(has=manager.locator(f'a[href="{request_path}"]'))
    expect(row).to_have_count(1)
    expect(row).to_contain_text("8.0%")
    row.get_by_role("button", name="Decide").click()
    expect(manager).to_have_url(re.compile(rf"{re.escape(request_path)}#moves$"))
    manager.get_by_test_id("move-comment").fill("Fine: the customer confirmed the value.")
    manager.get_by_test_id("move-approve").click()
    expect(manager.get_by_role("status")).to_have_text("You approved the request.")
    expect(manager.get_by_test_id("approved-price")).to_have_text("USD 230,000.00")

    seller.goto(f"/opportunities/{deal_id}")
    result = seller.get_by_test_id("price-request-row")
    expect(result).to_have_count(1)
    expect(result.get_by_test_id("request-state")).to_have_text("Approved")
    expect(result.get_by_test_id("approved-price")).to_have_text("USD 230,000.00")
    assert not csp_violations, csp_violations


def test_admin_checks_previews_and_applies_a_policy_in_the_editor(
    new_context: Callable[[], BrowserContext], csp_violations: list[str]
) -> None:
    admin = new_context().new_page()
    _watch(admin, csp_violations)
    sign_in_ok(admin, ADMIN)
    admin.goto("/price-desk/policy")
    source = admin.get_by_test_id("policy-form").get_by_test_id("policy-source")
    shipped = source.input_value()
    assert "discount: {gt: 0.5}" in shipped

    # A typo in a field name: refused with its line, nothing applied.
    source.fill(shipped.replace("discount: {gt: 0.5}", "discont: {gt: 0.5}"))
    admin.get_by_test_id("policy-check").click()
    problems = admin.get_by_test_id("policy-problems")
    expect(problems).to_contain_text(re.compile(r"line \d+: unknown evidence field 'discont'"))

    # A stricter ceiling on discounts: previewed on past requests, then applied.
    stricter = shipped.replace("discount: {gt: 0.5}", "discount: {gt: 0.45}")
    source = admin.get_by_test_id("policy-form").get_by_test_id("policy-source")
    source.fill(stricter)
    admin.get_by_test_id("policy-preview-button").click()
    expect(admin.get_by_test_id("preview-summary")).to_contain_text("past decision")
    admin.get_by_label("Note for the history").fill("E2E: reject above 45%")
    admin.get_by_test_id("policy-apply").click()
    versions = admin.get_by_test_id("policy-versions")
    expect(versions).to_contain_text("E2E: reject above 45%")
    expect(versions.locator("tr", has_text="E2E: reject above 45%")).to_contain_text("in force")
    assert csp_violations == []
