"""The learned methods' trained models, shared by every request of one process.

Training reads the history of every closed deal it learns from: seconds of CPU at tens of
thousands of deals. So that a team's forecast pages do not pay for it:

- the models are keyed by the closed deals only (how many, and when one last changed), so
  editing an open deal's value case or amount does not retrain;
- one training per process at a time: requests that miss together wait for that one training
  instead of each starting their own;
- when the closed deals change and models exist, requests go on with the previous models
  while one background thread retrains (stale while revalidating: the forecast lags a newly
  closed deal by one training, seconds); `INLINE` makes the retraining happen in the request
  instead (tests, where one database URL is reused by many companies, and the command line).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Engine
from sqlalchemy.orm import Session

from valuescout.forecasting import methods
from valuescout.forecasting.features import closed_key

log = logging.getLogger(__name__)
Train = Callable[[Session, date], methods.Models]
Key = tuple[Any, ...]
KEEP_DATABASES = 4  # a process serves one company; tests and tools open many databases


@dataclass
class _Entry:
    key: Key
    models: methods.Models


class ModelCache:
    """The newest trained models of each database, with single-flight training."""

    def __init__(self) -> None:
        self.inline = False
        self._lock = threading.Lock()
        self._training = threading.Lock()  # held by whoever trains (request or thread)
        self._entries: dict[str, _Entry] = {}  # database url -> newest models
        self._refreshing: set[str] = set()

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def get(self, session: Session, today: date, key: Key, train: Train) -> methods.Models:
        engine = session.get_bind().engine
        url = str(engine.url)
        with self._lock:
            entry = self._entries.get(url)
        if entry is not None and entry.key == key:
            return entry.models
        if entry is not None and not self.inline:
            self._refresh_in_background(engine, url, today, train)
            return entry.models
        with self._training:  # one training at a time; who waited may find it done
            with self._lock:
                entry = self._entries.get(url)
            if entry is not None and entry.key == key:
                return entry.models
            models = train(session, today)
            self._store(url, key, models)
            return models

    def _store(self, url: str, key: Key, models: methods.Models) -> None:
        with self._lock:
            self._entries.pop(url, None)
            while len(self._entries) >= KEEP_DATABASES:  # the oldest first (insertion order)
                del self._entries[next(iter(self._entries))]
            self._entries[url] = _Entry(key, models)

    def _refresh_in_background(self, engine: Engine, url: str, today: date, train: Train) -> None:
        with self._lock:
            if url in self._refreshing:
                return
            self._refreshing.add(url)
        thread = threading.Thread(
            target=self._refresh, args=(engine, url, today, train), daemon=True
        )
        thread.start()

    def _refresh(self, engine: Engine, url: str, today: date, train: Train) -> None:
        try:
            with self._training, Session(engine) as session:
                key = closed_key(session)
                self._store(url, key, train(session, today))
        except Exception:  # a failed refresh keeps the previous models; the next miss retries
            log.exception("retraining the forecast's learned methods failed")
        finally:
            with self._lock:
                self._refreshing.discard(url)


CACHE = ModelCache()
