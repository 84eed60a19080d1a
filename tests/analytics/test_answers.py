"""Analytics answers shared per snapshot, scope and question: computed once for callers who
see the same deals, never handed to a caller with another scope or a refused role."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy.orm import Session

from tests.analytics.deal_builders import book
from tests.deals.test_service_builders import principal
from tests.factories import Org, make_org
from valuescout.analytics import deal_snapshot, service
from valuescout.analytics.answers import ANSWERS
from valuescout.core.errors import Forbidden


@pytest.fixture()
def shared(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The process-wide caches as the app runs them, emptied before and after."""
    monkeypatch.setattr(deal_snapshot.CACHE, "inline", False)
    monkeypatch.setattr(ANSWERS, "inline", False)
    deal_snapshot.CACHE.clear()
    ANSWERS.clear()
    yield
    deal_snapshot.CACHE.clear()
    ANSWERS.clear()


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


def test_a_new_snapshot_is_a_new_answer(session: Session, org: Org, shared: None) -> None:
    executive = principal(session, org.user("executive"))
    first = service.bands(session, executive, service.Slice())
    deal_snapshot.CACHE.clear()
    again = service.bands(session, executive, service.Slice())
    assert again is not first and again == first.model_copy(update={"source": again.source})


@pytest.mark.parametrize("role", ["seller", "contributor"])
def test_a_shared_answer_is_still_refused(
    session: Session, org: Org, shared: None, role: str
) -> None:
    service.dashboard(session, principal(session, org.user("executive")), service.Slice(), [])
    with pytest.raises(Forbidden):
        service.dashboard(session, principal(session, org.user(role)), service.Slice(), [])
