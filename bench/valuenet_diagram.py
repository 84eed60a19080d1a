"""Benchmark: the interactive value-network diagram in Chromium, on a 300-node network.

Generates (seed 7) 60 differentiators and 240 outcomes in 4 layers, about 900 links (~4%
two-way), 6 personas and 2 competitors; imports it into a fresh SQLite database with
`service.import_as`; serves the app with uvicorn on 127.0.0.1 (as tests/e2e does); and drives
Debian's Chromium with Playwright.

Per run (a new tab in a signed-in browser context), it measures:

- ready: navigation start -> the diagram is loaded from the API, laid out by dagre, and its
  first frame is drawn (the page's own `performance.now()`, split into API data loaded and
  layout done);
- click: with the node zoomed to 100% (the whole network fits only at about 5%), a real mouse
  click on it -> the selection panel names it (measured here, so it includes Playwright's
  round trip).

Target: ready under 2 s (median and max over the runs).

Run: .venv/bin/python bench/valuenet_diagram.py [--runs 5]
"""

from __future__ import annotations

import argparse
import random
import socket
import statistics
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

import uvicorn
from playwright.sync_api import Page, expect, sync_playwright

from valuescout.core import migrate
from valuescout.core.audit import Actor
from valuescout.core.db import make_engine, make_session_factory, unit_of_work
from valuescout.core.settings import Settings
from valuescout.identity import service as identity_service
from valuescout.identity.roles import Role
from valuescout.identity.schemas import UserCreate
from valuescout.valuenet import service
from valuescout.valuenet import spec as s
from valuescout.web.app import create_app

TARGET_MS = 2000.0
N_DIFF, N_OUT, N_LINKS, LAYERS = 60, 240, 900, 4
CHROMIUM = "/usr/bin/chromium"
EMAIL, PASSWORD = "bench@example.com", "bench-password-123"
ACTOR = Actor(id=None, email="bench")
WORDS = [
    "faster",
    "less",
    "lower",
    "higher",
    "fewer",
    "safer",
    "planned",
    "energy",
    "downtime",
    "yield",
    "output",
    "audit",
    "spares",
    "margin",
    "budget",
    "repair",
    "uptime",
    "quality",
    "training",
    "service",
    "response",
    "risk",
    "cost",
    "time",
    "peace",
]


def generate(seed: int = 7) -> s.NetworkSpec:
    rng = random.Random(seed)  # noqa: S311 - a reproducible benchmark, not security

    def words(n: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(n))

    diffs = [f"D{i:02d} {words(rng.randint(2, 5))}" for i in range(N_DIFF)]
    per_layer = N_OUT // LAYERS
    layers = [
        [f"O{k}.{j:02d} {words(rng.randint(2, 6))}" for j in range(per_layer)]
        for k in range(LAYERS)
    ]
    outcomes = [
        s.Outcome(name, executive=rng.random() < (0.05 if k < LAYERS - 1 else 0.3))
        for k, layer in enumerate(layers)
        for name in layer
    ]
    seen: set[frozenset[str]] = set()
    links: list[s.Link] = []

    def add(a: str, b: str, two_way: bool = False) -> None:
        pair = frozenset((a, b))
        if a != b and pair not in seen:
            seen.add(pair)
            links.append(s.Link(a, b, two_way=two_way))

    for d in diffs:  # every differentiator drives 2-4 first- or second-layer outcomes
        for _ in range(rng.randint(2, 4)):
            add(d, rng.choice(layers[rng.choice((0, 0, 1))]))
    while len(links) < N_LINKS:
        k = rng.randrange(LAYERS - 1)
        source = rng.choice(layers[k])
        if rng.random() < 0.04:  # mutual reinforcement, same or next layer
            add(source, rng.choice(layers[k + rng.randint(0, 1)]), two_way=True)
        else:
            add(source, rng.choice(layers[min(LAYERS - 1, k + rng.choice((1, 1, 2)))]))
    personas = [
        s.Persona(
            f"Persona {p}",
            outcomes=[
                s.PersonaOutcome(o, rng.choice(list(s.Strength)))
                for o in rng.sample(layers[-1] + layers[-2], rng.randint(5, 10))
            ],
        )
        for p in range(6)
    ]
    competitors = [
        s.Competitor(
            f"Rival {c}",
            matches=[s.CompetitorMatch(d, rng.choice(list(s.Match))) for d in diffs],
        )
        for c in range(2)
    ]
    return s.NetworkSpec(
        name="Bench network",
        offer=s.Offer("Bench offer"),
        differentiators=[s.Differentiator(d) for d in diffs],
        outcomes=outcomes,
        links=links,
        personas=personas,
        competitors=competitors,
    )


