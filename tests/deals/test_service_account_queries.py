"""The accounts list reads a page in a fixed number of queries, whatever its length."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, event
from sqlalchemy.orm import Session

from tests.deals.test_service_builders import build_deal, principal
from tests.factories import make_org
from valuescout.core.pagination import PageRequest
from valuescout.deals import accounts


@contextmanager
def counted(engine: Engine) -> Iterator[list[str]]:
    statements: list[str] = []

    def count(*args: object) -> None:
        statements.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_accounts_page_queries_do_not_grow_with_rows(session: Session, engine: Engine) -> None:
    org = make_org(session)
    manager = principal(session, org.users["manager"])
    for _ in range(2):
        build_deal(session, org.users["seller"], value_case=False)
    with counted(engine) as few:
        small = accounts.list_accounts(session, manager, PageRequest(limit=50))
    for _ in range(8):
        build_deal(session, org.users["seller"], value_case=False)
    with counted(engine) as many:
        large = accounts.list_accounts(session, manager, PageRequest(limit=50))
    assert (small.total, large.total) == (2, 10)
    assert all(a.open_opportunities == 1 and a.owner_name for a in large.items)
    assert len(many) == len(few), many
