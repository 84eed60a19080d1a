"""The learned methods' trained models, shared by every request of one process.

Training reads the history of every closed deal it learns from: seconds of CPU at tens of
thousands of deals. So that a team's forecast pages do not pay for it (`core.shared_cache`):

- the models are versioned by the closed deals only (how many, and when one last changed), so
  editing an open deal's value case or amount does not retrain; that version is itself read
  at most every `CLOSED_MAX_AGE` seconds (`closed_deals`): counting the closed deals scans
  them all, tens of milliseconds at 100,000 deals, on every scores panel and forecast;
- requests that miss together wait for one training instead of each starting their own;
- when the closed deals change and models exist, requests go on with the previous models
  while one background thread retrains in its own session (the forecast lags a newly closed
  deal by one training, seconds); `inline` retrains in the request instead (tests, where one
  database URL is reused by many companies, and the command line).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from valuescout.core.shared_cache import SharedCache
from valuescout.forecasting import methods
from valuescout.forecasting.features import closed_key

Train = Callable[[Session, date], methods.Models]
KEEP_DATABASES = 4  # a process serves one company; tests and tools open many databases
CLOSED_MAX_AGE = 10.0  # seconds: a newly closed deal reaches the models this much later

CACHE: SharedCache[methods.Models] = SharedCache(KEEP_DATABASES, name="forecast-models")
CLOSED: SharedCache[tuple[Any, ...]] = SharedCache(
    KEEP_DATABASES, max_age=CLOSED_MAX_AGE, name="closed-deals"
)


def closed_deals(session: Session) -> tuple[Any, ...]:
    """The closed deals' version (`features.closed_key`), read again after CLOSED_MAX_AGE."""
    return CLOSED.get(str(session.get_bind().engine.url), lambda: closed_key(session))


def models(
    session: Session,
    today: date,
    closed: tuple[Any, ...],
    train: Train,
    cache: SharedCache[methods.Models] = CACHE,
) -> methods.Models:
    """The models trained on the closed deals `closed` describes (`features.closed_key`), or
    the previous ones while those train."""
    engine = session.get_bind().engine

    def retrain() -> methods.Models:
        with Session(engine) as own:
            return train(own, today)

    return cache.get(
        str(engine.url), lambda: train(session, today), version=closed, refresh=retrain
    )
