"""Stored value-case outcomes as the pure calculation's inputs (`valuecase.OutcomeInput`),
from a whole row or from the columns a bulk reader selects (`OUTCOME_COLUMNS`)."""

from __future__ import annotations

from decimal import Decimal

from valuescout.deals import valuecase as vc
from valuescout.deals.models import ValueOutcome


def as_input(o: ValueOutcome) -> vc.OutcomeInput:
    return outcome_input(o.yearly_value, o.direction, o.recurrence, o.years, o.confidence, o.state)


# What `outcome_input` needs, for readers that select columns rather than whole outcomes.
OUTCOME_COLUMNS = (
    ValueOutcome.yearly_value,
    ValueOutcome.direction,
    ValueOutcome.recurrence,
    ValueOutcome.years,
    ValueOutcome.confidence,
    ValueOutcome.state,
)


def outcome_input(
    yearly_value: Decimal,
    direction: str,
    recurrence: str,
    years: int,
    confidence: Decimal,
    state: str,
) -> vc.OutcomeInput:
    return vc.OutcomeInput(
        yearly_value=yearly_value,
        direction=vc.Direction(direction),
        recurrence=vc.Recurrence(recurrence),
        years=years,
        confidence=confidence,
        state=vc.OutcomeState(state),
    )
