"""Line items: product, quantity, list and net price per unit. A deal with lines has as its
amount the sum of quantity x net price."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from valuescout.core.errors import Invalid
from valuescout.core.money import to_money
from valuescout.deals.access import money
from valuescout.deals.models import LineItem, Opportunity, Product
from valuescout.deals.schemas import LineIn, LineOut
from valuescout.identity.scope import Scope


def has_lines(session: Session, opp_id: int) -> bool:
    found = session.scalar(select(LineItem.id).where(LineItem.opportunity_id == opp_id).limit(1))
    return found is not None


def replace_lines(session: Session, opp: Opportunity, lines: list[LineIn]) -> None:
    """Swap the deal's lines for these, price them from the catalogue, and reset the amount."""
    session.execute(delete(LineItem).where(LineItem.opportunity_id == opp.id))
    total = Decimal(0)
    for index, line in enumerate(lines):
        product = session.get(Product, line.product_id)
        if product is None:
            raise Invalid(
                f"Line {index + 1}: product {line.product_id} not found.", field="product_id"
            )
        net = line.net_price if line.net_price is not None else product.list_price
        session.add(
            LineItem(
                opportunity_id=opp.id,
                product_id=product.id,
                quantity=line.quantity,
                list_price=product.list_price,
                net_price=to_money(net),
                unit_cost=product.unit_cost,
            )
        )
        total += line.quantity * net
    if lines:
        opp.amount = to_money(total)
    session.flush()


def deal_cost(session: Session, opp_id: int) -> Decimal | None:
    """Our cost of the deal, when every line's cost is known."""
    rows = session.execute(
        select(LineItem.quantity, LineItem.unit_cost).where(LineItem.opportunity_id == opp_id)
    ).all()
    if not rows or any(cost is None for _, cost in rows):
        return None
    return to_money(sum((q * (c or 0) for q, c in rows), Decimal(0)))


def lines_out(session: Session, scope: Scope, opp_id: int) -> list[LineOut]:
    rows = session.execute(
        select(LineItem, Product.name)
        .join(Product, Product.id == LineItem.product_id)
        .where(LineItem.opportunity_id == opp_id)
        .order_by(LineItem.id)
    ).all()
    return [
        LineOut(
            id=line.id,
            product_id=line.product_id,
            product_name=name,
            quantity=line.quantity,
            list_price=money(scope, line.list_price),
            net_price=money(scope, line.net_price),
            discount=money(scope, _discount(line.list_price, line.net_price)),
        )
        for line, name in rows
    ]


def _discount(list_price: Decimal, net_price: Decimal) -> Decimal | None:
    if list_price <= 0:
        return None
    return ((list_price - net_price) / list_price).quantize(Decimal("0.0001"))


def snapshot(session: Session, opp_id: int) -> list[dict[str, Any]]:
    return [
        {"product_id": p, "quantity": str(q), "net_price": str(n)}
        for p, q, n in session.execute(
            select(LineItem.product_id, LineItem.quantity, LineItem.net_price)
            .where(LineItem.opportunity_id == opp_id)
            .order_by(LineItem.id)
        )
    ]
