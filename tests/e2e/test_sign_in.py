"""Signing in and out in a real browser: the seller's tour, lockout, and a clean console."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import ConsoleMessage, Error, Page, Response, expect
from sqlalchemy import select

from tests.e2e.conftest import LiveServer, nav_labels, sign_in, sign_in_ok, team_path
from valuescout.demo.generator import DEMO_PASSWORD
from valuescout.identity.models import User
from valuescout.identity.roles import Role

pytestmark = pytest.mark.e2e

SELLER = "seller@kestrelflow.example"
WRONG = "Email or password is wrong."


def test_seller_signs_in_tours_the_nav_and_signs_out(page: Page) -> None:
    sign_in_ok(page, SELLER)

    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Sam Seller")
    expect(page.get_by_test_id("home-role")).to_have_text(
        "Seller · " + team_path("Kestrel Flow Systems", "North America", "NA Enterprise")
    )
    expect(page.get_by_test_id("account-link")).to_have_text("Sam Seller")
    expect(page.get_by_role("heading", name="Your recent activity")).to_be_visible()
    activity = page.get_by_test_id("my-activity")
    expect(activity.get_by_role("row").filter(has_text="user.signed_in").first).to_be_visible()
    # A seller sees no people card and no organisation-wide activity.
    expect(page.get_by_test_id("people-card")).to_have_count(0)
    expect(page.get_by_test_id("org-activity")).to_have_count(0)

    assert nav_labels(page) == [
        "Home",
        "Pipeline",
        "Accounts",
        "Conversations",
        "Price desk",
        "Forecast",
        "RFPs",
        "Coaching",
        "Discoveries",
        "Assessments",
        "Value networks",
        "Organisation",
    ]
    headings = {
        "Home": "Welcome, Sam Seller",
        "Value networks": "Value networks",
        "Organisation": "Organisation",
    }
    for label, heading in headings.items():
        page.locator("header nav").get_by_role("link", name=label, exact=True).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(heading)
        expect(
            page.locator("header nav").get_by_role("link", name=label, exact=True)
        ).to_have_attribute("aria-current", "page")
    # The organisation tree shows the whole company down to the seller's team.
    tree = page.get_by_test_id("team-tree")
    for name in ("Kestrel Flow Systems", "North America", "NA Enterprise", "EMEA"):
        expect(tree.get_by_text(name, exact=True)).to_be_visible()
    # Only administrators may add teams.
    expect(page.get_by_role("heading", name="Add a region or team")).to_have_count(0)

    page.get_by_test_id("sign-out").click()
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page.get_by_role("status")).to_have_text("You are signed out.")

    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=(/|%2F)$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ValueScout")
    expect(page.get_by_test_id("sign-out")).to_have_count(0)


def test_five_wrong_passwords_lock_the_email(page: Page, server: LiveServer) -> None:
    # A demo seller no other test signs in as: lockout is per email and lives in the database.
    with server.session_factory() as session:
        email = session.scalar(
            select(User.email)
            .where(User.role == Role.SELLER, User.email != SELLER)
            .order_by(User.id)
            .limit(1)
        )
    assert email

    for attempt in range(1, 6):
        sign_in(page, email, f"not-the-password-{attempt}")
        expect(page.get_by_test_id("sign-in-error")).to_have_text(WRONG)
        expect(page.get_by_label("Email")).to_have_value(email)

    sign_in(page, email, DEMO_PASSWORD)
    expect(page.get_by_test_id("sign-in-error")).to_contain_text("Too many failed sign-ins")
    expect(page).to_have_url(re.compile(r"/sign-in$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in to ValueScout")
    expect(page.get_by_test_id("sign-out")).to_have_count(0)
    # Still not signed in: the home page sends the browser back to the sign-in form.
    page.goto("/")
    expect(page).to_have_url(re.compile(r"/sign-in\?next=(/|%2F)$"))


def test_pages_log_no_console_errors_or_csp_violations(page: Page) -> None:
    problems: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.append(f"console: {message.text}")

    def on_page_error(error: Error) -> None:
        problems.append(f"page error: {error.message}")

    def on_response(response: Response) -> None:
        if response.status >= 400:  # e.g. a missing favicon, stylesheet or script
            problems.append(f"HTTP {response.status}: {response.url}")

    page.on("console", on_console)
    page.on("pageerror", on_page_error)
    page.on("response", on_response)
    # Chromium logs CSP violations to the console; report them as errors also explicitly.
    page.add_init_script(
        "document.addEventListener('securitypolicyviolation', e => console.error("
        "'CSP violation: ' + e.violatedDirective + ' ' + e.blockedURI));"
    )

    sign_in_ok(page, "cso@kestrelflow.example")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Evelyn Carter")
    expect(page.get_by_test_id("people-card")).to_be_visible()
    # The deferred script (htmx) loaded under the CSP, and the stylesheets applied.
    page.wait_for_function("() => window.htmx !== undefined")
    assert page.evaluate("() => document.styleSheets.length") >= 2
    page.locator("header nav").get_by_role("link", name="Organisation", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation")
    # The people page searches live with htmx: no inline script or style needed under the CSP.
    page.locator("header nav").get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    page.wait_for_function("() => window.htmx !== undefined")
    page.get_by_role("searchbox", name="Search").fill("Evelyn Carter")
    expect(page).to_have_url(re.compile(r"/people\?.*q=Evelyn(\+|%20)Carter"))
    rows = page.get_by_test_id("people-table").locator("tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("cso@kestrelflow.example")
    page.locator("header nav").get_by_role("link", name="Home", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Evelyn Carter")

    assert problems == []
