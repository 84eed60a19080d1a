"""The discoveries pages: logging (and a bad form re-rendered with 400 and nothing written),
the queue only for editors, reviewing through the forms (409 on a second review), the ideas
page and its CSV, and the customer voices on a network."""

from __future__ import annotations

from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.discoveries.test_api import node_id
from tests.factories import Org, csrf_token, seeded_org, sign_in
from tests.valuenet.factories import seeded_network
from valuescout.discoveries.models import Discovery


@pytest.fixture()
def org(session_factory: sessionmaker[Session]) -> Org:
    return seeded_org(session_factory)


FORM = {
    "customer_name": "Harbour Foods",
    "situation": "Trucks queue at the gate while paperwork is checked by hand.",
    "desired_outcome": "Shorter gate queues",
    "value_hint": "@ about 30 minutes a truck",
    "value_amount": "18,000",
}


def log(client: TestClient, **extra: str) -> str:
    data = {**FORM, **extra, "csrf_token": csrf_token(client, "/discoveries")}
    out = client.post("/discoveries", data=data, follow_redirects=False)
    assert out.status_code == 303, out.text
    return out.headers["location"]


def count(session_factory: sessionmaker[Session]) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(Discovery)) or 0


def test_a_contributor_logs_and_sees_no_queue(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    sign_in(client, org.user("contributor").email)
    page = client.get("/discoveries")
    assert page.status_code == 200 and 'data-testid="log-form"' in page.text
    assert 'data-testid="queue"' not in page.text and "ideas-link" not in page.text
    where = log(client)
    detail = client.get(where)
    assert "Shorter gate queues" in detail.text and "18,000" in detail.text
    assert 'data-testid="attach-form"' not in detail.text
    assert "Shorter gate queues" in client.get("/discoveries").text
    assert client.get("/discoveries/ideas").status_code == 403


def test_a_bad_form_is_shown_again_and_nothing_is_written(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    sign_in(client, org.user("seller").email)
    for bad, message in (
        ({"value_amount": "lots"}, "Value: enter a number"),
        ({"customer_name": ""}, "customer_name: name the customer"),
        ({"situation": "  "}, "situation"),
        ({"account_id": "abc"}, "Account: enter a whole number"),
    ):
        data = {**FORM, **bad, "csrf_token": csrf_token(client, "/discoveries")}
        out = client.post("/discoveries", data=data)
        assert out.status_code == 400, bad
        assert message in unescape(out.text)
        assert 'value="Shorter gate queues"' in out.text  # the form keeps what was sent
    assert count(session_factory) == 0


def test_an_editor_creates_an_outcome_and_it_shows_in_the_voices(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    network = seeded_network(session_factory)
    sign_in(client, org.user("contributor").email)
    where = log(client, network_id=str(network))
    client.cookies.clear()
    sign_in(client, org.user("seller").email)
    assert 'data-testid="create-form"' not in client.get(where).text
    client.cookies.clear()
    sign_in(client, org.user("manager").email)
    assert "Shorter gate queues" in client.get("/discoveries").text  # in the queue
    page = client.get(where)
    assert 'data-testid="create-form"' in page.text
    review = {"action": "create", "network_id": str(network), "outcome_name": "Shorter gates",
              "outcome_kind": "business", "csrf_token": csrf_token(client, where),
              "link_from_id": str(node_id(session_factory, "Predictive sensors"))}  # fmt: skip
    out = client.post(f"{where}/review", data=review, follow_redirects=False)
    assert out.status_code == 303, out.text
    again = client.post(f"{where}/review", data={**review, "outcome_name": "Other"})
    assert again.status_code == 409 and "already accepted" in again.text
    voices = client.get(f"/value-networks/{network}/discoveries")
    assert voices.status_code == 200 and "Shorter gates" in voices.text
    assert "Harbour Foods" in voices.text
    assert client.get("/value-networks/9999/discoveries").status_code == 404


def test_decline_needs_a_reason_and_feeds_the_ideas(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    sign_in(client, org.user("manager").email)
    where = log(client, theme="Gate flow")
    token = csrf_token(client, where)
    missing = client.post(f"{where}/review", data={"action": "decline", "csrf_token": token})
    assert missing.status_code == 400 and "decline_reason: say why" in unescape(missing.text)
    done = client.post(f"{where}/review", follow_redirects=False, data={
        "action": "decline", "decline_reason": "not_delivered", "csrf_token": token})  # fmt: skip
    assert done.status_code == 303
    ideas = client.get("/discoveries/ideas")
    assert ideas.status_code == 200 and "Gate flow" in ideas.text
    csv_text = client.get("/discoveries/ideas.csv").text
    assert "'@ about 30 minutes a truck" in csv_text
    assert client.get("/discoveries?status=declined").status_code == 200
    assert client.get("/discoveries?status=bogus").status_code in (400, 422)
