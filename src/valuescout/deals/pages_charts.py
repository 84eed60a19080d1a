"""Geometry for the small SVG charts on the deals pages and in the business case.

Pure functions: Decimal figures in, pixel coordinates out; templates draw the result
(`deals/_charts.html`) with presentation attributes only, which the page's CSP allows and
WeasyPrint prints.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

Point = tuple[Decimal, Decimal]


@dataclass(frozen=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True)
class Mark:
    x: float
    y: float
    label: str


@dataclass(frozen=True)
class Line:
    points: str  # "x,y x,y ..." for <polyline>
    label: str
    colour: str


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    lines: list[Line] = field(default_factory=list)
    rules: list[Mark] = field(default_factory=list)  # horizontal reference lines at y
    marks: list[Mark] = field(default_factory=list)
    x_ticks: list[Tick] = field(default_factory=list)
    y_ticks: list[Tick] = field(default_factory=list)
    zero: float | None = None  # y of the zero line, when zero is in range


@dataclass(frozen=True)
class CorridorBar:
    """Floor, target and ceiling on one scale, with where our price sits."""

    width: int
    floor: float | None
    target: float
    ceiling: float
    price: float
    labels: list[Tick]


def compact(value: Decimal) -> str:
    """1234567 -> '1.2M', 250000 -> '250k', 950 -> '950'."""
    sign = "-" if value < 0 else ""
    amount = abs(value)
    for size, suffix in ((Decimal(1_000_000_000), "B"), (Decimal(1_000_000), "M")):
        if amount >= size:
            return f"{sign}{(amount / size).quantize(Decimal('0.1')).normalize():f}{suffix}"
    if amount >= 1000:
        return f"{sign}{(amount / 1000).quantize(Decimal('0.1')).normalize():f}k"
    return f"{sign}{amount.quantize(Decimal(1)):f}"


class _Scale:
    def __init__(self, low: Decimal, high: Decimal, start: float, end: float) -> None:
        if high == low:
            low, high = low - 1, high + 1
        self.low, self.high, self.start, self.end = low, high, start, end

    def __call__(self, value: Decimal) -> float:
        share = float((value - self.low) / (self.high - self.low))
        return round(self.start + share * (self.end - self.start), 1)


def _ticks(low: Decimal, high: Decimal, scale: _Scale, count: int = 4) -> list[Tick]:
    step = (high - low) / count
    return [Tick(scale(low + step * i), compact(low + step * i)) for i in range(count + 1)]


def line_chart(
    series: Sequence[tuple[str, str, Sequence[Point]]],
    *,
    rules: Sequence[tuple[str, Decimal]] = (),
    marks: Sequence[tuple[str, Point]] = (),
    width: int = 420,
    height: int = 200,
    x_labels: bool = True,
) -> Chart:
    """Lines (label, colour, points) on shared axes, with horizontal rules and marked points."""
    xs = [p[0] for _, _, points in series for p in points] + [m[1][0] for m in marks]
    ys = [p[1] for _, _, points in series for p in points] + [r[1] for r in rules]
    ys += [m[1][1] for m in marks]
    left, right, top, bottom = 52.0, width - 24.0, 16.0, height - 24.0
    if not xs or not ys:
        return Chart(width, height, left, right, top, bottom)
    x_low, x_high = min(xs), max(xs)
    y_low, y_high = min(*ys, Decimal(0)), max(*ys, Decimal(0))
    sx, sy = _Scale(x_low, x_high, left, right), _Scale(y_low, y_high, bottom, top)
    return Chart(
        width,
        height,
        left,
        right,
        top,
        bottom,
        lines=[
            Line(" ".join(f"{sx(x)},{sy(y)}" for x, y in points), label, colour)
            for label, colour, points in series
        ],
        rules=[Mark(left, sy(value), label) for label, value in rules],
        marks=[Mark(sx(x), sy(y), label) for label, (x, y) in marks],
        x_ticks=_ticks(x_low, x_high, sx) if x_labels else [],
        y_ticks=_ticks(y_low, y_high, sy),
        zero=sy(Decimal(0)),
    )


def preference_chart(curve: Sequence[Point], our_price: Decimal, preference: Decimal) -> Chart:
    """How the customer's preference changes with our price; our price is marked."""
    return line_chart(
        [("Customer preference", "#1d4ed8", curve)],
        marks=[("Our price", (our_price, preference))],
    )


def cumulative_chart(points: Sequence[tuple[int, Decimal]], investment: Decimal) -> Chart:
    """Value received year by year against the investment."""
    chart = line_chart(
        [("Cumulative value", "#15803d", [(Decimal(y), v) for y, v in points])],
        rules=[("Investment", investment)],
        width=520,
        height=220,
        x_labels=False,
    )
    left, right = chart.left, chart.right
    last = max((y for y, _ in points), default=1) or 1
    scale = _Scale(Decimal(0), Decimal(last), left, right)
    ticks = [Tick(scale(Decimal(y)), f"Year {y}") for y, _ in points]
    return Chart(
        chart.width,
        chart.height,
        chart.left,
        chart.right,
        chart.top,
        chart.bottom,
        chart.lines,
        chart.rules,
        chart.marks,
        ticks,
        chart.y_ticks,
        chart.zero,
    )


def corridor_bar(
    floor: Decimal | None, target: Decimal, ceiling: Decimal, price: Decimal, width: int = 420
) -> CorridorBar:
    values = [target, ceiling, price] + ([floor] if floor is not None else [])
    low, high = min(values), max(values)
    margin = (high - low) * Decimal("0.08") or Decimal(1)
    scale = _Scale(low - margin, high + margin, 8.0, width - 8.0)
    labels = [Tick(scale(target), "target"), Tick(scale(ceiling), "ceiling")]
    if floor is not None:
        labels.insert(0, Tick(scale(floor), "floor"))
    return CorridorBar(
        width=width,
        floor=scale(floor) if floor is not None else None,
        target=scale(target),
        ceiling=scale(ceiling),
        price=scale(price),
        labels=labels,
    )
