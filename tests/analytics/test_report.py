"""The standalone discount report: the figures it shows, escaping, and that it is
self-contained (every script inline, nothing fetched, no address it could load)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest

from tests.analytics.test_engine import HAND, line, opened, planted, write
from valuescout.analytics import report
from valuescout.analytics.lines import open_lines
from valuescout.analytics.report_data import ReportData, gather

NOW = datetime(2025, 1, 31, 9, 30, tzinfo=UTC)
# The only addresses in the inlined vega builds: XML namespaces, the schema id Vega-Lite
# writes into the Vega it compiles, and links in messages / an editor action turned off.
# None is fetched; a new one in an upgraded build must be looked at before it joins the list.
INERT_URLS = {
    "http://www.w3.org/2000/svg",
    "http://www.w3.org/2000/xmlns/",
    "http://www.w3.org/1999/xlink",
    "https://vega.github.io/schema/vega/v6.json",
    "https://github.com/vega/vega-lite/issues/2415",
    "https://vega.github.io/editor/",
    "https://github.com/Starcounter-Jack/JSON-Patch",
    "https://",
    "http://",
}
URL = re.compile(r"""https?://[^\s"'`)<>\\]*""")


class Elements(HTMLParser):
    """Start tags with their attributes, and the text of each <script> / <style>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self._open: tuple[str, dict[str, str | None]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open = (tag, dict(attrs))

    def handle_data(self, data: str) -> None:
        if self._open is None:
            return
        tag, attrs = self._open
        if tag == "script":
            self.scripts.append((attrs, data))
        else:
            self.styles.append(data)
        self._open = None


def assert_self_contained(page: str) -> Elements:
    """No element loads anything from anywhere; addresses only the known inert ones."""
    found = Elements()
    found.feed(page)
    for tag, attrs in found.tags:
        for name in ("src", "href", "srcset", "data", "action", "poster", "background"):
            assert name not in attrs, f"<{tag} {name}=...> loads something"
        assert tag not in ("link", "iframe", "object", "embed", "base", "img"), tag
        if tag == "meta":
            assert attrs.get("http-equiv") is None, "no refresh or other http-equiv"
    for css in found.styles:
        assert "@import" not in css and "url(" not in css
    urls = set(URL.findall(page))
    assert urls <= INERT_URLS, urls - INERT_URLS
    # Only the inlined vendor builds hold even those: the report's own HTML, CSS, specs and
    # rendering script have no address at all.
    vendor = {report.inline_script(report._package_text("web", "static", "vendor", "vega", n))
              for n in report.VENDOR}  # fmt: skip
    for attrs, text in found.scripts:
        if text.strip() not in vendor:
            assert not URL.search(text), attrs
    outside = re.sub(r"<script>.*?</script>", "", page, flags=re.DOTALL)
    assert not URL.search(outside)
    return found


def specs(page: str) -> dict[str, dict[str, Any]]:
    found = Elements()
    found.feed(page)
    return {
        str(attrs["id"]): json.loads(text)
        for attrs, text in found.scripts
        if attrs.get("type") == "application/json"
    }


def no_urls_in_data(spec: Any) -> None:
    if isinstance(spec, dict):
        if "data" in spec:
            assert set(spec["data"]) == {"values"}
        assert "url" not in spec
        for value in spec.values():
            no_urls_in_data(value)
    elif isinstance(spec, list):
        for value in spec:
            no_urls_in_data(value)


@pytest.fixture(scope="module")
def hand_data(tmp_path_factory: pytest.TempPathFactory) -> ReportData:
    return gather(opened(tmp_path_factory.mktemp("hand") / "hand.parquet", HAND), now=NOW)


@pytest.fixture(scope="module")
def planted_page(tmp_path_factory: pytest.TempPathFactory) -> str:
    return report.render(gather(planted(tmp_path_factory.mktemp("planted")), now=NOW))


def test_hand_worked_figures(hand_data: ReportData) -> None:
    page = report.render(hand_data)
    assert "<h1>Discount report</h1>" in page and "hand.parquet" in page
    assert "2025-01-31 09:30 UTC" in page
    headline = page.split('id="headline"')[1].split("</section>")[0]
    for figure in ("3", "350", "50", "14.3%", "85.7%", "132", "45.2%"):
        assert f'<div class="value">{figure}</div>' in headline, figure
    waterfall = page.split('id="waterfall"')[1].split("</section>")[0]
    assert "<td>On-invoice discount</td><td class=num>-50.00</td>" in waterfall
    assert "<td>Pocket margin</td><td class=num>132.00</td>" in waterfall
    # sellers: B gave 30 of 100 (30%), A 20 of 250 (8%)
    sellers = page.split('id="group-rep"')[1].split("<h3")[0]
    assert sellers.index("<td>B</td>") < sellers.index("<td>A</td>")
    assert "<td class=num>30.00</td><td class=num>30.0%</td>" in sellers
    assert "All 3 rows passed the checks" in page
    assert_self_contained(page)


def test_every_chart_has_its_spec_inline(hand_data: ReportData) -> None:
    page = report.render(hand_data)
    found = specs(page)
    targets = re.findall(r'<div class="chart" data-vega-spec="([^"]+)"', page)
    assert targets and sorted(targets) == sorted(found)
    for spec in found.values():
        assert "$schema" not in spec
        no_urls_in_data(spec)
    # the waterfall chart carries the same figures as the table
    waterfall = found[targets[0]]
    bars = {v["step"]: v for v in waterfall["data"]["values"]}
    assert bars["Pocket margin"]["end"] == 132.0 and bars["List revenue"]["end"] == 350.0
    # regions North and South side by side
    compared = next(s for s in found.values() if "facet" in s and "column" in s["facet"])
    assert {v["slice"] for v in compared["data"]["values"]} == {"North", "South"}


def test_the_planted_seller_and_the_other_sections(planted_page: str) -> None:
    outliers = planted_page.split('id="outliers"')[1].split("</section>")[0]
    first_row = outliers.split("<tbody>")[1].split("</tr>")[0]
    assert "<td>R99</td>" in first_row and 'class="status-flag"' in first_row
    assert "1 flagged of 13 compared" in outliers
    assert "Left out of the peer benchmarks: R99." in outliers
    concentration = planted_page.split('id="concentration"')[1].split("</section>")[0]
    assert "<td>customer</td>" in concentration and "<td>rep</td>" in concentration
    bands = planted_page.split('id="bands"')[1].split("</section>")[0]
    assert "<td>P1</td>" in bands and bands.count('data-vega-spec="') == 2
    found = specs(planted_page)
    assert len(found) == 10  # waterfall, 4 groups, scatter, ranking, Lorenz, bands, histogram
    assert_self_contained(planted_page)


def test_scripts_are_the_vendored_builds_then_the_page_script(planted_page: str) -> None:
    found = assert_self_contained(planted_page)
    code = [text for attrs, text in found.scripts if "type" not in attrs]
    assert len(code) == 4
    assert code[0].lstrip().startswith("!function") and 't.version="6.4.0"' in code[0]
    assert 'var n="6.5.0"' in code[1]
    assert "vegaEmbed" in code[2] and "sourceMappingURL" not in "".join(code)
    assert "data-vega-spec" in code[3] and "ast: true" in code[3]


def test_bad_rows_left_out_are_reported(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.csv", [line(i, rep_id="R1") for i in range(4)])
    text = path.read_text(encoding="utf-8").splitlines()
    text[2] = text[2].replace("2024-03-05", "someday")
    path.write_text("\n".join(text) + "\n", encoding="utf-8")
    page = report.render(gather(open_lines(path, on_bad="exclude"), now=NOW))
    assert "1 of 4 rows had bad values (1 problems) and were left out" in page
    assert "over the other 3 rows" in page
    assert '<div class="value">3</div>' in page


def test_keys_from_the_file_are_escaped_everywhere(tmp_path: Path) -> None:
    evil = '<script>alert("x")</script>&'
    rows = [line(1, rep_id=evil, customer_id=evil, product_id=evil, region=evil),
            line(2, rep_id="ok", invoice_price=80.0)]  # fmt: skip
    data = gather(opened(tmp_path / "evil.parquet", rows), {"segment": "smb"}, now=NOW)
    page = report.render(data)
    assert evil not in page and "<script>alert" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&amp;" in page
    assert "only lines with segment=smb" in page
    # inside the JSON blocks the text is escaped for the script element and reads back whole
    found = specs(page)
    assert any(
        v.get("item") == evil for s in found.values() if "data" in s for v in s["data"]["values"]
    )
    assert_self_contained(page)


def test_an_empty_slice_still_renders(hand_data: ReportData, tmp_path: Path) -> None:
    data = gather(opened(tmp_path / "h.parquet", HAND), {"region": "Nowhere"}, now=NOW)
    page = report.render(data)
    assert '<div class="value">0</div>' in page
    assert "No seller could be compared with peers." in page
    assert_self_contained(page)


def test_inline_script_and_spec_json_guard_the_script_element() -> None:
    with pytest.raises(ValueError):
        report.inline_script("var a = '</script>';")
    with pytest.raises(ValueError):
        report.inline_script("var a = '<!--';")
    assert report.inline_script("code();\n//# sourceMappingURL=x.js.map\n") == "code();"
    text = report.spec_json({"$schema": "https://x", "title": "</script><b>&"})
    assert "<" not in text and ">" not in text and "&" not in text and "https" not in text
    assert json.loads(text) == {"title": "</script><b>&"}
