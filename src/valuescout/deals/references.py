"""Checks that the ids a deal refers to exist, fit together, and are the caller's to use."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from valuescout.core.errors import Invalid
from valuescout.deals.access import account_visible
from valuescout.deals.models import Account, Stage
from valuescout.deals.terms import AlternativeKind
from valuescout.identity.models import User
from valuescout.identity.principal import Principal
from valuescout.identity.scope import scope_for
from valuescout.valuenet.models import Competitor, ValueNetwork


def stage_by_id(session: Session, stage_id: int) -> Stage:
    stage = session.get(Stage, stage_id)
    if stage is None:
        raise Invalid(f"Stage {stage_id} does not exist.", field="stage_id")
    return stage


def check_references(session: Session, principal: Principal, fields: dict[str, Any]) -> None:
    """Refuse a deal whose references are missing, out of the caller's sight, or mismatched."""
    stage_by_id(session, fields["stage_id"])
    owner = session.get(User, fields["owner_id"])
    if owner is None or not owner.is_active:
        raise Invalid(f"User {fields['owner_id']} is not an active user.", field="owner_id")
    account_id = fields.get("account_id")
    if account_id is not None:
        account = session.get(Account, account_id)
        scope = scope_for(session, principal)
        if account is None or not account_visible(session, scope, account):
            raise Invalid(f"Account {account_id} not found.", field="account_id")
    network_id = fields.get("value_network_id")
    if network_id is not None and session.get(ValueNetwork, network_id) is None:
        raise Invalid(f"Value network {network_id} not found.", field="value_network_id")
    competitor_id = fields.get("competitor_id")
    if competitor_id is not None:
        competitor = session.get(Competitor, competitor_id)
        if competitor is None:
            raise Invalid(f"Competitor {competitor_id} not found.", field="competitor_id")
        if network_id is not None and competitor.network_id != network_id:
            raise Invalid(
                "That competitor belongs to another value network.", field="competitor_id"
            )
        if fields.get("alternative_kind") != AlternativeKind.COMPETITOR:
            raise Invalid(
                "A competitor is set, so the alternative must be a competitor.",
                field="alternative_kind",
            )
