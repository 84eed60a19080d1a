"""Crash safety, for real: a separate process imports deals or decides a price request, is
killed with SIGKILL while its transaction holds every write but has not committed, and the
database is checked afterwards — on SQLite and on PostgreSQL.

The child process runs the product's own code (the `valuescout import` command; the price
desk's `act`); the only thing the harness adds is a pause just before the commit, announced on
stdout, so the kill lands inside the transaction every time rather than by luck.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import TEST_SECRET
from tests.deals.importing.helpers import deal, make_world, write_csv
from tests.deals.test_service_builders import build_deal
from tests.factories import make_org
from tests.pricing.builders import ask, audit_actions, events, routing_policy, submit, use_policy
from valuescout.core.audit import AuditEntry
from valuescout.deals.models import Account, Opportunity
from valuescout.pricing.models import PriceRequest

ROOT = Path(__file__).resolve().parents[2]
READY = "READY-TO-COMMIT"

# Runs the real CLI, with the unit of work paused (and announced) just before it commits.
IMPORT_CHILD = textwrap.dedent(
    """
    import sys, time
    from contextlib import contextmanager
    from valuescout.cli import context
    from valuescout.core import db

    @contextmanager
    def paused_unit_of_work(factory):
        with db.unit_of_work(factory) as session:
            yield session
            session.flush()
            if PAUSE:
                print("READY-TO-COMMIT", flush=True)
                time.sleep(120)

    context.unit_of_work = paused_unit_of_work
    from valuescout.cli.main import app
    app(sys.argv[1:])
    """
)

DECIDE_CHILD = textwrap.dedent(
    """
    import os, sys, time
    from sqlalchemy import select
    from valuescout.core.db import make_engine, make_session_factory, unit_of_work
    from valuescout.identity.models import User
    from valuescout.identity.service import principal_of
    from valuescout.pricing import service
    from valuescout.pricing.schemas import MoveIn
    from valuescout.pricing.workflow import Move

    factory = make_session_factory(make_engine(os.environ["VALUESCOUT_DATABASE_URL"]))
    with unit_of_work(factory) as session:
        manager = session.scalar(select(User).where(User.id == int(sys.argv[2])))
        service.act(session, principal_of(manager), int(sys.argv[1]), MoveIn(move=Move.APPROVE))
        session.flush()
        if PAUSE:
            print("READY-TO-COMMIT", flush=True)
            time.sleep(120)
    print("DONE", flush=True)
    """
)


def _child_env(database_url: str) -> dict[str, str]:
    return {
        **os.environ,
        "VALUESCOUT_DATABASE_URL": database_url,
        "VALUESCOUT_SECRET_KEY": TEST_SECRET,
        "VALUESCOUT_ENV": "test",
        "PYTHONPATH": str(ROOT),
    }


def _run(code: str, args: list[str], database_url: str, *, pause: bool) -> int | None:
    """Run a child; when pausing, SIGKILL it at the announced moment. Its exit code, or None
    when it was killed."""
    child = subprocess.Popen(
        [sys.executable, "-c", f"PAUSE = {pause}\n{code}", *args],
        cwd=ROOT,
        env=_child_env(database_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        if not pause:
            out, err = child.communicate(timeout=120)
            assert child.returncode == 0, out + err
            return child.returncode
        assert child.stdout is not None
        for line in child.stdout:
            if line.strip() == READY:
                child.send_signal(signal.SIGKILL)
                child.wait(timeout=30)
                assert child.returncode == -signal.SIGKILL
                return None
        raise AssertionError(f"the child ended without pausing: {child.stderr.read()}")  # type: ignore[union-attr]
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()


def _consistent(engine: Engine) -> None:
    """The database opens and checks clean after the crash."""
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            assert conn.exec_driver_sql("PRAGMA integrity_check").scalar() == "ok"
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").all() == []
        else:  # no transaction of the killed client is left behind holding locks
            assert (
                conn.execute(
                    text(
                        "SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a USING (pid) "
                        "WHERE a.datname = current_database() AND a.pid <> pg_backend_pid() "
                        "AND l.locktype = 'relation' AND l.mode LIKE '%Exclusive%'"
                    )
                ).scalar()
                == 0
            )


def _count(factory: sessionmaker[Session], model: type) -> int:
    with factory() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_import_killed_before_commit_writes_nothing(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    with session_factory() as s:
        make_world(s)
        s.commit()
    rows = [deal(f"K-{i}", account=f"New customer {i}") for i in range(400)]
    path = write_csv(tmp_path / "big.csv", rows)
    args = ["import", "opportunities", str(path), "--create-missing"]
    accounts, audits = _count(session_factory, Account), _count(session_factory, AuditEntry)

    assert _run(IMPORT_CHILD, args, database_url, pause=True) is None
    _consistent(engine)
    assert _count(session_factory, Opportunity) == 0
    assert _count(session_factory, Account) == accounts
    assert _count(session_factory, AuditEntry) == audits

    assert _run(IMPORT_CHILD, args, database_url, pause=False) == 0  # and it still works
    assert _count(session_factory, Opportunity) == 400
    assert _count(session_factory, Account) == accounts + 400


def test_price_decision_killed_before_commit_leaves_the_request_as_it_was(
    database_url: str, engine: Engine, session_factory: sessionmaker[Session]
) -> None:
    with session_factory() as s:
        org = make_org(s)
        use_policy(s, routing_policy("manager", "price_desk"))
        seller, manager = org.users["seller"], org.users["manager"]
        opp = build_deal(s, seller, line_product_of=org.users["admin"])
        request_id = submit(s, seller, opp.opp_id, ask("230000")).id
        manager_id = manager.id
        s.commit()

    def snapshot() -> tuple[object, ...]:
        with session_factory() as s:
            request = s.get(PriceRequest, request_id)
            assert request is not None
            return (
                request.state,
                request.step,
                request.version,
                [e.action for e in events(s, request_id)],
                audit_actions(s, "price_request", request_id),
            )

    before = snapshot()
    args = [str(request_id), str(manager_id)]
    assert _run(DECIDE_CHILD, args, database_url, pause=True) is None
    _consistent(engine)
    assert snapshot() == before

    assert _run(DECIDE_CHILD, args, database_url, pause=False) == 0
    state, step, version, actions, audit = snapshot()
    assert (state, step, version) == ("pending", 1, 2)
    assert actions == [*before[3], "approve"] and audit == [*before[4], "approve"]  # type: ignore[misc]
