"""Editing an interaction and deleting a call plan in Chromium on the demo company, strict CSP
on: the seller opens an interaction they logged, edits it (the logging form, filled in), adds
an expansion question and sees the score recomputed; then opens a call plan, confirms its
deletion and is back on the deal, the plan gone. The console stays clean."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import select

from tests.e2e.conftest import LiveServer, sign_in_ok
from tests.e2e.test_conversations import SELLER, _open_deal
from valuescout.conversations import service, service_plans
from valuescout.conversations.models import CallPlan
from valuescout.conversations.schemas import CallPlanIn, InteractionIn
from valuescout.identity.models import User
from valuescout.identity.service import principal_of

pytestmark = pytest.mark.e2e


def _logged_and_planned(server: LiveServer, opp_id: int) -> tuple[int, int]:
    """An interaction the seller logged (one qualification question: score 0) and a plan."""
    with server.session_factory() as s:
        seller = s.scalar(select(User).where(User.email == SELLER))
        assert seller is not None
        who = principal_of(seller)
        row = service.create_interaction(
            s,
            who,
            InteractionIn.model_validate(
                {
                    "opportunity_id": opp_id,
                    "occurred_on": date.today() - timedelta(days=400),  # far back in the list
                    "kind": "email",  # leaves the deal's last meeting alone
                    "notes": "Asked who signs off.",
                    "questions": [{"text": "Who signs off?", "kind": "qualification"}],
                }
            ),
            date.today(),
        )
        plan = service_plans.create_plan(
            s, who, CallPlanIn(opportunity_id=opp_id, meeting_on=date.today() + timedelta(days=9))
        )
        s.commit()
        return row.id, plan.id


def test_edit_an_interaction_and_delete_a_call_plan(
    page: Page, server: LiveServer, problems: list[str]
) -> None:
    opp_id, deal_name, _contact = _open_deal(server)
    row_id, plan_id = _logged_and_planned(server, opp_id)
    sign_in_ok(page, SELLER)

    page.goto(f"{server.base_url}/conversations/{row_id}")
    expect(page.get_by_test_id("quality-score")).to_have_text("0")
    page.get_by_test_id("edit-interaction").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the interaction")
    expect(page.get_by_test_id("form-opportunity")).to_have_text(deal_name)
    expect(page.get_by_test_id("question-text").first).to_have_value("Who signs off?")
    page.get_by_test_id("question-text").nth(1).fill("What does a stop cost you a year?")
    page.get_by_test_id("question-kind").nth(1).select_option("expansion")
    page.get_by_test_id("notes").fill("Asked who signs off, and what a stop costs.")
    page.get_by_test_id("save-interaction").click()
    # 5 for the expansion question + 10 x half of the questions
    expect(page.get_by_test_id("quality-score")).to_have_text("10")
    expect(page.get_by_test_id("questions")).to_contain_text("What does a stop cost you a year?")

    page.goto(f"{server.base_url}/call-plans/{plan_id}")
    expect(page.get_by_test_id("confirm-delete-plan")).to_be_hidden()
    page.get_by_test_id("delete-plan").click()  # opens the confirmation
    page.get_by_test_id("confirm-delete-plan").click()
    expect(page).to_have_url(f"{server.base_url}/opportunities/{opp_id}")
    expect(page.get_by_text("The call plan is deleted.")).to_be_visible()
    with server.session_factory() as s:
        assert s.get(CallPlan, plan_id) is None
    assert problems == []
