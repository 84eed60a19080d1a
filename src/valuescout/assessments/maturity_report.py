"""What the maturity report shows, ready for its template (`assessments/maturity_report.html`):
the profile, the radar as inline SVG, each domain's levels, next steps, gaps, disagreements and
the data-backed evidence; with the previous round's result, what changed.

Pure: the pages and the CLI render the template with this context (page: stylesheet linked, the
CSP allows no inline style; PDF and CLI file: stylesheet inline, WeasyPrint fetches nothing)."""

from __future__ import annotations

from datetime import date
from importlib import resources
from typing import Any

from valuescout.assessments import maturity_charts, maturity_content, maturity_scoring
from valuescout.assessments.schemas import MaturityResultOut

STYLESHEET = "/static/css/maturity-report.css"


def stylesheet_text() -> str:
    css = resources.files("valuescout.web").joinpath("static", "css", "maturity-report.css")
    return css.read_text(encoding="utf-8")


def axes(result: MaturityResultOut) -> list[tuple[str, float]]:
    return [(d.title, d.position) for d in result.domains]


def report_context(
    result: MaturityResultOut,
    *,
    title: str,
    subtitle: str,
    prepared_on: date,
    previous: MaturityResultOut | None = None,
    for_file: bool = False,
    links: dict[str, str] | None = None,
) -> dict[str, Any]:
    content = maturity_content.load(result.content_version)
    changes, newly, lost = maturity_scoring.compare(previous, result) if previous else ([], [], [])
    return {
        "result": result,
        "title": title,
        "subtitle": subtitle,
        "prepared_on": prepared_on,
        "levels": maturity_content.LEVEL_LABELS,
        "scale": content.scale,
        "texts": {i.id: i.text for i in content.indicators.values()},
        "evidence": {e.id: e for e in result.evidence},
        "radar_svg": maturity_charts.radar_svg(axes(result), axes(previous) if previous else None),
        "changes": changes,
        "newly_met": newly,
        "lost": lost,
        "for_file": for_file,
        "stylesheet": STYLESHEET,
        "inline_css": stylesheet_text() if for_file else None,
        "links": links or {},
    }
