"""Analytics answers shared per snapshot, scope and question: computed once for callers who
see the same deals, never handed to a caller with another scope or a refused role."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime

import pytest
from sqlalchemy.orm import Session

from tests.analytics.deal_builders import book
from tests.deals.test_service_builders import principal
from tests.factories import Org, make_org
from tests.shared_caches import sharing
from valuescout.analytics import answers, deal_snapshot, service
from valuescout.analytics.answers import ANSWERS
from valuescout.core.errors import Forbidden
from valuescout.core.shared_cache import SharedCache


@pytest.fixture()
def shared(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process-wide caches as the app runs them, emptied before and after."""
    with sharing(monkeypatch, deal_snapshot.CACHE, ANSWERS):
        yield


@pytest.fixture()
def org(session: Session) -> Org:
    made = make_org(session)
    book(session, made)
    return made


def test_one_answer_per_scope_and_question(session: Session, org: Org, shared: None) -> None:
    executive = principal(session, org.user("executive"))
    admin = principal(session, org.user("admin"))
    manager = principal(session, org.user("manager"))
    first = service.outliers(session, executive, service.Slice(), "rep")
    assert service.outliers(session, admin, service.Slice(), "rep") is first  # same scope
    team = service.outliers(session, manager, service.Slice(), "rep")
    assert team is not first
    assert {a.actor for a in team.actors} < {a.actor for a in first.actors}
    other_question = service.outliers(session, executive, service.Slice(), "customer")
    assert other_question is not first and other_question.actor == "customer"
    filtered = service.Slice(filters={"segment": "enterprise"})
    assert service.outliers(session, executive, filtered, "rep") is not first


def test_a_new_snapshot_serves_the_previous_answer_until_its_own_is_ready(
    session: Session, org: Org, shared: None
) -> None:
    executive = principal(session, org.user("executive"))
    first = service.bands(session, executive, service.Slice())
    deal_snapshot.CACHE.clear()
    meanwhile = service.bands(session, executive, service.Slice())  # a new snapshot is read
    assert meanwhile is first  # its answer is computed in the background
    for _ in range(400):  # up to 20 s: a background thread on a busy CI machine
        again = service.bands(session, executive, service.Slice())
        if again is not first:
            break
        time.sleep(0.05)
    assert again is not first and again.source.as_of > first.source.as_of  # type: ignore[operator]
    assert again == first.model_copy(update={"source": again.source})


def test_the_store_computes_once_and_refreshes_behind() -> None:
    store: SharedCache[str] = SharedCache(256)
    t1, t2 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    calls: list[str] = []
    release = threading.Event()

    def slow(label: str) -> Callable[[], str]:
        def compute() -> str:
            calls.append(label)
            release.wait(5)
            return label

        return compute

    with ThreadPoolExecutor(max_workers=3) as pool:  # first askers wait for one computation
        asked = [pool.submit(answers.shared, "q", t1, slow("one"), store) for _ in range(3)]
        time.sleep(0.2)
        release.set()
        assert [f.result(5) for f in asked] == ["one"] * 3
    assert calls == ["one"]
    release.clear()
    assert (
        answers.shared("q", t2, slow("two"), store) == "one"
    )  # a newer snapshot: the old answer, now
    assert answers.shared("q", t2, slow("three"), store) == "one" and calls == [
        "one",
        "two",
    ]  # one refresh
    release.set()
    for _ in range(400):  # up to 20 s: a background thread on a busy CI machine
        if answers.shared("q", t2, slow("four"), store) == "two":
            break
        time.sleep(0.05)
    assert (
        answers.shared("q", t1, slow("five"), store) == "two"
    )  # an older snapshot never replaces it
    assert calls == ["one", "two"]


def test_a_failed_refresh_keeps_the_previous_answer() -> None:
    store: SharedCache[str] = SharedCache(256)
    t1, t2 = datetime(2026, 1, 1, tzinfo=UTC), datetime(2026, 1, 2, tzinfo=UTC)
    answers.shared("q", t1, lambda: "old", store)
    failed = threading.Event()

    def broken() -> str:
        failed.set()
        raise RuntimeError("snapshot unreadable")

    assert answers.shared("q", t2, broken, store) == "old"
    assert failed.wait(5)
    time.sleep(0.1)
    assert (
        answers.shared("q", t2, lambda: "new", store) == "old"
    )  # retried, in the background again
    for _ in range(400):  # up to 20 s: a background thread on a busy CI machine
        if answers.shared("q", t2, lambda: "new", store) == "new":
            break
        time.sleep(0.05)
    assert answers.shared("q", t2, lambda: "newer", store) == "new"


@pytest.mark.parametrize("role", ["seller", "contributor"])
def test_a_shared_answer_is_still_refused(
    session: Session, org: Org, shared: None, role: str
) -> None:
    service.dashboard(session, principal(session, org.user("executive")), service.Slice(), [])
    with pytest.raises(Forbidden):
        service.dashboard(session, principal(session, org.user(role)), service.Slice(), [])
