"""The row-scope helper every domain uses: who sees whose rows, and who sees money."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.factories import make_org, make_team, make_user
from valuescout.identity.hierarchy import subtree_ids
from valuescout.identity.models import User
from valuescout.identity.roles import Role
from valuescout.identity.scope import scope_for
from valuescout.identity.service import principal_of


def _visible(session: Session, user: User) -> set[str]:
    scope = scope_for(session, principal_of(user))
    return set(session.scalars(scope.filter(select(User.email), User.id)))


def test_seller_sees_only_themselves(session: Session) -> None:
    org = make_org(session)
    assert _visible(session, org.user("seller")) == {"seller@example.com"}


def test_contributor_sees_only_themselves_and_no_money(session: Session) -> None:
    org = make_org(session)
    scope = scope_for(session, principal_of(org.user("contributor")))
    assert _visible(session, org.user("contributor")) == {"contrib@example.com"}
    assert scope.sees_money is False


def test_manager_sees_their_team_subtree(session: Session) -> None:
    org = make_org(session)
    assert _visible(session, org.user("manager")) == {"manager@example.com", "seller@example.com"}
    regional = make_user(session, Role.MANAGER, org.region, email="vp@example.com")
    assert _visible(session, regional) == {
        "vp@example.com",
        "manager@example.com",
        "seller@example.com",
        "seller.b@example.com",
        "contrib@example.com",
    }


def test_manager_without_team_sees_only_themselves(session: Session) -> None:
    lonely = make_user(session, Role.MANAGER, None, email="lonely@example.com")
    assert _visible(session, lonely) == {"lonely@example.com"}


@pytest.mark.parametrize("key", ["price_desk", "executive", "admin"])
def test_desk_executive_admin_see_everything_with_money(session: Session, key: str) -> None:
    org = make_org(session)
    scope = scope_for(session, principal_of(org.user(key)))
    assert scope.sees_everything and scope.sees_money
    assert len(_visible(session, org.user(key))) == 7


def test_deeper_teams_are_in_the_subtree(session: Session) -> None:
    org = make_org(session)
    other_region = make_team(session, "East", "region", org.company)
    east_team = make_team(session, "East A", "team", other_region)
    make_user(session, Role.SELLER, east_team, email="east@example.com")
    exec_view = _visible(session, org.user("executive"))
    manager_view = _visible(session, org.user("manager"))
    assert "east@example.com" in exec_view and "east@example.com" not in manager_view


@given(
    st.lists(st.tuples(st.integers(1, 30), st.one_of(st.none(), st.integers(1, 30))), max_size=40),
    st.integers(1, 30),
)
def test_subtree_is_closed_under_children_and_terminates(
    edges: list[tuple[int, int | None]], root: int
) -> None:
    found = subtree_ids(edges, root)
    assert root in found
    for child, parent in edges:
        if parent in found:
            assert child in found
