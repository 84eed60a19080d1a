"""The review states of a discovery and the only moves between them (pure).

new -> accepted (attached to an existing outcome, or a new outcome created for it)
new -> declined (with a reason)

A reviewed discovery is final: a second review would silently rewrite what the network and
the product-ideas list already say, so it is refused and a new discovery is logged instead.
"""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class Action(StrEnum):
    ATTACH = "attach"  # to an outcome already in the network
    CREATE = "create"  # a new outcome in the network (and optionally a link into it)
    DECLINE = "decline"


class Resolution(StrEnum):
    ATTACHED = "attached"
    CREATED = "created"


class DeclineReason(StrEnum):
    NOT_DELIVERED = "not_delivered"  # not something we deliver: a product idea
    DUPLICATE = "duplicate"  # already logged or already in the network
    NOT_A_GAP = "not_a_gap"  # no value gap behind it (a feature wish, a complaint)
    TOO_VAGUE = "too_vague"  # not enough to act on


DECLINE_LABELS = {
    DeclineReason.NOT_DELIVERED: "Not something we deliver",
    DeclineReason.DUPLICATE: "Duplicate",
    DeclineReason.NOT_A_GAP: "Not a value gap",
    DeclineReason.TOO_VAGUE: "Too vague to act on",
}

STATUS_LABELS = {Status.NEW: "New", Status.ACCEPTED: "Accepted", Status.DECLINED: "Declined"}

_MOVES: dict[tuple[Status, Action], tuple[Status, Resolution | None]] = {
    (Status.NEW, Action.ATTACH): (Status.ACCEPTED, Resolution.ATTACHED),
    (Status.NEW, Action.CREATE): (Status.ACCEPTED, Resolution.CREATED),
    (Status.NEW, Action.DECLINE): (Status.DECLINED, None),
}


class TransitionRefused(Exception):
    def __init__(self, current: Status, action: Action) -> None:
        super().__init__(
            f"This discovery is already {current.value}; a reviewed discovery cannot be "
            f"reviewed again ({action.value} refused). Log a new discovery instead."
        )


def apply(current: Status, action: Action) -> tuple[Status, Resolution | None]:
    """The state after `action` and how it was accepted, or TransitionRefused."""
    try:
        return _MOVES[(current, action)]
    except KeyError:
        raise TransitionRefused(current, action) from None


def allowed(current: Status) -> list[Action]:
    return [action for (state, action) in _MOVES if state == current]
