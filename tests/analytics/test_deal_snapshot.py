"""The analytics' shared snapshot of the deal lines: read once, served for MAX_AGE seconds,
then served while one background thread reads a new one; a change shows after that read."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pyarrow as pa
from sqlalchemy.orm import Session

from valuescout.analytics import deal_snapshot
from valuescout.analytics.deal_snapshot import Snapshot, snapshot
from valuescout.core.shared_cache import SharedCache


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def _snap(label: str) -> Snapshot:
    return Snapshot(pa.table({"label": [label]}), {}, {}, datetime.now(UTC))


def _label(s: Snapshot) -> str:
    return str(s.table["label"][0])


def test_served_until_old_then_refreshed_in_the_background(session: Session) -> None:
    clock = Clock()
    cache = SharedCache(4, clock=clock)
    reads: list[str] = []
    release = threading.Event()

    def read(s: Session) -> Snapshot:
        label = f"read {len(reads) + 1}"
        reads.append(label)
        if len(reads) > 1:
            release.wait(5)
        return _snap(label)

    assert _label(snapshot(session, read, cache)) == "read 1"
    clock.now += deal_snapshot.MAX_AGE - 1
    assert _label(snapshot(session, read, cache)) == "read 1" and len(reads) == 1  # still fresh
    clock.now += 2
    assert _label(snapshot(session, read, cache)) == "read 1"  # old: served, refresh started
    assert _label(snapshot(session, read, cache)) == "read 1"  # one refresh at a time
    release.set()
    for _ in range(100):
        if _label(snapshot(session, read, cache)) == "read 2":
            break
        time.sleep(0.05)
    assert _label(snapshot(session, read, cache)) == "read 2" and reads == ["read 1", "read 2"]


def test_first_requests_wait_for_one_read(session: Session) -> None:
    cache = SharedCache(4, clock=Clock())
    reads: list[int] = []

    def read(s: Session) -> Snapshot:
        reads.append(1)
        time.sleep(0.3)
        return _snap("only")

    got: list[Snapshot] = []
    threads = [
        threading.Thread(target=lambda: got.append(snapshot(session, read, cache)))
        for _ in range(4)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(reads) == 1 and len(got) == 4 and all(g is got[0] for g in got)


def test_inline_reads_every_time(session: Session) -> None:
    cache = SharedCache(4, clock=Clock())
    cache.inline = True
    labels = iter(["a", "b"])
    assert _label(snapshot(session, lambda s: _snap(next(labels)), cache)) == "a"
    assert _label(snapshot(session, lambda s: _snap(next(labels)), cache)) == "b"


def test_a_failed_refresh_keeps_the_previous_snapshot(session: Session) -> None:
    clock = Clock()
    cache = SharedCache(4, clock=clock)
    snapshot(session, lambda s: _snap("good"), cache)
    clock.now += deal_snapshot.MAX_AGE + 1
    done = threading.Event()

    def broken(s: Session) -> Snapshot:
        done.set()
        raise RuntimeError("database went away")

    assert _label(snapshot(session, broken, cache)) == "good"
    done.wait(5)
    time.sleep(0.1)
    assert _label(snapshot(session, lambda s: _snap("next"), cache)) == "good"  # retried later


def test_a_slow_read_is_repeated_less_often(session: Session) -> None:
    clock = Clock()
    cache = SharedCache(4, clock=clock)
    reads: list[str] = []

    def read(s: Session) -> Snapshot:
        reads.append("x")
        clock.now += 20  # reading took 20 s: the next read no sooner than 10 x 20 s
        return _snap(f"read {len(reads)}")

    snapshot(session, read, cache)
    clock.now += deal_snapshot.MAX_AGE + 1
    assert _label(snapshot(session, read, cache)) == "read 1"
    clock.now += 20 * deal_snapshot.READS_APART - deal_snapshot.MAX_AGE - 2
    assert _label(snapshot(session, read, cache)) == "read 1" and reads == ["x"]  # still fresh
    clock.now += 2
    snapshot(session, read, cache)  # old now: a background read starts
    for _ in range(400):  # up to 20 s: a background thread on a busy CI machine
        if len(reads) == 2:
            break
        time.sleep(0.05)
    assert reads == ["x", "x"]
