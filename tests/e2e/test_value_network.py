"""The value-network diagram in Chromium: drawing, editing through the page, highlighting by
persona and competitor, SVG export — with the page's strict CSP in force.

Each test imports its own small network into the live server's database, so it does not
depend on the demo data. `window.valuenetDiagram` is the page's test hook; the page
marks `#vn-diagram` with `data-ready` and `data-draws`, which tests wait on (the CSP forbids
the eval that Playwright's wait_for_function would need).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, expect

from tests.e2e.conftest import LiveServer, sign_in_ok
from tests.factories import TEST_ACTOR
from tests.valuenet.factories import small_spec
from valuescout.valuenet import graph, positioning, service
from valuescout.valuenet.repository import load_spec

pytestmark = pytest.mark.e2e

MANAGER = "manager@kestrelflow.example"
SELLER = "seller@kestrelflow.example"
_names = itertools.count(1)


@pytest.fixture()
def network(server: LiveServer) -> tuple[int, str]:
    """A fresh copy of the test network (id, name) in the live server's database."""
    name = f"E2E pumps {next(_names)}"
    with server.session_factory() as session:
        created = service.import_as(session, TEST_ACTOR, small_spec(name))
        session.commit()
        return created.id, name


@pytest.fixture()
def csp_violations(page: Page) -> Iterator[list[str]]:
    """Console errors the page logs about its Content Security Policy; must stay empty."""
    found: list[str] = []

    def watch(message: ConsoleMessage) -> None:
        if "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", watch)
    yield found


def open_diagram(page: Page, network_id: int) -> None:
    page.goto(f"/value-networks/{network_id}")
    expect(page.get_by_test_id("diagram")).to_have_attribute("data-ready", "true")


def redrawn(page: Page, before: int) -> None:
    """Wait until the diagram has been redrawn after a change."""
    expect(page.get_by_test_id("diagram")).to_have_attribute("data-draws", str(before + 1))


def draws(page: Page) -> int:
    return int(page.get_by_test_id("diagram").get_attribute("data-draws") or "0")


def click_node(page: Page, name: str) -> None:
    """A real mouse click on the node as drawn on the canvas."""
    diagram = page.get_by_test_id("diagram")
    diagram.scroll_into_view_if_needed()
    # Let the scroll event reach Cytoscape, which caches where its canvas is on screen.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    centre = page.evaluate("name => valuenetDiagram.renderedCenter(name)", name)
    box = diagram.bounding_box()
    assert centre is not None and box is not None, name
    page.mouse.click(box["x"] + centre["x"], box["y"] + centre["y"])


def test_manager_builds_the_network_in_the_diagram(
    page: Page, server: LiveServer, network: tuple[int, str], csp_violations: list[str]
) -> None:
    network_id, name = network
    sign_in_ok(page, MANAGER)
    open_diagram(page, network_id)
    assert page.evaluate("valuenetDiagram.names('differentiator')") == [
        "4-hour service",
        "Predictive sensors",
    ]
    assert "Less downtime <-> Higher output" in page.evaluate("valuenetDiagram.links()")
    assert "★ Less downtime" in page.evaluate("valuenetDiagram.labelOf('Less downtime')")

    # Add an outcome: it is drawn and selected.
    add = page.get_by_test_id("add-node")
    add.get_by_label("Type").select_option("outcome")
    add.get_by_label("Name").fill("Lower energy bill")
    add.get_by_label("Executive-worthy").check()
    before = draws(page)
    add.get_by_role("button", name="Add").click()
    redrawn(page, before)
    expect(page.get_by_test_id("selection-name")).to_have_text("Lower energy bill")
    # Nothing leads to it yet and nobody wants it: the checks beside the diagram say so.
    lint = page.get_by_test_id("lint")
    expect(lint.locator("li", has_text="Lower energy bill").first).to_be_visible()

    # A duplicate name is refused with the API's message, and nothing changes.
    add.get_by_label("Name").fill("lower energy BILL")
    add.get_by_role("button", name="Add").click()
    expect(page.get_by_test_id("diagram-error")).to_contain_text("already used")

    # Link a differentiator to it by clicking both on the diagram.
    page.get_by_text("Link two nodes").click()
    page.get_by_role("button", name="Pick on the diagram").click()
    click_node(page, "Predictive sensors")
    expect(page.locator("#vn-pick-hint")).to_contain_text("Now click the outcome")
    before = draws(page)
    click_node(page, "Lower energy bill")
    redrawn(page, before)
    expect(page.get_by_test_id("diagram-error")).to_be_hidden()
    expect(page.get_by_test_id("selection-name")).to_have_text(
        "Predictive sensors → Lower energy bill"
    )

    # A new persona wants the new outcome.
    page.get_by_text("Personas and the outcomes they want").click()
    persona_form = page.get_by_test_id("add-persona")
    persona_form.get_by_label("New persona").fill("Energy manager")
    before = draws(page)
    persona_form.get_by_role("button", name="Add persona").click()
    redrawn(page, before)
    attach = page.get_by_test_id("attach-persona")
    expect(attach.get_by_label("Persona")).to_have_value(re.compile(r"\d+"))
    attach.get_by_label("Outcome").select_option(label="Lower energy bill")
    before = draws(page)
    attach.get_by_role("button", name="Attach").click()
    redrawn(page, before)
    assert "[Energy manager]" in page.evaluate("valuenetDiagram.labelOf('Lower energy bill')")
    expect(lint.locator("li", has_text="Lower energy bill")).to_have_count(0)

    # After a reload, everything is still there — it was stored, not just drawn.
    page.reload()
    expect(page.get_by_test_id("diagram")).to_have_attribute("data-ready", "true")
    assert "Lower energy bill" in page.evaluate("valuenetDiagram.names('outcome')")
    assert "★ Lower energy bill" in page.evaluate("valuenetDiagram.labelOf('Lower energy bill')")
    assert "Predictive sensors -> Lower energy bill" in page.evaluate("valuenetDiagram.links()")
    expect(page.get_by_test_id("persona-links").get_by_role("link", name="Energy manager"))
    with server.session_factory() as session:
        spec = load_spec(session, service.find_network(session, name))
    energy = next(p for p in spec.personas if p.name == "Energy manager")
    assert [po.outcome for po in energy.outcomes] == ["Lower energy bill"]
    assert csp_violations == []


