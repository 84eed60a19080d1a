"""The load test's pages one at a time: the CPU each costs the app, to see how it grows with
the deals while the machine is too busy for the load test's wall clock to mean much.

In process (create_app + TestClient, production settings) on a database bench/load_data.py
built; signed in as the CSO (the whole company) and as the published seller. Per page: 2
warm-up requests (the first forecast or scorecard trains the learned methods), then the
median of `--runs`: CPU of this process (`time.process_time`; the PostgreSQL backend is not
counted) and the wall clock. Analytics answers are shared per snapshot and scope
(`analytics.answers`) and forecasts for 30 s (`forecasting.service.FORECASTS`): `--cold`
forgets both before every request, to see what the first caller after a new snapshot pays.
`--only REGEX` measures the pages whose path matches.

Run: .venv/bin/python bench/load_pages.py [--runs 5] [--only REGEX]
     [--cold] [--db postgresql+psycopg://postgres@127.0.0.1:5432/valuescout_load]
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import statistics
import time
import warnings

from fastapi.testclient import TestClient
from load_data import DEFAULT_DB
from sqlalchemy import func, select

import valuescout.registry  # noqa: F401 - every table in the metadata
from valuescout.analytics.answers import ANSWERS
from valuescout.core.db import make_session_factory
from valuescout.core.settings import Settings
from valuescout.deals.models import Opportunity, ValueCase
from valuescout.demo.generator import DEMO_PASSWORD, EMAIL_DOMAIN
from valuescout.forecasting.service import FORECASTS
from valuescout.identity.models import User
from valuescout.web.app import create_app

SECRET = "load-test-secret-key-long-enough-for-production-settings"  # noqa: S105
EXECUTIVE_PAGES = (
    "/pipeline",
    "/forecast",
    "/analytics",
    "/analytics/waterfall",
    "/analytics/outliers",
    "/analytics/bands",
    "/analytics/approvers",
    "/price-desk/queue",
)


def signed_in(client: TestClient, email: str) -> TestClient:
    form = client.get("/sign-in").text
    token = re.search(r'name="csrf_token" value="([^"]+)"', form)
    assert token, "no CSRF token on the sign-in page"
    done = client.post(
        "/sign-in",
        data={"email": email, "password": DEMO_PASSWORD, "csrf_token": token[1]},
        follow_redirects=False,
    )
    assert done.status_code == 303, done.status_code
    return client


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--cold", action="store_true", help="forget shared answers, forecasts")
    parser.add_argument("--only", default="", help="only the pages whose path matches")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    logging.disable(logging.INFO)
    app = create_app(Settings(env="production", database_url=args.db, secret_key=SECRET))
    with make_session_factory(app.state.engine)() as s:
        deals = s.scalar(select(func.count()).select_from(Opportunity)) or 0
        seller = s.scalar(select(User).where(User.email == f"seller@{EMAIL_DOMAIN}"))
        assert seller is not None
        opp = s.scalar(
            select(Opportunity.id)
            .join(ValueCase, ValueCase.opportunity_id == Opportunity.id)
            .where(Opportunity.owner_id == seller.id)
            .order_by(Opportunity.id.desc())
            .limit(1)
        )
    load = os.getloadavg()[0]
    print(f"{deals:,} opportunities; load average {load:.1f}; median of {args.runs} runs")
    cases = [(f"cso@{EMAIL_DOMAIN}", p) for p in EXECUTIVE_PAGES]
    deal = f"/opportunities/{opp}"
    seller_pages = ("/pipeline", deal, f"{deal}/scores/panel", f"{deal}/price-requests/panel")
    cases += [(f"seller@{EMAIL_DOMAIN}", p) for p in (*seller_pages, "/forecast")]
    cases = [(email, path) for email, path in cases if re.search(args.only, path)]
    clients: dict[str, TestClient] = {}
    print(f"{'who':<7} {'page':<42} {'CPU ms':>7} {'wall ms':>8}")
    for email, path in cases:
        if email not in clients:
            clients[email] = signed_in(TestClient(app, base_url="https://testserver"), email)
        client = clients[email]
        cpu, wall = [], []
        for i in range(args.runs + 2):
            if args.cold:
                ANSWERS.clear()
                FORECASTS.clear()
            started, used = time.perf_counter(), time.process_time()
            got = client.get(path)
            assert got.status_code == 200, (path, got.status_code)
            if i >= 2:
                cpu.append((time.process_time() - used) * 1000)
                wall.append((time.perf_counter() - started) * 1000)
        label = re.sub(r"/[0-9]+", "/{id}", path)
        print(
            f"{email.split('@')[0]:<7} {label:<42} {statistics.median(cpu):>7.0f} "
            f"{statistics.median(wall):>8.0f}",
            flush=True,
        )
    app.state.engine.dispose()


if __name__ == "__main__":
    main()
