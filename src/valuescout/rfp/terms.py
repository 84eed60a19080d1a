"""The words of RFP engagement: the four engagement classes (deals.terms.RfpClass without
"none") and an RFP's outcomes."""

from __future__ import annotations

from enum import StrEnum

from valuescout.deals.terms import RFP_LABELS, RfpClass

CLASSES: tuple[RfpClass, ...] = (
    RfpClass.UNKNOWN_BEFORE_RECEIPT,
    RfpClass.KNOWN_NOT_CONTENTS,
    RfpClass.CONTENTS_KNOWN,
    RfpClass.SHAPED,
)
CLASS_LABELS = {c.value: RFP_LABELS[c] for c in CLASSES}


class RfpOutcome(StrEnum):
    PENDING = "pending"
    WON = "won"
    LOST = "lost"
    NO_DECISION = "no_decision"  # the customer decided nothing, or cancelled
    WITHDRAWN = "withdrawn"  # we chose not to (or could not) go on


OUTCOME_LABELS = {
    RfpOutcome.PENDING: "Pending",
    RfpOutcome.WON: "Won",
    RfpOutcome.LOST: "Lost",
    RfpOutcome.NO_DECISION: "No decision",
    RfpOutcome.WITHDRAWN: "Withdrawn",
}
# A decided RFP the customer judged: counts in the win rate. Withdrawn ones do not (we left
# before the customer chose), nor pending ones.
JUDGED = frozenset({RfpOutcome.WON, RfpOutcome.LOST, RfpOutcome.NO_DECISION})
