"""The coaching pages through a browser-less client: the list with the form and actions due,
recording (303, or 400 with the form again and the problem named, nothing written), a session
with its actions and before/after, the effectiveness page with its chart spec."""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.conversations.coaching_builders import coached_world
from tests.factories import Org, csrf_from, seeded_org, sign_in
from valuescout.conversations.coaching_charts import change_chart
from valuescout.conversations.coaching_models import CoachingSession

TODAY = date.today()


@pytest.fixture()
def org(session_factory: sessionmaker[Session]) -> Org:
    return seeded_org(session_factory)


def signed_in(client: TestClient, org: Org, role: str) -> TestClient:
    sign_in(client, org.user(role).email)
    return client


def form(org: Org, page: str, **changes: str) -> dict[str, str]:
    sent = {
        "csrf_token": csrf_from(page),
        "seller_id": str(org.user("seller").id),
        "held_on": str(TODAY - timedelta(days=1)),
        "focus": "building_allies",
        "notes": "Who else feels the downtime?",
        "action_0": "Meet the maintenance lead",
        "action_0_due": str(TODAY + timedelta(days=5)),
        "action_1": "",
        "action_1_due": "",
    }
    sent.update(changes)
    return sent


def count(session_factory: sessionmaker[Session]) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(CoachingSession)) or 0


def test_manager_records_a_session(client: TestClient, org: Org) -> None:
    page = signed_in(client, org, "manager").get("/coaching")
    assert page.status_code == 200 and 'data-testid="session-form"' in page.text
    seller_options = re.findall(r'<option value="(\d+)"', page.text)
    assert seller_options == [str(org.user("seller").id)]  # only the manager's team
    sent = client.post("/coaching", data=form(org, page.text), follow_redirects=False)
    assert sent.status_code == 303, sent.text
    shown = client.get(sent.headers["location"])
    html = unescape(shown.text)
    assert "Building allies in the buying team: " + org.user("seller").full_name in html
    assert "Meet the maintenance lead" in html and "The coaching session is recorded." in html
    assert "Too few interactions to read yet" in html
    listing = unescape(client.get("/coaching").text)
    assert "Meet the maintenance lead" in listing and 'data-testid="due-row"' in listing


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"focus": "golf"}, "focus: unknown focus"),
        ({"held_on": "31/12/2026"}, "date: enter a date as YYYY-MM-DD"),
        ({"seller_id": ""}, "seller: choose the seller"),
        ({"action_1": "Half an action"}, "action 2: give both"),
        ({"held_on": str(TODAY + timedelta(days=2))}, "held_on: a session is recorded once held"),
    ],
)
def test_bad_form_is_400_with_the_form_again(
    client: TestClient, session_factory: sessionmaker[Session], org: Org,
    changes: dict[str, str], message: str,
) -> None:  # fmt: skip
    page = signed_in(client, org, "manager").get("/coaching")
    sent = client.post("/coaching", data=form(org, page.text, **changes))
    assert sent.status_code == 400
    html = unescape(sent.text)
    assert message in html and 'data-testid="form-error"' in html
    assert "Who else feels the downtime?" in html  # what was typed is kept
    assert count(session_factory) == 0


def test_out_of_scope_seller_is_404_and_sellers_cannot_record(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    page = signed_in(client, org, "manager").get("/coaching")
    sent = client.post(
        "/coaching", data=form(org, page.text, seller_id=str(org.user("seller_b").id))
    )
    assert sent.status_code == 404
    other = TestClient(client.app)
    seller_page = signed_in(other, org, "seller").get("/coaching")
    assert 'data-testid="session-form"' not in seller_page.text
    assert other.post("/coaching", data=form(org, seller_page.text)).status_code == 403
    assert count(session_factory) == 0


def test_seller_ticks_an_action(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    with session_factory() as s:
        made = coached_world(s, org)
        s.commit()
    page = signed_in(client, org, "seller").get(f"/coaching/{made.id}")
    assert "Effect: <strong>+1.50</strong>" in page.text
    action = made.actions[0].id
    sent = client.post(
        f"/coaching/{made.id}/actions/{action}",
        data={"csrf_token": csrf_from(page.text), "done": "true"},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    again = client.get(f"/coaching/{made.id}").text
    assert 'class="co-done"' in again and "Reopen" in again
    assert (
        client.post(
            f"/coaching/{made.id}/actions/{action + 999}",
            data={"csrf_token": csrf_from(page.text), "done": "true"},
        ).status_code
        == 404
    )


def test_effectiveness_page(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    with session_factory() as s:
        coached_world(s, org)
        s.commit()
    page = signed_in(client, org, "manager").get("/coaching/effectiveness")
    assert page.status_code == 200
    found = re.search(r'data-testid="chart-effect"><script type="application/json">(.*?)</script>',
                      page.text, re.S)  # fmt: skip
    assert found
    spec = json.loads(unescape(found.group(1)))
    changes = {v["group"]: v["change"] for v in spec["data"]["values"]}
    assert changes == {"Coached sellers": 2.0, "Not coached on it": 0.5}
    assert "+1.50" in page.text and org.user("manager").full_name in page.text
    narrow = client.get("/coaching/effectiveness", params={"window_days": "10"}).text
    assert "Too few interactions to read" in narrow and 'data-testid="chart-effect"' not in narrow
    assert client.get("/coaching/effectiveness", params={"window_days": ""}).status_code == 200
    assert client.get("/coaching/effectiveness", params={"window_days": "0"}).status_code in (
        400,
        422,
    )


def test_chart_leaves_out_unreadable_focuses() -> None:
    assert change_chart([]) is None
