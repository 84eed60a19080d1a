"""The standalone discount report: one HTML file that opens offline.

``render(data)`` turns a ``report_data.ReportData`` into HTML: headline totals, the price
waterfall (and the largest regions' side by side), the top sellers, managers, regions and
customers, seller outliers with the money at stake, concentration with Lorenz curves and the
pocket price bands, plus a note on the rows left out. Charts are the Vega-Lite specs of
``charts.py``, each in a ``<script type="application/json">`` block drawn by the page's own
copy of ``web/static/js/charts.js``; vega, vega-lite and vega-embed are inlined from
``web/static/vendor/vega`` (read as package files, not imported), so the file references
nothing outside itself. Specs carry their data inline and no ``$schema`` URL.

Built with ``string.Template`` and ``html.escape`` (this module imports no web framework:
see the import-linter contract); every text that comes from the line file is escaped.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from html import escape
from importlib.resources import files
from string import Template
from typing import Any

from valuescout import __version__
from valuescout.analytics import charts
from valuescout.analytics import charts_spread as spread
from valuescout.analytics import definitions as defs
from valuescout.analytics.report_data import ReportData
from valuescout.analytics.waterfall import Waterfall, WaterfallSums, waterfall

VENDOR = ("vega.min.js", "vega-lite.min.js", "vega-embed.min.js")
TOP_ROWS = 10
COMPARED_REGIONS = 3
TITLES = {"rep": "Sellers", "manager": "Managers", "region": "Regions", "customer": "Customers"}
_SOURCE_MAP = re.compile(r"^//# sourceMappingURL=.*$", re.MULTILINE)


# --- assets --------------------------------------------------------------------------------


def _package_text(*parts: str) -> str:
    return files("valuescout").joinpath(*parts).read_text(encoding="utf-8")


def inline_script(code: str) -> str:
    """A vendored script made safe to sit inside <script>...</script>: its source-map comment
    dropped (there is no map to fetch); refused if it could close or confuse the element."""
    lowered = code.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise ValueError("script text contains </script or <!--; cannot inline it")
    return _SOURCE_MAP.sub("", code).rstrip()


def spec_json(spec: dict[str, Any]) -> str:
    """A spec as JSON for a <script type="application/json"> block: no ``$schema`` URL (the
    renderer is told the mode), < > & escaped so the text cannot end the element."""
    body = {k: v for k, v in spec.items() if k != "$schema"}
    text = json.dumps(body, allow_nan=False, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# --- formatting ----------------------------------------------------------------------------


def money(value: Any, places: int = 2) -> str:
    return "" if value is None else f"{float(value):,.{places}f}"


def pct(value: float | None) -> str:
    return "" if value is None else f"{value * 100:.1f}%"


def count(value: Any) -> str:
    return "" if value is None else f"{int(value):,}"


def text(value: Any) -> str:
    return escape(charts.label(value))


def _table(
    head: Sequence[tuple[str, bool]], rows: Iterable[Sequence[str]], caption: str = ""
) -> str:
    """A table: ``head`` is (title, numeric?) per column; cells are already escaped HTML."""
    cls = [" class=num" if n else "" for _, n in head]
    ths = "".join(f"<th{k}>{escape(t)}</th>" for (t, _), k in zip(head, cls, strict=True))
    body = "".join(
        "<tr>" + "".join(f"<td{k}>{c}</td>" for c, k in zip(r, cls, strict=True)) + "</tr>"
        for r in rows
    )
    cap = f"<caption>{escape(caption)}</caption>" if caption else ""
    return f"<table>{cap}<thead><tr>{ths}</tr></thead><tbody>{body}</tbody></table>"


class _Charts:
    """Collects the specs: each chart is a <div data-vega-spec=ID> and a JSON block."""

    def __init__(self) -> None:
        self.blocks: list[str] = []

    def add(self, spec: dict[str, Any], description: str) -> str:
        chart_id = f"chart-{len(self.blocks) + 1}"
        self.blocks.append(
            f'<script type="application/json" id="{chart_id}">{spec_json(spec)}</script>'
        )
        return (
            f'<div class="chart" data-vega-spec="{chart_id}" role="img" '
            f'aria-label="{escape(description)}"></div>'
        )


# --- sections ------------------------------------------------------------------------------


def _header(data: ReportData) -> str:
    when = data.generated_at.strftime("%Y-%m-%d %H:%M %Z").strip()
    filters = ", ".join(
        f"{escape(k)}={'(none)' if v is None else escape(v)}" for k, v in data.filters.items()
    )
    parts = [
        "<h1>Discount report</h1>",
        f'<p class="meta">{escape(data.source)} &middot; generated {escape(when)} '
        f"by ValueScout {escape(__version__)}"
        + (f" &middot; only lines with {filters}" if filters else "")
        + "</p>",
    ]
    if data.bad_rows:
        parts.append(
            f'<p class="warning" id="bad-rows">{count(data.bad_rows)} of {count(data.rows)} rows '
            f"had bad values ({count(data.problem_count)} problems) and were left out "
            "(--exclude-bad); every figure below is over the other "
            f"{count(data.rows - data.bad_rows)} rows.</p>"
        )
    else:
        parts.append(
            f'<p class="note" id="bad-rows">All {count(data.rows)} rows passed the checks; '
            "none was left out.</p>"
        )
    return "\n".join(parts)


def _headline(data: ReportData) -> str:
    w = data.discount.waterfall
    tiles = [
        ("Lines", count(w.lines)),
        ("List revenue", money(w.list_revenue, 0)),
        ("Discount $", money(w.discount, 0)),
        ("Discount rate", pct(w.discount_rate)),
        ("Price realisation", pct(w.price_realisation)),
        ("Pocket margin", money(w.pocket_margin, 0)),
        ("Pocket margin %", pct(w.pocket_margin_pct)),
    ]
    body = "".join(
        f'<div class="tile"><div class="label">{escape(k)}</div>'
        f'<div class="value">{escape(v)}</div></div>'
        for k, v in tiles
    )
    return f'<section id="headline"><div class="tiles">{body}</div></section>'


def _waterfall_of_row(row: dict[str, Any]) -> Waterfall:
    """A group's waterfall from its grouped row (sums rounded to cents by the engine)."""

    def dec(name: str) -> Decimal:
        return Decimal(repr(float(row.get(name) or 0.0)))

    return waterfall(
        WaterfallSums(
            lines=int(row.get("lines") or 0),
            quantity=dec("quantity"),
            list_revenue=dec("list_revenue"),
            invoice_revenue=dec("invoice_revenue"),
            off_invoice=dec("off_invoice"),
            cost=dec("cost"),
        )
    )


