"""The sales-reputation check: what the deals say about how customers see the sales team,
per quarter, with trends and a reading in plain words. Pure: facts in, scorecard out.

Five measures, each per calendar quarter (deals by their close date, RFPs by the day they
were received):
- shaped: the share of RFPs we helped shape before release (trusted to help write the
  requirements, the mark of a good reputation);
- discount dependence: the share of won deals (with lines at a list price) discounted by more
  than the threshold (buyers trained to expect a discount);
- price realisation: the net revenue of won deals over their list revenue;
- confirmed value: the share of won deals whose value case has an outcome the customer
  confirmed (won on value, not on price);
- crowded RFPs: the share of RFPs where several competitors answered requirements the
  customer wrote alone (the "same solution, many vendors" loop that ends in price).

A measure with nothing to measure in a quarter is None, never zero. The trend of a measure is
its latest quarter with a value against the quarter with a value before it.

The reading (fixed rules on the latest values): warning signs are shaped < 20%, discount
dependence >= 50% or rising, realisation < 85%, confirmed value < 25%, crowded >= 30%; marks
of trust are shaped >= 40%, dependence < 20%, confirmed value >= 50%. Three warnings or more:
a vendor compared on price; none and two marks or more: trusted; none and fewer marks: no
warning signs yet; otherwise mixed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

DEFAULT_THRESHOLD = Decimal("0.20")  # a won deal discounted by more than this is "dependent"
STEADY = Decimal("0.03")  # a change smaller than three points is no trend
CROWDED_COMPETITORS = 2  # several: two or more competitors answered the same RFP


@dataclass(frozen=True)
class WonOrLost:
    closed_on: date
    won: bool
    list_total: Decimal | None  # over lines with a list price; None without any
    net_total: Decimal | None
    confirmed_value: bool  # a value-case outcome the customer confirmed


@dataclass(frozen=True)
class RfpFact:
    received_on: date
    engagement: str  # unknown | known | contents | shaped
    customer_written: bool  # the customer wrote the requirements without us
    competitors: int | None  # how many competitors answered; None when not known


@dataclass(frozen=True)
class Quarter:
    label: str
    start: date
    end: date


@dataclass(frozen=True)
class Measure:
    key: str
    label: str
    higher_is_better: bool


MEASURES = (
    Measure("shaped_share", "RFPs we shaped before release", True),
    Measure("discount_dependence", "Won deals above the discount threshold", False),
    Measure("price_realisation", "Price realisation (net over list)", True),
    Measure("confirmed_value_share", "Won deals with customer-confirmed value", True),
    Measure("crowded_share", "RFPs several competitors answered as written", False),
)
MEASURE_KEYS = tuple(m.key for m in MEASURES)


@dataclass(frozen=True)
class QuarterScore:
    quarter: Quarter
    rfps: int
    shaped: int
    crowded: int
    won: int
    lost: int
    won_priced: int  # won deals with lines at a list price
    above_threshold: int
    list_total: Decimal
    net_total: Decimal
    confirmed_won: int

    def value(self, key: str) -> Decimal | None:
        return {
            "shaped_share": _share(self.shaped, self.rfps),
            "discount_dependence": _share(self.above_threshold, self.won_priced),
            "price_realisation": _ratio(self.net_total, self.list_total),
            "confirmed_value_share": _share(self.confirmed_won, self.won),
            "crowded_share": _share(self.crowded, self.rfps),
        }[key]


@dataclass(frozen=True)
class Trend:
    key: str
    latest: Decimal | None
    latest_quarter: str | None
    previous: Decimal | None
    change: Decimal | None
    direction: str  # better | worse | steady | unknown


def _share(part: int, whole: int) -> Decimal | None:
    return (
        None if whole == 0 else (Decimal(part) / whole).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    )


def _ratio(part: Decimal, whole: Decimal) -> Decimal | None:
    return None if whole <= 0 else (part / whole).quantize(Decimal("0.0001"), ROUND_HALF_UP)


def discount_of(deal: WonOrLost) -> Decimal | None:
    if deal.list_total is None or deal.net_total is None or deal.list_total <= 0:
        return None
    return 1 - deal.net_total / deal.list_total


def is_crowded(rfp: RfpFact) -> bool:
    """Several competitors answered requirements the customer wrote alone (one we shaped
    never counts, whatever its record says)."""
    return (
        rfp.engagement != "shaped"
        and rfp.customer_written
        and rfp.competitors is not None
        and rfp.competitors >= CROWDED_COMPETITORS
    )


def score_quarter(
    quarter: Quarter,
    deals: Iterable[WonOrLost],
    rfps: Iterable[RfpFact],
    threshold: Decimal = DEFAULT_THRESHOLD,
) -> QuarterScore:
    inside = [d for d in deals if quarter.start <= d.closed_on <= quarter.end]
    won = [d for d in inside if d.won]
    priced = [d for d in won if discount_of(d) is not None]
    asked = [r for r in rfps if quarter.start <= r.received_on <= quarter.end]
    return QuarterScore(
        quarter=quarter,
        rfps=len(asked),
        shaped=sum(1 for r in asked if r.engagement == "shaped"),
        crowded=sum(1 for r in asked if is_crowded(r)),
        won=len(won),
        lost=len(inside) - len(won),
        won_priced=len(priced),
        above_threshold=sum(1 for d in priced if (discount_of(d) or 0) > threshold),
        list_total=sum((d.list_total or Decimal(0) for d in priced), Decimal(0)),
        net_total=sum((d.net_total or Decimal(0) for d in priced), Decimal(0)),
        confirmed_won=sum(1 for d in won if d.confirmed_value),
    )


def scorecard(
    quarters: Sequence[Quarter],
    deals: Sequence[WonOrLost],
    rfps: Sequence[RfpFact],
    threshold: Decimal = DEFAULT_THRESHOLD,
) -> list[QuarterScore]:
    return [score_quarter(q, deals, rfps, threshold) for q in quarters]


def trend(key: str, values: Sequence[tuple[str, Decimal | None]]) -> Trend:
    """The latest value against the one before it (quarters without a value skipped)."""
    known = [(label, v) for label, v in values if v is not None]
    better_up = next(m.higher_is_better for m in MEASURES if m.key == key)
    if not known:
        return Trend(key, None, None, None, None, "unknown")
    label, latest = known[-1]
    if len(known) < 2:
        return Trend(key, latest, label, None, None, "unknown")
    previous = known[-2][1]
    change = latest - previous
    if abs(change) < STEADY:
        direction = "steady"
    else:
        direction = "better" if (change > 0) == better_up else "worse"
    return Trend(key, latest, label, previous, change, direction)


def _pct(value: Decimal) -> str:
    return f"{(value * 100).quantize(Decimal(1), ROUND_HALF_UP)}%"


def reading(trends: dict[str, Trend], threshold: Decimal = DEFAULT_THRESHOLD) -> list[str]:
    """What the scorecard means, by fixed rules on the latest values and their trends."""
    out: list[str] = []
    concerns = strengths = 0  # the verdict weighs the warning signs against the marks of trust
    shaped = trends["shaped_share"].latest
    if shaped is not None:
        if shaped >= Decimal("0.40"):
            strengths += 1
            out.append(f"Customers let you help write {_pct(shaped)} of their RFPs: they treat "
                       "you as a resource before they buy.")  # fmt: skip
        elif shaped < Decimal("0.20"):
            concerns += 1
            out.append(f"Only {_pct(shaped)} of RFPs were shaped with you: most arrive written "
                       "by the customer alone, so you compete on their terms.")  # fmt: skip
        else:
            out.append(f"{_pct(shaped)} of RFPs were shaped with you: room to be asked in "
                       "earlier, before the requirements are written.")  # fmt: skip
    dependence = trends["discount_dependence"]
    if dependence.latest is not None:
        if dependence.latest >= Decimal("0.50"):
            concerns += 1
            out.append(
                f"{_pct(dependence.latest)} of won deals needed more than {_pct(threshold)} "
                "off: buyers have learnt to wait for the discount."
            )
        elif dependence.latest < Decimal("0.20"):
            strengths += 1
            out.append(f"Only {_pct(dependence.latest)} of won deals needed more than "
                       f"{_pct(threshold)} off: price mostly holds.")  # fmt: skip
        if dependence.direction == "worse":
            concerns += 1
            out.append("Discount dependence is rising: each quarter it is harder to hold price.")
    realisation = trends["price_realisation"].latest
    if realisation is not None:
        if realisation < Decimal("0.85"):
            concerns += 1
            out.append(f"Won deals keep {_pct(realisation)} of list price: the price says the "
                       "offer is worth less than you claim.")  # fmt: skip
        else:
            out.append(f"Won deals keep {_pct(realisation)} of list price.")
    confirmed = trends["confirmed_value_share"].latest
    if confirmed is not None:
        if confirmed < Decimal("0.25"):
            concerns += 1
            out.append(f"Only {_pct(confirmed)} of wins rest on value the customer confirmed: "
                       "most were won on features and price.")  # fmt: skip
        elif confirmed >= Decimal("0.50"):
            strengths += 1
            out.append(f"{_pct(confirmed)} of wins rest on value the customer confirmed.")
    crowded = trends["crowded_share"].latest
    if crowded is not None and crowded >= Decimal("0.30"):
        concerns += 1
        out.append(f"In {_pct(crowded)} of RFPs several competitors answered the customer's "
                   "own requirements: the merry-go-round of look-alike offers that ends in "
                   "price.")  # fmt: skip
    if not out:
        out.append("Not enough closed deals or RFPs yet for a reading.")
    elif concerns >= 3:
        out.insert(0, "Reading: customers see a vendor to compare on price, not an adviser.")
    elif concerns == 0 and strengths >= 2:
        out.insert(0, "Reading: customers trust you with their thinking; keep it that way.")
    elif concerns == 0:
        out.insert(0, "Reading: no warning signs, but few marks of a trusted adviser yet.")
    else:
        out.insert(0, "Reading: a mixed reputation; the points below are where it slips.")
    return out
