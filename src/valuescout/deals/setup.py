"""Company-level deal configuration: the stage list, the value-case defaults, the products."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.core import audit
from valuescout.core.errors import Conflict, Invalid, NotFound
from valuescout.core.models import utcnow
from valuescout.deals.access import money
from valuescout.deals.models import DealSettings, Opportunity, Product, Stage
from valuescout.deals.setup_schemas import (
    DealSettingsUpdate,
    ProductIn,
    ProductOut,
    StagesSet,
    StageWithId,
)
from valuescout.deals.terms import StageOutcome
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission
from valuescout.identity.scope import scope_for
from valuescout.valuenet.models import ValueNetwork


def stages(session: Session) -> list[Stage]:
    return list(session.scalars(select(Stage).order_by(Stage.position)))


def _stage_fields(stage: Stage | StageWithId) -> dict[str, Any]:
    return {"name": stage.name, "probability": stage.probability, "outcome": stage.outcome}


def set_stages(session: Session, principal: Principal, data: StagesSet) -> list[Stage]:
    """Replace the stage list: keep stages by id, add new ones, drop only unused ones."""
    principal.require(Permission.CONFIGURE_DEALS)
    _check_stage_list(data.stages)
    existing = {s.id: s for s in stages(session)}
    before = [{"id": s.id, **_stage_fields(s)} for s in existing.values()]
    kept: set[int] = set()
    for position, item in enumerate(data.stages, start=1):
        if item.id is not None:
            stage = existing.get(item.id)
            if stage is None:
                raise Invalid(f"Stage {item.id} does not exist.", field="stages")
            kept.add(stage.id)
        else:
            stage = Stage(name=item.name, name_key="", position=0, probability=item.probability)
            session.add(stage)
        # Park every key and position first so renames and reorders never collide.
        stage.name_key = f"~{position}"
        stage.position = 1000 + position
        stage.name, stage.probability, stage.outcome = item.name, item.probability, item.outcome
    session.flush()
    for stage_id in set(existing) - kept:
        used = session.scalar(
            select(func.count()).select_from(Opportunity).where(Opportunity.stage_id == stage_id)
        )
        if used:
            raise Conflict(
                f"Stage {existing[stage_id].name!r} has {used} opportunities; move them "
                "before removing it.",
                field="stages",
            )
        session.delete(existing[stage_id])
    session.flush()
    for position, stage in enumerate(sorted(stages(session), key=lambda s: s.position), 1):
        stage.position, stage.name_key = position, stage.name.lower()
    session.flush()
    after = [{"id": s.id, **_stage_fields(s)} for s in stages(session)]
    audit.record(
        session,
        principal.actor,
        "deal_stages.set",
        "deal_stages",
        "all",
        {"before": before, "after": after},
    )
    return stages(session)


def _check_stage_list(items: list[StageWithId]) -> None:
    ids = [i.id for i in items if i.id is not None]
    twice = sorted({str(i) for i in ids if ids.count(i) > 1})
    if twice:
        raise Invalid(f"Stages appear twice in the list: {', '.join(twice)}.", field="stages")
    names = [i.name.lower() for i in items]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise Invalid(f"Stage names repeat: {', '.join(repeated)}.", field="stages")
    outcomes = {i.outcome for i in items}
    if StageOutcome.OPEN not in outcomes:
        raise Invalid("The stage list needs at least one open stage.", field="stages")
    if StageOutcome.WON not in outcomes or StageOutcome.LOST not in outcomes:
        raise Invalid("The stage list needs a won stage and a lost stage.", field="stages")


def settings(session: Session) -> DealSettings:
    row = session.get(DealSettings, 1)
    if row is None:
        raise NotFound("Deal settings are missing; run `valuescout db upgrade`.")
    return row


def update_settings(
    session: Session, principal: Principal, data: DealSettingsUpdate
) -> DealSettings:
    principal.require(Permission.CONFIGURE_DEALS)
    row = settings(session)
    changes = data.model_dump(exclude_unset=True)
    before = {k: getattr(row, k) for k in changes}
    for field, value in changes.items():
        setattr(row, field, value)
    session.flush()
    diff = audit.diff(before, changes)
    if diff:
        audit.record(session, principal.actor, "deal_settings.updated", "deal_settings", 1, diff)
    return row


# --- products ------------------------------------------------------------------------------


def product_out(session: Session, principal: Principal, product: Product) -> ProductOut:
    scope = scope_for(session, principal)
    out = ProductOut.model_validate(product)
    cost = product.unit_cost if principal.can(Permission.CONFIGURE_DEALS) else None
    return out.model_copy(
        update={"list_price": money(scope, product.list_price), "unit_cost": cost}
    )


def products(session: Session) -> list[Product]:
    return list(session.scalars(select(Product).order_by(Product.name_key)))


def create_product(session: Session, principal: Principal, data: ProductIn) -> Product:
    principal.require(Permission.CONFIGURE_DEALS)
    key = " ".join(data.name.split()).lower()
    if session.scalar(select(Product.id).where(Product.name_key == key)) is not None:
        raise Conflict(f"A product named {data.name!r} already exists.", field="name")
    if (
        data.value_network_id is not None
        and session.get(ValueNetwork, data.value_network_id) is None
    ):
        raise Invalid(f"Value network {data.value_network_id} not found.", field="value_network_id")
    product = Product(**data.model_dump(), name_key=key)
    session.add(product)
    session.flush()
    audit.record(
        session, principal.actor, "product.created", "product", product.id, data.model_dump()
    )
    return product


def update_product(
    session: Session, principal: Principal, product_id: int, data: ProductIn
) -> Product:
    principal.require(Permission.CONFIGURE_DEALS)
    product = session.get(Product, product_id)
    if product is None:
        raise NotFound(f"Product {product_id} not found.")
    key = " ".join(data.name.split()).lower()
    taken = session.scalar(select(Product.id).where(Product.name_key == key))
    if taken is not None and taken != product.id:
        raise Conflict(f"A product named {data.name!r} already exists.", field="name")
    before = {k: getattr(product, k) for k in data.model_dump()}
    for field, value in data.model_dump().items():
        setattr(product, field, value)
    product.name_key, product.updated_at = key, utcnow()
    session.flush()
    diff = audit.diff(before, data.model_dump())
    if diff:
        audit.record(session, principal.actor, "product.updated", "product", product.id, diff)
    return product