def _waterfall_section(data: ReportData, out: _Charts) -> str:
    w = data.discount.waterfall
    rows = [
        (escape(s.label), money(s.amount), pct(None if not w.list_revenue else
                                                float(s.amount / w.list_revenue)))
        for s in w.steps()
    ]  # fmt: skip
    parts = [
        '<section id="waterfall"><h2>Price waterfall</h2>',
        out.add(charts.waterfall_chart(w, title=None), "Price waterfall of all lines"),
        _table([("step", False), ("amount", True), ("of list", True)], rows),
    ]
    regions = data.discount.groups.get("region")
    if regions is not None:
        largest = sorted(
            (r for r in regions.rows if (r.get("list_revenue") or 0) > 0),
            key=lambda r: (-float(r["list_revenue"]), charts.label(r["region"])),
        )[:COMPARED_REGIONS]
        if len(largest) >= 2:
            slices = [(charts.label(r["region"]), _waterfall_of_row(r)) for r in largest]
            parts.append("<h3>The largest regions side by side</h3>")
            parts.append(
                out.add(
                    charts.compare_waterfalls_chart(slices, title=None),
                    "Price waterfalls of the largest regions",
                )
            )
    parts.append("</section>")
    return "\n".join(parts)


GROUP_COLUMNS: list[tuple[str, str, Callable[[Any], str]]] = [
    ("lines", "lines", count),
    ("list revenue", "list_revenue", money),
    ("discount $", "discount", money),
    ("discount rate", "discount_rate", pct),
    ("realisation", "price_realisation", pct),
    ("pocket margin", "pocket_margin", money),
    ("margin %", "pocket_margin_pct", pct),
]