def prepare(data_dir: Path) -> tuple[str, int, s.NetworkSpec]:
    url = f"sqlite:///{data_dir / 'bench.db'}"
    engine = make_engine(url)
    migrate.upgrade(engine)
    spec = generate()
    with unit_of_work(make_session_factory(engine)) as session:
        identity_service.create_user(
            session,
            ACTOR,
            UserCreate(
                email=EMAIL, full_name="Bench Manager", role=Role.MANAGER, password=PASSWORD
            ),
        )
        network_id = service.import_as(session, ACTOR, spec).id
    engine.dispose()
    return url, network_id, spec


def serve(url: str, data_dir: Path) -> tuple[uvicorn.Server, threading.Thread, str]:
    settings = Settings(env="test", database_url=url, secret_key="b" * 64, data_dir=data_dir)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings), log_level="warning", access_log=False, lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            with urllib.request.urlopen(f"{base}/sign-in", timeout=1):  # noqa: S310
                return server, thread, base
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the server did not start")


def one_run(page: Page, network_id: int, node: str) -> dict[str, float]:
    page.goto(f"/value-networks/{network_id}")
    diagram = page.get_by_test_id("diagram")
    expect(diagram).to_have_attribute("data-ready", "true", timeout=30_000)
    timing: dict[str, Any] = page.evaluate("valuenetDiagram.timing")
    diagram.scroll_into_view_if_needed()
    # Let the scroll event reach Cytoscape, which caches where its canvas is on screen.
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
    page.evaluate("name => valuenetDiagram.showNode(name)", node)  # at 100%, as a user would
    centre = page.evaluate("name => valuenetDiagram.renderedCenter(name)", node)
    box = diagram.bounding_box()
    assert centre is not None and box is not None
    started = time.perf_counter()
    page.mouse.click(box["x"] + centre["x"], box["y"] + centre["y"])
    expect(page.get_by_test_id("selection-name")).to_have_text(node, timeout=10_000)
    click_ms = (time.perf_counter() - started) * 1000
    return {
        "loaded": timing["loaded"],
        "drawn": timing["drawn"],
        "ready": timing["ready"],
        "click": click_ms,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp)
        url, network_id, spec = prepare(data_dir)
        print(
            f"network: {len(spec.differentiators)} differentiators, {len(spec.outcomes)} "
            f"outcomes, {len(spec.links)} links, {len(spec.personas)} personas"
        )
        server, thread, base = serve(url, data_dir)
        try:
            results = measure(base, network_id, spec.outcomes[-1].name, args.runs)
        finally:
            server.should_exit = True
            thread.join(timeout=10)
    report(results)


def measure(base: str, network_id: int, node: str, runs: int) -> list[dict[str, float]]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(base_url=base, viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto("/sign-in")
        page.get_by_label("Email").fill(EMAIL)
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url(f"{base}/")
        results = []
        for _ in range(runs):
            tab = context.new_page()
            results.append(one_run(tab, network_id, node))
            tab.close()
        browser.close()
    return results


def report(results: list[dict[str, float]]) -> None:
    print(f"{'measure (ms)':<34}{'median':>9}{'max':>9}")
    labels = {
        "loaded": "navigation -> API data loaded",
        "drawn": "navigation -> laid out (dagre)",
        "ready": "navigation -> drawn, interactive",
        "click": "click a node -> selection shown",
    }
    for key, label in labels.items():
        values = [r[key] for r in results]
        print(f"{label:<34}{statistics.median(values):>9.0f}{max(values):>9.0f}")
    worst = max(r["ready"] for r in results)
    verdict = "within" if worst < TARGET_MS else "OVER"
    print(f"target: ready < {TARGET_MS:.0f} ms -> {verdict} target (max {worst:.0f} ms)")


if __name__ == "__main__":
    main()
