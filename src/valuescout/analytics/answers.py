"""Analytics answers shared while their snapshot of the deal lines serves.

An answer (a page's figures) depends only on the snapshot (`deal_snapshot`), which deals the
caller may see (their scope's owners), the deal query, the company's currency and the question
(which figures, with which filters). Callers with the same scope asking the same question of
the same snapshot get the same answer, so it is computed once: the leakage ranking over 15,000
customers costs seconds at 100,000 deals (bench/README.md, load test), and ten executives
opening the dashboard while a snapshot serves pay for it once. Who may ask is checked before
(`service.answered`); the scope is part of the key, so nobody gets an answer cut for someone
else.

When a new snapshot arrives, the previous snapshot's answer to the same question keeps being
served (its "as of" says which) while one background thread computes the new one, so no
request waits for a recomputation that, on a busy machine, took longer than a client waits.
Only the first answer of a question waits for its computation, and callers asking it
meanwhile wait for that one computation (`core.shared_cache`) — except pages, which ask
`not_waiting()`: the first answer is then computed in the background too and the page says so
and looks again (`Pending`), since under load it took longer than a browser waits.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from valuescout.analytics import deal_snapshot
from valuescout.analytics.deal_source import DealLineQuery, Source, cut, read_snapshot
from valuescout.core.shared_cache import Entry, SharedCache
from valuescout.identity.scope import Scope

T = TypeVar("T")
ANSWERS: SharedCache[Any] = SharedCache(256, name="analytics-answers")
_WAITING: ContextVar[bool] = ContextVar("analytics_answers_waiting", default=True)


class Pending(Exception):
    """The answer is being computed in the background; ask again shortly."""


@contextmanager
def not_waiting() -> Iterator[None]:
    """Within: an answer nobody has computed yet raises `Pending` (its computation started in
    the background) instead of being computed in the request."""
    token = _WAITING.set(False)
    try:
        yield
    finally:
        _WAITING.reset(token)


def shared(
    question: Hashable,
    taken_at: datetime,
    compute: Callable[[], T],
    store: SharedCache[Any] = ANSWERS,
) -> T:
    """The answer to `question` from the snapshot taken at `taken_at`, or, while that one is
    computed behind, from the newest earlier snapshot; a later snapshot's answer is never
    replaced by an earlier one's."""

    def current(entry: Entry[Any]) -> bool:
        return isinstance(entry.version, datetime) and entry.version >= taken_at

    if not _WAITING.get():
        found = store.get_or_start(question, compute, version=taken_at, current=current)
        if found is None:
            raise Pending
        return found  # type: ignore[no-any-return]
    value: T = store.get(question, compute, version=taken_at, refresh=compute, current=current)
    return value


def answer(
    session: Session,
    scope: Scope,
    deals: DealLineQuery,
    currency: str,
    question: Hashable,
    compute: Callable[[Source], T],
) -> T:
    """`compute` over the caller's lines of the current snapshot, or its shared answer."""
    snapshot = deal_snapshot.snapshot(session, read_snapshot)

    def computed() -> T:
        source = cut(snapshot, scope, deals, currency)
        try:
            return compute(source)
        finally:
            source.close()

    if deal_snapshot.CACHE.inline:
        return computed()
    url = str(session.get_bind().engine.url)
    return shared((url, scope.owner_ids, deals, currency, question), snapshot.taken_at, computed)
