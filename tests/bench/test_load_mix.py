"""The load test's client logic (bench/load_mix.py, bench/load_test.py) against the real app in
process, on a small demo company: every action of every role gets the answers the load test
expects (a changed page or API that the mix no longer matches fails here, not in a long run)."""

from __future__ import annotations

import asyncio
import random
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import make_app
from valuescout.core.settings import Settings
from valuescout.demo.deals import DealScale, build_deals
from valuescout.demo.generator import (
    DEMO_ACTOR,
    DEMO_PASSWORD,
    DemoCompany,
    seed_organisation,
    seed_value_networks,
)

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))

from load_mix import Person, Shared, VirtualUser, form_fields
from load_report import Stats, summary
from load_test import load_people, role_counts, search_words


def seed_small(session_factory: sessionmaker[Session]) -> None:
    with session_factory() as session:
        demo = DemoCompany(rng=random.Random(7))
        seed_organisation(session, demo)
        seed_value_networks(session, demo)
        build_deals(session, demo, DealScale(accounts=30, opportunities=300), DEMO_ACTOR)
        session.commit()


def browser(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://testserver")


async def every_action(app: FastAPI, people: dict[str, list[Person]], shared: Shared) -> None:
    for n, role in enumerate(("seller", "manager", "price_desk", "executive")):
        user = VirtualUser(n, people[role][0], (0, 1), browser(app))
        await user.sign_in(DEMO_PASSWORD)
        for name, action, _weight in user.mix():
            for _ in range(4 if name == "ask for a price" else 1):  # approvers need a queue
                await action(shared)
        await user.client.aclose()


def test_every_action_of_every_role_gets_the_expected_answers(
    settings: Settings, session_factory: sessionmaker[Session]
) -> None:
    seed_small(session_factory)
    with session_factory() as session:
        people = load_people(session, random.Random(7))
        words = search_words(session)
    assert set(people) == {"seller", "manager", "price_desk", "executive"}
    app = make_app(settings)
    stats = Stats(recording=True)
    shared = Shared(stats, stop_at=0.0, think=0.0, stage_ids=[1, 2, 3], search_words=words)
    try:
        # A thread of its own: on the xdist worker that also runs the browser tests,
        # Playwright's sync API keeps an event loop running in this thread.
        with ThreadPoolExecutor(max_workers=1) as pool:
            pool.submit(asyncio.run, every_action(app, people, shared)).result()
    finally:
        app.state.engine.dispose()
    report = summary(stats, 1.0)
    assert report["errors"] == 0, report["error_samples"]
    done = {e["endpoint"] for e in report["endpoints"]}
    for endpoint in (
        "GET /pipeline",
        "GET /opportunities/{id}",
        "GET /opportunities/{id}/scores/panel",
        "POST /opportunities/{id}/value-case/preview",
        "POST /opportunities/{id}/value-case",
        "PATCH /api/v1/opportunities/{id}/value-case/outcomes/{id}",
        "POST /api/v1/opportunities/{id}/price-requests",
        "GET /api/v1/price-requests/queue",
        "POST /api/v1/price-requests/{id}/moves",
        "GET /forecast",
    ):
        assert endpoint in done, endpoint


def test_the_editor_form_is_read_as_a_browser_posts_it() -> None:
    html = """<form id="other"><input name="x" value="1"></form>
    <form id="vc-form"><input type="hidden" name="csrf_token" value="t">
    <input name="o-0-name" value="Less downtime &amp; scrap">
    <select name="o-0-direction"><option value="for">For</option>
      <option value="against" selected>Against</option></select>
    <select name="o-0-state"><option value="hypothesised">H</option></select>
    <input type="checkbox" name="o-0-remove" value="1">
    <textarea name="assumptions">Two shifts</textarea>
    <template><input name="o-__i__-name" value=""></template>
    <button type="submit">Save</button></form>"""
    assert form_fields(html, "vc-form") == {
        "csrf_token": "t",
        "o-0-name": "Less downtime & scrap",
        "o-0-direction": "against",
        "o-0-state": "hypothesised",
        "assumptions": "Two shifts",
    }


@pytest.mark.parametrize(
    ("users", "expected"),
    [
        (4, (1, 1, 1, 1)),
        (10, (6, 2, 1, 1)),
        (50, (30, 10, 5, 5)),
        (51, (31, 10, 5, 5)),
    ],
)
def test_role_counts_add_up_with_every_role_present(
    users: int, expected: tuple[int, int, int, int]
) -> None:
    counts = role_counts(users)
    assert tuple(counts[r] for r in ("seller", "manager", "price_desk", "executive")) == expected
