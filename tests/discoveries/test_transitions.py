"""The review moves: only new discoveries move, each action to its one state."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from valuescout.discoveries.transitions import (
    Action,
    Resolution,
    Status,
    TransitionRefused,
    allowed,
    apply,
)


def test_the_three_moves_out_of_new() -> None:
    assert apply(Status.NEW, Action.ATTACH) == (Status.ACCEPTED, Resolution.ATTACHED)
    assert apply(Status.NEW, Action.CREATE) == (Status.ACCEPTED, Resolution.CREATED)
    assert apply(Status.NEW, Action.DECLINE) == (Status.DECLINED, None)
    assert allowed(Status.NEW) == [Action.ATTACH, Action.CREATE, Action.DECLINE]


@given(st.sampled_from([Status.ACCEPTED, Status.DECLINED]), st.sampled_from(list(Action)))
def test_a_reviewed_discovery_never_moves(state: Status, action: Action) -> None:
    assert allowed(state) == []
    with pytest.raises(TransitionRefused, match=f"already {state.value}"):
        apply(state, action)


@given(st.sampled_from(list(Action)))
def test_every_accepting_move_has_a_resolution(action: Action) -> None:
    status, resolution = apply(Status.NEW, action)
    assert (status == Status.ACCEPTED) == (resolution is not None)