def test_manager_edits_and_deletes_through_the_selection_panel(
    page: Page, server: LiveServer, network: tuple[int, str], csp_violations: list[str]
) -> None:
    network_id, name = network
    sign_in_ok(page, MANAGER)
    open_diagram(page, network_id)

    # Rename an outcome; its position is kept across the redraw.
    before_xy = page.evaluate("valuenetDiagram.renderedCenter('Calmer nights')")
    click_node(page, "Calmer nights")
    edit = page.get_by_test_id("edit-node")
    expect(edit.get_by_label("Name")).to_have_value("Calmer nights")
    edit.get_by_label("Name").fill("Quiet nights")
    before = draws(page)
    edit.get_by_role("button", name="Save").click()
    redrawn(page, before)
    assert page.evaluate("valuenetDiagram.renderedCenter('Quiet nights')") == before_xy

    # A differentiator's link cannot be two-way: the API says why, in the error box.
    page.get_by_text("Link two nodes").click()
    link_form = page.get_by_test_id("add-link")
    link_form.get_by_label("From (cause)").select_option(label="4-hour service (differentiator)")
    link_form.get_by_label("To (effect: an outcome)").select_option(label="Higher output")
    link_form.get_by_label("Two-way").check()
    link_form.get_by_role("button", name="Link").click()
    expect(page.get_by_test_id("diagram-error")).to_contain_text("Only outcomes can reinforce")
    link_form.get_by_label("Two-way").uncheck()
    before = draws(page)
    link_form.get_by_role("button", name="Link").click()
    redrawn(page, before)
    expect(page.get_by_test_id("diagram-error")).to_be_hidden()
    expect(page.get_by_test_id("selection-name")).to_have_text("4-hour service → Higher output")
    before = draws(page)
    page.get_by_test_id("delete-link").click()
    redrawn(page, before)
    assert "4-hour service -> Higher output" not in page.evaluate("valuenetDiagram.links()")

    # A competitor, matched on one differentiator.
    page.get_by_text("Competitors").click()
    page.get_by_test_id("add-competitor").get_by_label("New competitor").fill("Pumpco")
    before = draws(page)
    page.get_by_test_id("add-competitor").get_by_role("button", name="Add competitor").click()
    redrawn(page, before)
    match = page.get_by_test_id("set-match")
    match.get_by_label("Our differentiator").select_option(label="4-hour service")
    match.get_by_label("Do they match it?").select_option("partly")
    before = draws(page)
    match.get_by_role("button", name="Set").click()
    redrawn(page, before)
    page.get_by_test_id("competitor-filter").select_option(label="Pumpco")
    assert "cmp-partly" in page.evaluate("valuenetDiagram.classesOf('4-hour service')")

    # Delete a node, after confirming.
    page.once("dialog", lambda dialog: dialog.accept())
    click_node(page, "Predictive sensors")
    before = draws(page)
    page.get_by_test_id("delete-node").click()
    redrawn(page, before)
    assert "Predictive sensors" not in page.evaluate("valuenetDiagram.names('differentiator')")
    with server.session_factory() as session:
        spec = load_spec(session, service.find_network(session, name))
    assert [d.name for d in spec.differentiators] == ["4-hour service"]
    assert "Quiet nights" in [o.name for o in spec.outcomes]
    pumpco = next(c for c in spec.competitors if c.name == "Pumpco")
    assert [(m.differentiator, m.match.value) for m in pumpco.matches] == [
        ("4-hour service", "partly")
    ]
    assert csp_violations == []


