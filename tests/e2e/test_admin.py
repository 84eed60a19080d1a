"""The administrator's pages in a real browser: people, organisation, audit trail, tokens."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import nav_labels, sign_in_ok, team_path

pytestmark = pytest.mark.e2e

ADMIN = "admin@kestrelflow.example"


def _nav(page: Page, label: str) -> None:
    page.locator("header nav").get_by_role("link", name=label, exact=True).click()


def test_admin_tours_people_organisation_audit_and_manages_a_token(page: Page) -> None:
    sign_in_ok(page, ADMIN)
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Alex Admin")
    expect(page.get_by_test_id("home-role")).to_have_text(
        re.compile(r"^Admin(istrator)? · Kestrel Flow Systems$")
    )
    assert nav_labels(page) == [
        "Home",
        "Pipeline",
        "Accounts",
        "Conversations",
        "Price desk",
        "Analytics",
        "Forecast",
        "RFPs",
        "Coaching",
        "Discoveries",
        "Assessments",
        "People",
        "Value networks",
        "Organisation",
        "Audit trail",
    ]

    _nav(page, "People")
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    people = page.get_by_test_id("people-table")
    expect(people.get_by_role("cell", name=ADMIN, exact=True)).to_be_visible()
    expect(page.get_by_test_id("new-person")).to_be_visible()

    _nav(page, "Organisation")
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisation")
    expect(page.get_by_role("heading", name="Add a region or team")).to_be_visible()

    _nav(page, "Audit trail")
    expect(page.get_by_role("heading", level=1)).to_have_text("Audit trail")
    page.get_by_test_id("audit-filters").get_by_label("Action").select_option("user.signed_in")
    page.get_by_role("button", name="Filter").click()
    expect(page).to_have_url(re.compile(r"action=user\.signed_in"))
    rows = page.get_by_test_id("audit-table").locator("tbody tr")
    expect(rows.filter(has_text=ADMIN).first).to_be_visible()
    for text in rows.all_inner_texts():
        assert "user.signed_in" in text, text

    page.get_by_test_id("account-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    expect(page.get_by_text(f"Alex Admin · {ADMIN} · Administrator")).to_be_visible()

    page.get_by_label("Name", exact=True).fill("e2e sync")
    page.get_by_label("Expires in (days)").fill("30")
    page.get_by_role("button", name="Create token").click()
    secret_box = page.get_by_test_id("token-secret")
    expect(secret_box).to_have_text(re.compile(r"^vs_\S{20,}$"))
    secret = secret_box.inner_text().strip()
    row = page.get_by_test_id("token-list").get_by_role("row").filter(has_text="e2e sync")
    expect(row).to_have_count(1)

    # Shown once: a fresh visit to the account page lists only the token's prefix.
    page.goto("/account")
    expect(page.get_by_test_id("token-secret")).to_have_count(0)
    expect(page.get_by_test_id("new-token")).to_have_count(0)
    assert secret not in page.content()
    row = page.get_by_test_id("token-list").get_by_role("row").filter(has_text="e2e sync")
    expect(row).to_have_count(1)
    expect(row.locator("code")).to_have_text(f"{secret[:10]}…")

    row.get_by_role("button", name="Revoke").click()
    expect(page).to_have_url(re.compile(r"/account$"))
    expect(page.get_by_role("status")).to_have_text("Token 'e2e sync' is revoked.")
    row = page.get_by_test_id("token-list").get_by_role("row").filter(has_text="e2e sync")
    expect(row.get_by_text("revoked", exact=True)).to_be_visible()
    expect(row.get_by_role("button", name="Revoke")).to_have_count(0)


def test_admin_adds_a_person_who_can_then_sign_in(
    page: Page, new_context: Callable[[], BrowserContext]
) -> None:
    name, email, password = "Nadia Okonkwo", "nadia.okonkwo@kestrelflow.example", "e2e-pass-1234"
    sign_in_ok(page, ADMIN)
    _nav(page, "People")
    page.get_by_test_id("new-person").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a person")

    page.get_by_label("Full name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_label("Role").select_option(label="Seller")
    # Not NA Enterprise: the manager's team count in another test must stay as seeded.
    page.get_by_label("Team").select_option(label="EMEA Water & Utilities (team)")
    page.get_by_label("Initial password").fill(password)
    page.get_by_role("button", name="Add", exact=True).click()

    expect(page).to_have_url(re.compile(r"/people/\d+$"))
    expect(page.get_by_role("status")).to_have_text(f"{name} can now sign in.")
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(page.get_by_text(f"{email} · Seller · EMEA Water & Utilities")).to_be_visible()

    # The new person signs in from a browser of their own.
    theirs = new_context().new_page()
    sign_in_ok(theirs, email, password)
    expect(theirs.get_by_role("heading", level=1)).to_have_text(f"Welcome, {name}")
    expect(theirs.get_by_test_id("home-role")).to_have_text(
        "Seller · " + team_path("Kestrel Flow Systems", "EMEA", "EMEA Water & Utilities")
    )
    assert nav_labels(theirs) == [
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

    # And the administrator sees that sign-in on the person's page.
    page.reload()
    expect(page.get_by_text("Last sign-in: —")).to_have_count(0)