def _groups_section(data: ReportData, out: _Charts) -> str:
    parts = ['<section id="groups"><h2>Where the discount goes</h2>']
    for name, grouped in data.discount.groups.items():
        title = TITLES.get(name, name.replace("_", " ").capitalize())
        key = grouped.keys[0]
        rows = grouped.rows[:TOP_ROWS]
        parts.append(f'<h3 id="group-{escape(name)}">{escape(title)}</h3>')
        if not rows:
            parts.append('<p class="muted">No lines.</p>')
            continue
        parts.append(
            out.add(
                charts.discount_by(grouped.rows, key, title=None, dimension_title=name),
                f"Discount $ and rate per {name}",
            )
        )
        head = [(name, False), *[(label, True) for label, _, _ in GROUP_COLUMNS]]
        cells = [[text(r[key]), *[show(r.get(f)) for _, f, show in GROUP_COLUMNS]] for r in rows]
        caption = (
            f"Top {len(rows)} of {len(grouped.rows):,} by discount $"
            if len(grouped.rows) > len(rows)
            else ""
        )
        parts.append(_table(head, cells, caption))
    parts.append("</section>")
    return "\n".join(parts)


def _outliers_section(data: ReportData, out: _Charts) -> str:
    report = data.discount.outliers
    actor = defs.dimension(data.discount.actor).name
    parts = [
        '<section id="outliers"><h2>Sellers who discount more than their peers</h2>',
        '<p class="note">Each seller\'s dollar-weighted discount rate against the rate their '
        "peers give in the same segment, deal type and deal size; z is that gap over its "
        "noise (|z| &ge; 3 flag, &ge; 2 watch). Money at stake: what their deals would have "
        "brought at the peer rate.</p>",
    ]
    if not report.actors:
        parts.append('<p class="muted">No seller could be compared with peers.</p></section>')
        return "\n".join(parts)
    parts.append(out.add(spread.outliers_chart(report, title=None), "Seller z against excess $"))
    if any(a.money_at_stake > 0 for a in report.actors):
        parts.append(
            out.add(spread.outliers_ranked_chart(report, title=None), "Money at stake by seller")
        )
    shown = [a for a in report.actors if a.excess_discount > 0][: TOP_ROWS * 2]
    rows = [
        [text(a.actor), f'<span class="status-{escape(a.status)}">{escape(a.status)}</span>',
         count(a.lines), money(a.list_revenue), pct(a.rate), pct(a.expected_rate),
         "" if a.z is None else f"{a.z:.1f}", money(a.money_at_stake),
         money(a.shrunk_money_at_stake)]
        for a in shown
    ]  # fmt: skip
    head = [(actor, False), ("status", False), ("lines", True), ("list revenue", True),
            ("rate", True), ("peer rate", True), ("z", True), ("money at stake", True),
            ("shrunk", True)]  # fmt: skip
    flagged = sum(1 for a in report.actors if a.status == "flag")
    total = sum((a.money_at_stake for a in report.actors if a.status == "flag"), Decimal(0))
    parts.append(
        f'<p id="outlier-summary">{flagged} flagged of {len(report.actors):,} compared; '
        f"money at stake with the flagged: {money(total)}. Line noise sigma "
        f"{pct(report.sigma)}, between-seller spread tau {pct(report.tau)}.</p>"
    )
    parts.append(_table(head, rows, "Largest discount $ beyond peers first"))
    if report.excluded_from_peers:
        names = ", ".join(text(a) for a in report.excluded_from_peers)
        parts.append(f'<p class="note">Left out of the peer benchmarks: {names}.</p>')
    if report.unbenchmarked:
        parts.append(
            f'<p class="note">{len(report.unbenchmarked):,} sellers have no peer in any of their '
            "cells and are not compared.</p>"
        )
    parts.append("</section>")
    return "\n".join(parts)


