"""Answers and a small book for the willingness and reputation tests, the role matrix and
the CLI: accounts and deals of both teams with names that tell whose they are.

    seller   (West A): account "Willing A", open deal "Deal WA" (no value case, 20% off)
    seller_b (West B): account "Willing B", open deal "Deal WB"
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from tests.analytics.deal_builders import account, deal, product
from tests.factories import Org

# New to them and risky everywhere: willingness 100, trusted expert.
EXPERT = {
    "purchase_history": "new_to_org", "solution_innovation": 5, "team_experience": 1,
    "risk_implementation": 5, "risk_vendor": 5, "risk_change": 5, "risk_visibility": 5,
    "risk_strategic": 5, "risk_financial": 5,
}  # fmt: skip
# A routine rebuy with nothing at stake: willingness 0, divide and optimise.
ROUTINE = {
    "purchase_history": "routine_rebuy", "solution_innovation": 1, "team_experience": 5,
    "risk_implementation": 1, "risk_vendor": 1, "risk_change": 1, "risk_visibility": 1,
    "risk_strategic": 1, "risk_financial": 1,
}  # fmt: skip


@dataclass(frozen=True)
class Book:
    account_a: int
    account_b: int
    deal_a: int
    deal_b: int


def engagement_book(session: Session, org: Org, tag: str = "") -> Book:
    pump = product(session, f"Willing pump{tag}", "1000", "400")
    a, b = org.user("seller"), org.user("seller_b")
    acc_a = account(session, a, f"Willing A{tag}", "enterprise")
    acc_b = account(session, b, f"Willing B{tag}", "small")
    close = date.today().replace(day=28)
    deal_a = deal(session, a, acc_a, pump, [("10", "800")], outcome="open", close=close,
                  name=f"Deal WA{tag}")  # fmt: skip
    deal_b = deal(session, b, acc_b, pump, [("4", "1000")], outcome="open", close=close,
                  name=f"Deal WB{tag}")  # fmt: skip
    session.flush()
    return Book(acc_a.id, acc_b.id, deal_a.id, deal_b.id)
