"""The standalone discount report in Chromium, offline: every chart drawn from the inlined
builds, no request but the file itself, a clean console."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, ConsoleMessage, Route

from tests.analytics.test_engine import planted
from tests.e2e.conftest import TIMEOUT_MS
from valuescout.analytics import report
from valuescout.analytics.report_data import gather

pytestmark = pytest.mark.e2e


def test_the_report_draws_every_chart_offline(browser: Browser, tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    out.write_text(report.render(gather(planted(tmp_path))), encoding="utf-8")
    context = browser.new_context(offline=True)
    context.set_default_timeout(TIMEOUT_MS)
    requested: list[str] = []
    problems: list[str] = []

    def refuse(route: Route) -> None:
        """Any request the page makes beyond its own file is noted and refused."""
        requested.append(route.request.url)
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            route.abort()

    def noted(message: ConsoleMessage) -> None:
        if message.type in ("error", "warning"):
            problems.append(message.text)

    context.route("**/*", refuse)
    try:
        page = context.new_page()
        page.on("console", noted)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(out.as_uri())
        charts = page.locator("main [data-vega-spec]")
        count = charts.count()
        assert count == 10
        page.wait_for_function(
            "n => document.querySelectorAll('main [data-vega-ready]').length === n", arg=count
        )
        assert page.locator("main [data-vega-error]").count() == 0
        assert page.locator("main .vega-chart svg").count() == count
        # the waterfall's bars are drawn: seven of them
        first = page.locator("main .vega-chart").first
        assert first.locator("g.mark-rect path").count() == 7
    finally:
        context.close()
    assert [u for u in requested if not u.startswith("file://")] == []
    assert problems == []
