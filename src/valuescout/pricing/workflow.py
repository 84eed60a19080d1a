"""The life of a price request: its states and the only transitions allowed between them.

Pure. The service applies a transition with a compare-and-set on the request's version, so
two approvers acting at once cannot both decide it (the second gets a conflict).

    submitted --policy--> approved | rejected | pending(step 1)
    pending   --approve--> pending(next step) | approved (after the last step)
    pending   --reject--> rejected
    pending   --counter--> countered (an approver offers another price)
    countered --accept--> approved (at the countered price)
    pending | countered --withdraw--> withdrawn (the requester; then a new request may follow)
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from valuescout.core.errors import Conflict


class State(StrEnum):
    PENDING = "pending"
    APPROVED = "approved"
    REJECTED = "rejected"
    COUNTERED = "countered"
    WITHDRAWN = "withdrawn"


class Move(StrEnum):
    APPROVE = "approve"
    REJECT = "reject"
    COUNTER = "counter"
    ACCEPT = "accept"  # the requester takes a counter-offer
    WITHDRAW = "withdraw"


OPEN_STATES = frozenset({State.PENDING, State.COUNTERED})
STATE_LABELS = {
    State.PENDING: "Waiting for approval",
    State.APPROVED: "Approved",
    State.REJECTED: "Rejected",
    State.COUNTERED: "Counter-offer made",
    State.WITHDRAWN: "Withdrawn",
}
# Who makes each move: an approver of the current step, or the requester.
APPROVER_MOVES = frozenset({Move.APPROVE, Move.REJECT, Move.COUNTER})
REQUESTER_MOVES = frozenset({Move.ACCEPT, Move.WITHDRAW})

_ALLOWED: dict[State, frozenset[Move]] = {
    State.PENDING: frozenset({Move.APPROVE, Move.REJECT, Move.COUNTER, Move.WITHDRAW}),
    State.COUNTERED: frozenset({Move.ACCEPT, Move.WITHDRAW}),
    State.APPROVED: frozenset(),
    State.REJECTED: frozenset(),
    State.WITHDRAWN: frozenset(),
}


@dataclass(frozen=True)
class Position:
    state: State
    step: int  # 0-based index into the route while pending
    steps: int  # length of the route


def allowed(state: State) -> frozenset[Move]:
    return _ALLOWED[state]


def apply(position: Position, move: Move) -> Position:
    """The position after `move`, or Conflict when the move is not allowed from here."""
    if move not in _ALLOWED[position.state]:
        raise Conflict(
            f"A request that is {STATE_LABELS[position.state].lower()} cannot be {_PAST[move]}."
        )
    if move == Move.APPROVE:
        if position.step + 1 < position.steps:
            return Position(State.PENDING, position.step + 1, position.steps)
        return Position(State.APPROVED, position.step, position.steps)
    target = {
        Move.REJECT: State.REJECTED,
        Move.COUNTER: State.COUNTERED,
        Move.ACCEPT: State.APPROVED,
        Move.WITHDRAW: State.WITHDRAWN,
    }[move]
    return Position(target, position.step, position.steps)


_PAST = {
    Move.APPROVE: "approved",
    Move.REJECT: "rejected",
    Move.COUNTER: "countered",
    Move.ACCEPT: "accepted",
    Move.WITHDRAW: "withdrawn",
}
