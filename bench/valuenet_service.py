"""Value-network questions end to end through the service layer, on SQLite.

The pure-logic benchmark (valuenet_graph.py) times the graph modules alone; an API request
also loads the network from the database and builds the graph. This times that whole path
for the same generated network (2,000 nodes, 6,000 links): import once, then each question
as `analysis.*` answers it. Target: under 100 ms per question.

Run: .venv/bin/python bench/valuenet_service.py
"""

from __future__ import annotations

import gc
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sqlalchemy.orm import Session
from valuenet_graph import generate, measure

from valuescout.core.audit import SYSTEM_ACTOR
from valuescout.core.db import make_engine, make_session_factory, unit_of_work
from valuescout.core.migrate import upgrade
from valuescout.valuenet import analysis, service

RUNS = 9
TARGET_MS = 100.0
Question = Callable[[Session], object]


def main() -> None:
    spec = generate()
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/bench.db")
        upgrade(engine)
        factory = make_session_factory(engine)
        started = time.perf_counter()
        with unit_of_work(factory) as session:
            network_id = service.import_as(session, SYSTEM_ACTOR, spec).id
        print(
            f"import of {len(spec.differentiators) + len(spec.outcomes)} nodes and "
            f"{len(spec.links)} links: {(time.perf_counter() - started) * 1000:.0f} ms"
        )
        persona = spec.personas[0].name
        competitor = spec.competitors[0].name
        differentiator = spec.differentiators[0].name
        questions = {
            "load network + build graph": lambda s: analysis.value_graph(s, network_id),
            "lint": lambda s: analysis.lint_issues(s, network_id),
            "loops": lambda s: analysis.loop_report(s, network_id),
            "chains of 1 differentiator (limit 1,000)": lambda s: analysis.chains(
                s, network_id, differentiator=differentiator
            ),
            "persona view": lambda s: analysis.persona_view(s, network_id, persona),
            "executive conversations": lambda s: analysis.executive_conversations(s, network_id),
            "competitor positioning": lambda s: analysis.competitor_positioning(
                s, network_id, competitor
            ),
            "message themes vs competitor, limit 20": lambda s: analysis.message_themes(
                s, network_id, persona, competitor, 20
            ),
        }
        gc.freeze()  # as the server does at start-up (web/app.py)
        print("cold: the network is read from the database and the graph built for the question;")
        print("warm: the graph of an unchanged network is reused (analysis.GRAPHS)")
        print(
            f"{'question (SQLite, through the service)':<44} {'cold med':>8} {'cold p90':>8} "
            f"{'warm med':>8} {'warm p90':>8} {'peak MiB':>8}  target"
        )
        with factory() as session:
            for label, ask in questions.items():

                def cold(ask: Question = ask) -> object:
                    analysis.GRAPHS.clear()
                    return ask(session)

                c_median, c_p90, peak = measure(cold, RUNS)
                w_median, w_p90, _ = measure(lambda ask=ask: ask(session), RUNS)
                verdict = "ok" if c_median < TARGET_MS else "OVER"
                print(
                    f"{label:<44} {c_median:>8.1f} {c_p90:>8.1f} {w_median:>8.1f} "
                    f"{w_p90:>8.1f} {peak:>8.2f}  {verdict} (cold median)"
                )
        engine.dispose()


if __name__ == "__main__":
    main()
