"""Analytics answers shared while their snapshot of the deal lines serves.

An answer (a page's figures) depends only on the snapshot (`deal_snapshot`), which deals the
caller may see (their scope's owners), the deal query, the company's currency and the question
(which figures, with which filters). Callers with the same scope asking the same question of
the same snapshot get the same answer, so it is computed once: the leakage ranking over 15,000
customers costs seconds at 100,000 deals (bench/README.md, load test), and ten executives
opening the dashboard within the minute a snapshot serves pay for it once. Who may ask is
checked before (`service.answered`); the scope is part of the key, so nobody gets an answer cut
for someone else. A new snapshot is a new key; `ANSWERS` forgets the old ones by age and count.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from valuescout.analytics import deal_snapshot
from valuescout.analytics.deal_source import DealLineQuery, Source, cut, read_snapshot
from valuescout.core.ttl_cache import TtlCache
from valuescout.identity.scope import Scope

T = TypeVar("T")
ANSWERS: TtlCache[Any] = TtlCache(ttl=deal_snapshot.MAX_AGE * 5, max_entries=128)


def answer(
    session: Session,
    scope: Scope,
    deals: DealLineQuery,
    currency: str,
    question: Hashable,
    compute: Callable[[Source], T],
) -> T:
    """`compute` over the caller's lines of the current snapshot, or its shared answer."""
    snapshot = deal_snapshot.CACHE.get(session, read_snapshot)

    def computed() -> T:
        source = cut(snapshot, scope, deals, currency)
        try:
            return compute(source)
        finally:
            source.close()

    if deal_snapshot.CACHE.inline:
        return computed()
    url = str(session.get_bind().engine.url)
    key = (url, snapshot.taken_at, scope.owner_ids, deals, currency, question)
    value: T = ANSWERS.get(key, computed)
    return value