def _concentration_section(data: ReportData, out: _Charts) -> str:
    sides = data.discount.concentration
    parts = ['<section id="concentration"><h2>Concentration of discount $</h2>']
    if not sides:
        return parts[0] + '<p class="muted">Not measured.</p></section>'
    rows = [
        [escape(s.dimension), count(s.items), money(s.discount), f"{s.gini:.3f}",
         pct(s.top_decile_share), ", ".join(f"{text(k)} {money(v, 0)}" for k, v in s.top[:5])]
        for s in sides
    ]  # fmt: skip
    head = [("across", False), ("items", True), ("discount $", True), ("Gini", True),
            ("top 10% share", True), ("largest", False)]  # fmt: skip
    parts.append(_table(head, rows))
    parts.append(out.add(charts.lorenz_chart(sides, title=None), "Lorenz curves of discount $"))
    parts.append("</section>")
    return "\n".join(parts)


def _bands_section(data: ReportData, out: _Charts) -> str:
    parts = [
        '<section id="bands"><h2>Pocket price bands</h2>',
        '<p class="note">Pocket price (invoice less off-invoice) as a share of list, weighted '
        "by units: a wide band means the same product sells at very different prices.</p>",
    ]
    if not data.bands:
        return "\n".join([*parts, '<p class="muted">No lines.</p></section>'])
    parts.append(out.add(spread.pocket_bands_chart(data.bands, title=None), "Pocket price bands"))
    if data.histograms:
        parts.append(
            out.add(
                spread.pocket_histogram_chart(data.histograms, data.bands, title=None),
                "Pocket price distribution of the products with the most units",
            )
        )
    ordered = sorted(data.bands.items(), key=lambda kv: (-kv[1].volume, kv[0]))
    rows = [
        [text(p), f"{b.volume:,.0f}", pct(b.p10), pct(b.p50), pct(b.p90), pct(b.width),
         pct(b.minimum), pct(b.maximum)]
        for p, b in ordered[: TOP_ROWS * 2]
    ]  # fmt: skip
    head = [("product", False), ("units", True), ("P10", True), ("median", True),
            ("P90", True), ("P90-P10", True), ("min", True), ("max", True)]  # fmt: skip
    caption = f"{len(rows)} of {len(ordered):,} products, most units first"
    parts.append(_table(head, rows, caption))
    parts.append("</section>")
    return "\n".join(parts)


# --- the page ------------------------------------------------------------------------------


def render(data: ReportData) -> str:
    """The report as one self-contained HTML document."""
    out = _Charts()
    body = "\n".join(
        [
            _header(data),
            _headline(data),
            _waterfall_section(data, out),
            _groups_section(data, out),
            _outliers_section(data, out),
            _concentration_section(data, out),
            _bands_section(data, out),
        ]
    )
    vendor = [inline_script(_package_text("web", "static", "vendor", "vega", n)) for n in VENDOR]
    template = Template(_package_text("analytics", "report_assets", "report.html"))
    return template.substitute(
        version=escape(__version__),
        title=escape(f"Discount report - {data.source}"),
        style=_package_text("analytics", "report_assets", "report.css")
        + _package_text("web", "static", "css", "charts.css"),
        body=body,
        specs="\n".join(out.blocks),
        vega=vendor[0],
        vega_lite=vendor[1],
        vega_embed=vendor[2],
        charts=inline_script(_package_text("web", "static", "js", "charts.js")),
    )
