"""A small book for the forecast's API, pages, CLI and role matrix, dated from today (the
adapters forecast the real current quarter): closed history in the quarter before (12 deals
per seller, half won), and open deals of both teams closing at the end of this quarter, with
account names that tell whose they are.

    seller   (West A): "Open plant A" 10,000 and 5,000, one won this quarter (3,000)
    seller_b (West B): "Open plant B" 4,000, and 8,000 closing next quarter
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from tests.analytics.deal_builders import account, deal, product
from tests.factories import Org
from valuescout.forecasting.periods import Period


@dataclass(frozen=True)
class Quarters:
    current: Period
    previous: Period
    next: Period


def quarters(today: date | None = None) -> Quarters:
    current = Period.containing(today or date.today())
    return Quarters(current, current.previous(), current.next())


def forecast_book(session: Session, org: Org, tag: str = "") -> Quarters:
    """The book above; `tag` makes names unique when called twice on one database."""
    q = quarters()
    pump = product(session, f"Forecast pump{tag}", "1000", "400")
    for i, who in enumerate(("seller", "seller_b")):
        owner = org.user(who)
        acc = account(session, owner, f"History plant {i}{tag}", "enterprise")
        for j in range(12):
            close = q.previous.start + timedelta(days=5 * j)
            outcome = "won" if j % 2 == 0 else "lost"
            deal(session, owner, acc, pump, [("1", str(900 + j))], outcome=outcome, close=close)
    a, b = org.user("seller"), org.user("seller_b")
    acc_a = account(session, a, f"Open plant A{tag}", "mid-market")
    acc_b = account(session, b, f"Open plant B{tag}", "small")
    end = q.current.end
    deal(session, a, acc_a, pump, [("10", "1000")], outcome="open", close=end, name=f"Big A{tag}")
    deal(session, a, acc_a, pump, [("5", "1000")], outcome="open", close=end, name=f"Mid A{tag}")
    deal(session, a, acc_a, pump, [("3", "1000")], outcome="won", close=q.current.start)
    deal(session, b, acc_b, pump, [("4", "1000")], outcome="open", close=end, name=f"Deal B{tag}")
    deal(session, b, acc_b, pump, [("8", "1000")], outcome="open", close=q.next.end)
    session.flush()
    return q
