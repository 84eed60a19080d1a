"""The trained models shared by a process: keyed by the closed deals, one training at a time,
the previous models served while a background thread retrains."""

from __future__ import annotations

import threading
import time
from datetime import date

import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session

from tests.analytics.deal_builders import account, deal, product
from tests.factories import make_org
from tests.shared_caches import sharing
from valuescout.core.shared_cache import SharedCache
from valuescout.deals.models import Opportunity
from valuescout.forecasting import features, methods, model_cache, training
from valuescout.forecasting.model_cache import models
from valuescout.forecasting.scorecard import Scorecard
from valuescout.forecasting.service import trained_models

TODAY = date(2026, 6, 1)


def _company(session: Session) -> list[int]:
    org = make_org(session)
    pump = product(session, "Pump")
    acc = account(session, org.user("seller"), "Plant", "enterprise")
    ids = []
    for j in range(6):
        opp = deal(
            session, org.user("seller"), acc, pump, [("1", "900")],
            outcome=("won", "lost", "open")[j % 3], close=date(2026, 3, 1 + j),
        )  # fmt: skip
        ids.append(opp.id)
    session.commit()
    return ids


def _fake_models(label: str) -> methods.Models:
    return methods.Models(card=Scorecard.__new__(Scorecard), unavailable={"trained": label})


def test_editing_an_open_deal_keeps_the_key_closing_one_changes_it(session: Session) -> None:
    ids = _company(session)
    before = features.closed_key(session)
    assert before[0] == 4  # 2 won, 2 lost
    session.execute(update(Opportunity).where(Opportunity.id == ids[2]).values(name="Renamed"))
    session.commit()
    assert features.closed_key(session) == before
    session.execute(update(Opportunity).where(Opportunity.id == ids[0]).values(name="Won, renamed"))
    session.commit()
    assert features.closed_key(session) != before


def test_requests_that_miss_together_train_once(session: Session) -> None:
    _company(session)
    cache: SharedCache[methods.Models] = SharedCache(4)
    calls: list[int] = []

    def slow_train(s: Session, today: date) -> methods.Models:
        calls.append(1)
        time.sleep(0.3)
        return _fake_models("first")

    got: list[methods.Models] = []
    key = features.closed_key(session)
    threads = [
        threading.Thread(target=lambda: got.append(models(session, TODAY, key, slow_train, cache)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(got) == 4 and all(m is got[0] for m in got)


def test_changed_closed_deals_serve_the_previous_models_while_retraining(
    session: Session,
) -> None:
    _company(session)
    cache: SharedCache[methods.Models] = SharedCache(4)
    old = models(session, TODAY, ("old",), lambda s, t: _fake_models("old"), cache)
    released = threading.Event()

    def retrain(s: Session, today: date) -> methods.Models:
        released.wait(5)
        return _fake_models("new")

    assert models(session, TODAY, ("new",), retrain, cache) is old  # no wait for the retraining
    assert models(session, TODAY, ("new",), retrain, cache) is old  # and only one retraining
    released.set()
    for _ in range(100):
        with cache._lock:
            entry = next(iter(cache._entries.values()))
        if entry.value is not old:
            break
        time.sleep(0.05)
    assert entry.value.unavailable == {"trained": "new"}
    assert entry.version == ("new",)


def test_inline_retrains_in_the_request(session: Session) -> None:
    _company(session)
    cache: SharedCache[methods.Models] = SharedCache(4)
    cache.inline = True
    models(session, TODAY, ("old",), lambda s, t: _fake_models("old"), cache)
    new = models(session, TODAY, ("new",), lambda s, t: _fake_models("new"), cache)
    assert new.unavailable == {"trained": "new"}


def test_training_learns_from_the_most_recent_closed_deals(session: Session, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    ids = _company(session)
    monkeypatch.setattr(training, "MAX_DEALS", 2)
    examples, _ = training.training_examples(session, TODAY)
    assert {d.opportunity_id for d in examples} == {ids[4], ids[3]}  # closed 5 and 4 March
    examples, _ = training.training_examples(session, TODAY, before=date(2026, 3, 4))
    assert {d.opportunity_id for d in examples} == {ids[1], ids[0]}


def test_the_service_trains_once_per_closed_deals(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    _company(session)
    with sharing(monkeypatch, model_cache.CACHE):
        first = trained_models(session, TODAY)
        assert trained_models(session, TODAY) is first


def test_the_closed_deals_are_counted_again_only_after_a_few_seconds(
    session: Session, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = _company(session)
    now = [0.0]
    monkeypatch.setattr(model_cache.CLOSED, "clock", lambda: now[0])
    with sharing(monkeypatch, model_cache.CLOSED):
        before = model_cache.closed_deals(session)
        session.execute(update(Opportunity).where(Opportunity.id == ids[0]).values(name="Won 2"))
        session.commit()
        assert model_cache.closed_deals(session) == before  # a scores panel counts nothing
        now[0] += model_cache.CLOSED_MAX_AGE + 1
        assert model_cache.closed_deals(session) == features.closed_key(session) != before