def test_persona_and_competitor_highlights_follow_the_graph_rules(
    page: Page, server: LiveServer, network: tuple[int, str], csp_violations: list[str]
) -> None:
    network_id, name = network
    with server.session_factory() as session:
        value_graph = graph.build_graph(load_spec(session, service.find_network(session, name)))
    sign_in_ok(page, SELLER)
    open_diagram(page, network_id)
    expect(page.get_by_test_id("add-node")).to_have_count(0)  # a seller only reads

    page.get_by_test_id("persona-filter").select_option(label="Plant manager")
    targets = ["Higher output", "Less downtime"]
    assert page.evaluate("valuenetDiagram.targets()") == targets
    # Everything with a chain into the persona's outcomes, as the server's graph module says.
    starts = [value_graph.index[t] for t in targets]
    expected = sorted(value_graph.names[i] for i in graph.distances(value_graph.pred, starts))
    assert page.evaluate("valuenetDiagram.highlighted()") == expected
    assert page.evaluate("valuenetDiagram.faded()") == ["Calmer nights"]

    page.get_by_test_id("persona-filter").select_option(label="Everyone")
    assert page.evaluate("valuenetDiagram.faded()") == []
    page.get_by_test_id("competitor-filter").select_option(label="Hydrix")
    assert "cmp-yes" in page.evaluate("valuenetDiagram.classesOf('Predictive sensors')")
    assert "cmp-no" in page.evaluate("valuenetDiagram.classesOf('4-hour service')")
    positions = positioning.competitor_positioning(value_graph, "Hydrix")
    for row in positions.outcomes:
        css = "cmp-" + row.position.value.replace("_", "-")
        assert css in page.evaluate(f"valuenetDiagram.classesOf({row.outcome!r})"), row
    expect(page.locator("#vn-legend-competitor")).to_be_visible()
    assert csp_violations == []


def test_export_svg_and_files_download(
    page: Page, network: tuple[int, str], csp_violations: list[str]
) -> None:
    network_id, name = network
    sign_in_ok(page, SELLER)
    open_diagram(page, network_id)
    with page.expect_download() as download:
        page.get_by_test_id("export-svg").click()
    assert download.value.suggested_filename == f"{name}.svg"
    svg = Path(download.value.path()).read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<svg xmlns=" in svg and svg.rstrip().endswith("</svg>")
    assert svg.count("<ellipse") == 3 and svg.count("<title>") == 1 + 5  # outcomes; nodes
    assert ">Predictive sensors</tspan>" in svg and "<polygon" in svg

    # The files the API exports are one click away too.
    with page.expect_download() as download:
        page.get_by_test_id("export-yaml").click()
    assert download.value.suggested_filename == f"{name}.yaml"
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("format: valuescout.value-network/1") and f"name: {name}" in text
    assert csp_violations == []


def test_persona_view_from_the_diagram(page: Page, network: tuple[int, str]) -> None:
    network_id, _ = network
    sign_in_ok(page, SELLER)
    open_diagram(page, network_id)
    page.get_by_test_id("persona-links").get_by_role("link", name="Plant manager").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plant manager")
    expect(page.get_by_test_id("theme")).to_have_count(4)
    page.get_by_label("Positioned against").select_option(label="Hydrix")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("theme").first).to_contain_text("Because of 4-hour service")


def test_demo_networks_open_from_the_navigation(page: Page, csp_violations: list[str]) -> None:
    sign_in_ok(page, SELLER)
    page.locator("header nav").get_by_role("link", name="Value networks", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Value networks")
    rows = page.get_by_test_id("network-table").locator("tbody tr")
    expect(rows.filter(has_text="SmartFlow connected pump systems").first).to_be_visible()
    rows.filter(has_text="FlowCare").first.get_by_role("link").first.click()
    expect(page.get_by_test_id("diagram")).to_have_attribute("data-ready", "true")
    assert len(page.evaluate("valuenetDiagram.names('outcome')")) > 10
    expect(page.get_by_test_id("diagram-error")).to_be_hidden()
    assert csp_violations == []
