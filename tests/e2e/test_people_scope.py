"""Row scope in the browser: a manager sees their team, a seller sees no one."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import nav_labels, sign_in_ok

pytestmark = pytest.mark.e2e

# NA Enterprise as seeded: the manager, four sellers and one contributor (Chris Field).
NA_ENTERPRISE_SIZE = 6


def test_manager_sees_only_their_team(page: Page) -> None:
    sign_in_ok(page, "manager@kestrelflow.example")
    expect(page.get_by_role("heading", level=1)).to_have_text("Welcome, Marco Lindqvist")
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
    ]

    page.locator("header nav").get_by_role("link", name="People", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("People")
    rows = page.get_by_test_id("people-table").locator("tbody tr")
    expect(rows).to_have_count(NA_ENTERPRISE_SIZE)
    expect(page.get_by_text(f"{NA_ENTERPRISE_SIZE} people", exact=True)).to_be_visible()
    # Columns: name, email, role, team, status.
    teams = rows.locator("td:nth-child(4)").all_inner_texts()
    assert teams == ["NA Enterprise"] * NA_ENTERPRISE_SIZE
    roles = sorted(rows.locator("td:nth-child(3)").all_inner_texts())
    assert roles == ["Contributor", "Manager", "Seller", "Seller", "Seller", "Seller"]
    expect(rows.filter(has_text="Sam Seller")).to_have_count(1)
    expect(rows.filter(has_text="admin@kestrelflow.example")).to_have_count(0)
    # A manager may look, not change: no "Add a person".
    expect(page.get_by_test_id("new-person")).to_have_count(0)


def test_seller_has_no_people_page(page: Page) -> None:
    sign_in_ok(page, "seller@kestrelflow.example")
    assert "People" not in nav_labels(page)
    expect(page.get_by_role("link", name="People", exact=True)).to_have_count(0)

    response = page.goto("/people")
    assert response is not None
    assert response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("Not allowed")
    expect(page.get_by_test_id("error-message")).not_to_be_empty()
