"""`column IN (ids)` for id sets of any size, read the way each database reads them best.

On PostgreSQL a list of thousands of bound ids costs more to parse and plan than the query to
run, and a subquery instead of the list is planned from estimates that can be far off (a team's
open deals in a quarter estimated at ten times their number chose a sequential scan of every
deal's history, 150 ms): one array parameter (`= ANY(:ids)`) is parsed once and planned from its
real length. SQLite takes the list in chunks under its limit on bound parameters.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import ColumnElement, Integer, any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

CHUNK = 5000  # ids per statement where the database takes a list


def id_filters(
    session: Session, column: Any, ids: Collection[int]
) -> Iterator[ColumnElement[bool]]:
    """Conditions selecting rows whose `column` is one of `ids`, one per statement to run
    (none for no ids); their results together are the rows wanted."""
    wanted = sorted(set(ids))
    if not wanted:
        return
    if session.get_bind().dialect.name == "postgresql":
        yield column == any_(bindparam(None, wanted, type_=ARRAY(Integer)))
        return
    for start in range(0, len(wanted), CHUNK):
        yield column.in_(wanted[start : start + CHUNK])
