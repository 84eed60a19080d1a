"""Editing and deleting on the conversations pages: the logging form filled in, saved with the
score recomputed; a bad form shown again (400) with nothing written; Edit and Delete only
for those allowed; the call plan's form filled in, saved and deleted after the confirmation."""

from __future__ import annotations

from datetime import date, timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.conversations.builders import World, build_world
from tests.conversations.html_forms import form_fields
from tests.deals.test_service_builders import principal
from tests.factories import csrf_from, sign_in
from valuescout.conversations import service, service_plans
from valuescout.conversations.models import CallPlan, Interaction
from valuescout.conversations.schemas import CallPlanIn, InteractionIn

YESTERDAY = date.today() - timedelta(days=1)


@pytest.fixture()
def world(session_factory: sessionmaker[Session]) -> World:
    with session_factory() as s:
        made = build_world(s)
        s.commit()
        return made


def _logged(session_factory: sessionmaker[Session], world: World, who: str = "seller") -> int:
    with session_factory() as s:
        data = InteractionIn.model_validate(
            {
                "opportunity_id": world.open_deal.id,
                "occurred_on": YESTERDAY,
                "notes": "Met Dana.",
                "questions": [{"text": "Who signs off?", "kind": "qualification"}],
                "stakeholders": [{"contact_id": world.plant_manager.id}],
            }
        )
        row = service.create_interaction(s, principal(s, world.org.user(who)), data, date.today())
        s.commit()
        return row.id


def _stored(session_factory: sessionmaker[Session], row_id: int) -> tuple[object, ...] | None:
    with session_factory() as s:
        row = s.get(Interaction, row_id)
        return None if row is None else (row.notes, row.quality_score, row.occurred_on)


def test_edit_an_interaction_from_its_page(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    row_id = _logged(session_factory, world)
    sign_in(client, world.org.user("seller").email)
    page = client.get(f"/conversations/{row_id}")
    assert 'data-testid="edit-interaction"' in page.text
    assert 'data-testid="confirm-delete-interaction"' in page.text
    form = client.get(f"/conversations/{row_id}/edit")
    assert form.status_code == 200 and "Edit the interaction" in form.text
    assert "does not un-mark the contact" in unescape(form.text)
    fields = form_fields(form.text, "interaction-form")
    assert fields["notes"] == "Met Dana." and fields["question-0-text"] == "Who signs off?"
    assert fields["person-0-contact_id"] == str(world.plant_manager.id)
    fields.update(
        {
            "question-0-kind": "expansion",
            "question-0-text": "What does a stop cost you?",
            "person-0-ally": "on",
            "insight-0-text": "Peers cut downtime by a third.",
            "action": "save",
        }
    )
    r = client.post(f"/conversations/{row_id}/edit", data=fields, follow_redirects=False)
    assert r.status_code == 303 and r.headers["location"] == f"/conversations/{row_id}"
    # 10 insight + 5 expansion + 10 balance + 5 ally
    assert _stored(session_factory, row_id) == ("Met Dana.", 30.0, YESTERDAY)
    shown = client.get(r.headers["location"])
    assert 'data-testid="quality-score">30<' in shown.text
    bad = {**fields, "occurred_on": (date.today() + timedelta(days=3)).isoformat()}
    r = client.post(f"/conversations/{row_id}/edit", data=bad)
    assert r.status_code == 400 and "future" in r.text
    assert 'data-testid="form-error"' in r.text and "Peers cut downtime" in r.text
    assert _stored(session_factory, row_id) == ("Met Dana.", 30.0, YESTERDAY)


def test_delete_an_interaction_and_who_sees_the_buttons(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    row_id = _logged(session_factory, world)
    sign_in(client, world.org.user("executive").email)
    page = client.get(f"/conversations/{row_id}")
    assert page.status_code == 200 and "edit-interaction" not in page.text
    assert "delete-interaction" not in page.text
    assert client.get(f"/conversations/{row_id}/edit").status_code == 403
    r = client.post(f"/conversations/{row_id}/delete", data={"csrf_token": csrf_from(page.text)})
    assert r.status_code == 403 and _stored(session_factory, row_id) is not None
    r = client.post(f"/conversations/{row_id}/delete", data={})  # no CSRF token
    assert r.status_code in (400, 403) and _stored(session_factory, row_id) is not None
    client.cookies.clear()
    sign_in(client, world.org.user("manager").email)
    page = client.get(f"/conversations/{row_id}")
    assert 'data-testid="confirm-delete-interaction"' in page.text
    r = client.post(
        f"/conversations/{row_id}/delete",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303 and r.headers["location"].startswith("/conversations")
    assert _stored(session_factory, row_id) is None
    assert client.get(f"/conversations/{row_id}").status_code == 404


def test_edit_and_delete_a_call_plan(
    client: TestClient, session_factory: sessionmaker[Session], world: World
) -> None:
    with session_factory() as s:
        plan = service_plans.create_plan(
            s,
            principal(s, world.org.user("seller")),
            CallPlanIn(
                opportunity_id=world.open_deal.id,
                meeting_on=date(2026, 12, 3),
                attendee_ids=[world.plant_manager.id],
            ),
        )
        s.commit()
        plan_id = plan.id
    sign_in(client, world.org.user("seller").email)
    page = client.get(f"/call-plans/{plan_id}")
    assert 'data-testid="edit-plan"' in page.text and 'data-testid="delete-plan"' in page.text
    form = client.get(f"/call-plans/{plan_id}/edit")
    assert form.status_code == 200 and "Edit the call plan" in form.text
    fields = form_fields(form.text, "plan-form")
    assert fields["meeting_on"] == "2026-12-03"
    assert fields["attendee_ids"] == str(world.plant_manager.id)
    fields.update({"goal": "Agree the downtime figure", "meeting_on": "2026-12-10"})
    r = client.post(f"/call-plans/{plan_id}/edit", data=fields, follow_redirects=False)
    assert r.status_code == 303, r.text
    shown = unescape(client.get(f"/call-plans/{plan_id}").text)
    assert "Agree the downtime figure" in shown and "2026-12-10" in shown
    bad = {**fields, "meeting_on": "someday"}
    r = client.post(f"/call-plans/{plan_id}/edit", data=bad)
    assert r.status_code == 400 and 'data-testid="form-error"' in r.text
    bad = {**fields, "attendee_ids": str(world.outsider.id)}
    r = client.post(f"/call-plans/{plan_id}/edit", data=bad)
    assert r.status_code == 400 and "not a contact" in r.text
    with session_factory() as s:
        stored = s.get(CallPlan, plan_id)
        assert stored is not None and stored.meeting_on == date(2026, 12, 10)
    r = client.post(
        f"/call-plans/{plan_id}/delete",
        data={"csrf_token": csrf_from(page.text)},
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"] == f"/opportunities/{world.open_deal.id}"
    with session_factory() as s:
        assert s.scalar(select(CallPlan.id).where(CallPlan.id == plan_id)) is None
    assert client.get(f"/call-plans/{plan_id}").status_code == 404
