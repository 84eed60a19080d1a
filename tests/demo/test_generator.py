"""The demo company: believable, complete, deterministic, and reachable from the CLI."""

from __future__ import annotations

import functools
from collections import Counter
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.demo_store import DemoStore, ReadDemo
from valuescout.cli import demo as demo_command
from valuescout.cli.main import app
from valuescout.core.db import make_engine, make_session_factory
from valuescout.core.security import verify_password
from valuescout.core.settings import get_settings
from valuescout.deals.models import Opportunity
from valuescout.demo.deals import DealScale
from valuescout.demo.generator import DEMO_PASSWORD, seed_demo
from valuescout.identity.models import Team, User
from valuescout.identity.roles import Role
from valuescout.valuenet.graph import build_graph
from valuescout.valuenet.lint import lint
from valuescout.valuenet.repository import load_spec

SMALL = DealScale(accounts=12, opportunities=40)  # the deals have their own tests
TODAY = date(2026, 6, 15)


def test_demo_company_has_the_promised_shape(read_demo: ReadDemo) -> None:
    demo, session = read_demo(seed=7, today=TODAY, deals=SMALL)
    teams = Counter(t.kind for t in session.scalars(select(Team)))
    assert teams == {"company": 1, "region": 3, "team": 6}
    users = session.scalars(select(User)).all()
    assert 38 <= len(users) <= 45
    roles = Counter(u.role for u in users)
    assert set(roles) == set(Role)
    assert roles[Role.SELLER] >= 20
    assert all(u.team_id is not None for u in users)
    assert set(demo.logins) == set(Role)
    assert verify_password(users[0].password_hash, DEMO_PASSWORD)


def test_demo_value_networks_are_full_and_clean(read_demo: ReadDemo) -> None:
    demo, session = read_demo(seed=7, today=TODAY, deals=SMALL)
    assert len(demo.value_networks) == 2
    for network in demo.value_networks:
        spec = load_spec(session, network)
        assert len(spec.outcomes) >= 25 and len(spec.personas) >= 6
        assert len(spec.competitors) == 2
        assert sum(link.two_way for link in spec.links) >= 3
        assert any(o.executive for o in spec.outcomes)
        issues = lint(build_graph(spec))
        assert issues == (), [i.message for i in issues]


def test_same_seed_same_company_other_seed_other_people(
    tmp_path: Path, demo_store: DemoStore
) -> None:
    """Seed 7 twice (the shared company, and again here), and seed 8."""

    def company(seed: int, name: str | None) -> tuple[list[str], list[tuple[object, ...]]]:
        if name is None:
            engine, s = demo_store.reader(demo_store.seeded("sqlite", seed, TODAY, SMALL))
        else:
            engine = make_engine(f"sqlite:///{tmp_path / name}")
            from valuescout.core.migrate import upgrade

            upgrade(engine)
            s = make_session_factory(engine)()
            seed_demo(s, seed=seed, today=TODAY, deals=SMALL)
            s.commit()
        with s:
            emails = list(s.scalars(select(User.email).order_by(User.id)))
            o = Opportunity
            deals = [
                tuple(row)
                for row in s.execute(
                    select(o.name, o.owner_id, o.stage_id, o.amount, o.close_date).order_by(o.id)
                )
            ]
        engine.dispose()
        return emails, deals

    first, again, other = company(7, None), company(7, "b.db"), company(8, "c.db")
    assert first == again
    assert first[0] != other[0] and first[1] != other[1]
    assert "seller@kestrelflow.example" in other[0]  # the published logins never change


def test_demo_command_creates_then_reuses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The full company once; the reset makes a small one (the scale is not what it tests)."""
    monkeypatch.setenv("VALUESCOUT_DATABASE_URL", "")  # recorded, so the demo's own is undone
    monkeypatch.setenv("VALUESCOUT_ENV", "development")
    get_settings.cache_clear()
    db = tmp_path / "demo.db"
    runner = CliRunner()
    try:
        first = runner.invoke(app, ["demo", "--db", str(db), "--no-serve", "--seed", "3"])
        assert first.exit_code == 0, first.output
        assert "Created Kestrel Flow Systems" in first.output
        assert "300 accounts and 2,000 opportunities" in " ".join(first.output.split())
        assert "admin@kestrelflow.example" in first.output
        second = runner.invoke(app, ["demo", "--db", str(db), "--no-serve"])
        assert second.exit_code == 0 and "already in" in second.output
        small = functools.partial(seed_demo, deals=SMALL)
        monkeypatch.setattr(demo_command, "seed_demo", small)
        reset = runner.invoke(app, ["demo", "--db", str(db), "--no-serve", "--reset"])
        assert reset.exit_code == 0 and "Created" in reset.output
        assert "12 accounts and 40 opportunities" in " ".join(reset.output.split())
    finally:
        get_settings.cache_clear()
