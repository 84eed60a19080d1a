"""The request state machine: exactly the listed transitions, every other move a conflict."""

from __future__ import annotations

import itertools

import pytest

from valuescout.core.errors import Conflict
from valuescout.pricing import workflow
from valuescout.pricing.workflow import Move, Position, State

# The documented transitions (workflow.py's docstring), written out independently.
EXPECTED: dict[tuple[State, Move], State] = {
    (State.PENDING, Move.REJECT): State.REJECTED,
    (State.PENDING, Move.COUNTER): State.COUNTERED,
    (State.PENDING, Move.WITHDRAW): State.WITHDRAWN,
    (State.COUNTERED, Move.ACCEPT): State.APPROVED,
    (State.COUNTERED, Move.WITHDRAW): State.WITHDRAWN,
}  # plus pending --approve--> pending(next step) | approved, checked below


@pytest.mark.parametrize(
    ("state", "move"), list(itertools.product(State, Move)), ids=lambda x: str(x)
)
def test_only_the_listed_transitions_are_allowed(state: State, move: Move) -> None:
    position = Position(state, 0, 1)
    listed = (state, move) in EXPECTED or (state, move) == (State.PENDING, Move.APPROVE)
    assert (move in workflow.allowed(state)) == listed
    if not listed:
        with pytest.raises(Conflict) as caught:
            workflow.apply(position, move)
        assert workflow.STATE_LABELS[state].lower() in str(caught.value)
        return
    after = workflow.apply(position, move)
    expected = State.APPROVED if move == Move.APPROVE else EXPECTED[(state, move)]
    assert after.state == expected
    assert (after.step, after.steps) == (0, 1)


def test_closed_states_allow_nothing_and_open_states_are_pending_and_countered() -> None:
    closed = set(State) - workflow.OPEN_STATES
    assert {State.PENDING, State.COUNTERED} == workflow.OPEN_STATES
    assert all(not workflow.allowed(s) for s in closed)
    assert all(workflow.allowed(s) for s in workflow.OPEN_STATES)


@pytest.mark.parametrize("steps", [1, 2, 3, 5])
def test_approving_walks_the_chain_step_by_step(steps: int) -> None:
    position = Position(State.PENDING, 0, steps)
    seen = []
    while position.state == State.PENDING:
        seen.append(position.step)
        position = workflow.apply(position, Move.APPROVE)
    assert seen == list(range(steps))
    assert position == Position(State.APPROVED, steps - 1, steps)
    with pytest.raises(Conflict):
        workflow.apply(position, Move.APPROVE)


def test_rejecting_or_countering_mid_chain_keeps_the_step() -> None:
    middle = workflow.apply(Position(State.PENDING, 0, 3), Move.APPROVE)
    assert middle == Position(State.PENDING, 1, 3)
    assert workflow.apply(middle, Move.REJECT) == Position(State.REJECTED, 1, 3)
    countered = workflow.apply(middle, Move.COUNTER)
    assert countered == Position(State.COUNTERED, 1, 3)
    assert workflow.apply(countered, Move.ACCEPT) == Position(State.APPROVED, 1, 3)


def test_who_moves() -> None:
    assert {Move.APPROVE, Move.REJECT, Move.COUNTER} == workflow.APPROVER_MOVES
    assert {Move.ACCEPT, Move.WITHDRAW} == workflow.REQUESTER_MOVES
    assert set(Move) == workflow.APPROVER_MOVES | workflow.REQUESTER_MOVES
