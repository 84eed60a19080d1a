"""`id_filters`: the rows whose id is in a set, whatever its size, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import Org, make_org
from valuescout.core.sql_sets import CHUNK, id_filters
from valuescout.identity.models import User


@pytest.fixture()
def org(session: Session) -> Org:
    return make_org(session)


def _found(session: Session, ids: set[int]) -> list[int]:
    found: list[int] = []
    for among in id_filters(session, User.id, ids):
        found += session.scalars(select(User.id).where(among))
    return sorted(found)


def test_every_wanted_row_is_found_once_and_no_other(session: Session, org: Org) -> None:
    users = sorted(u.id for u in org.users.values())
    wanted = set(users[::2])
    assert _found(session, wanted) == sorted(wanted)


def test_more_ids_than_one_statement_takes_on_sqlite(session: Session, org: Org) -> None:
    users = {u.id for u in org.users.values()}
    absent = set(range(10**6, 10**6 + 2 * CHUNK + 7))  # ids no row has
    assert _found(session, users | absent) == sorted(users)
    statements = len(list(id_filters(session, User.id, users | absent)))
    postgres = session.get_bind().dialect.name == "postgresql"
    assert statements == (1 if postgres else 3)  # one array parameter, else chunks


def test_no_ids_run_no_statement(session: Session) -> None:
    assert list(id_filters(session, User.id, set())) == []
