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
meanwhile wait for that one computation.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from valuescout.analytics import deal_snapshot
from valuescout.analytics.deal_source import DealLineQuery, Source, cut, read_snapshot
from valuescout.identity.scope import Scope

log = logging.getLogger(__name__)
T = TypeVar("T")


class AnswerStore:
    """The latest answer per question (scope, query, currency, question), with the time of
    the snapshot it came from."""

    def __init__(self, max_entries: int = 256) -> None:
        self.max_entries = max_entries
        self.inline = False
        self._lock = threading.Lock()
        self._entries: OrderedDict[Hashable, tuple[datetime, Any]] = OrderedDict()
        self._computing: dict[tuple[Hashable, datetime], threading.Event] = {}
        self._background = ThreadPoolExecutor(max_workers=1, thread_name_prefix="answers")

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def get(self, question: Hashable, taken_at: datetime, compute: Callable[[], T]) -> T:
        if self.inline:
            return compute()
        job = (question, taken_at)
        while True:
            with self._lock:
                found = self._entries.get(question)
                if found is not None:
                    self._entries.move_to_end(question)
                    if found[0] < taken_at and job not in self._computing:
                        self._computing[job] = threading.Event()
                        self._background.submit(self._in_background, job, compute)
                    value: T = found[1]
                    return value  # this snapshot's answer, or the previous one's meanwhile
                waiting = self._computing.get(job)
                if waiting is None:
                    self._computing[job] = threading.Event()
                    break
            waiting.wait()
        try:
            computed = compute()
            self._store(job, computed)
            return computed
        finally:
            self._done(job)

    def _in_background(self, job: tuple[Hashable, datetime], compute: Callable[[], Any]) -> None:
        try:
            self._store(job, compute())
        except Exception:  # the previous answer goes on serving; the next request retries
            log.exception("computing an analytics answer failed")
        finally:
            self._done(job)

    def _store(self, job: tuple[Hashable, datetime], value: Any) -> None:
        question, taken_at = job
        with self._lock:
            found = self._entries.get(question)
            if found is None or found[0] <= taken_at:
                self._entries[question] = (taken_at, value)
                self._entries.move_to_end(question)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def _done(self, job: tuple[Hashable, datetime]) -> None:
        with self._lock:
            self._computing.pop(job).set()


ANSWERS = AnswerStore()


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
    key = (url, scope.owner_ids, deals, currency, question)
    return ANSWERS.get(key, snapshot.taken_at, computed)
