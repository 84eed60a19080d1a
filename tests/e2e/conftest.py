"""Browser end-to-end fixtures: the app on a real port, seeded with the demo company, and
Debian's Chromium driven by Playwright.

One server (and one seeded SQLite file) serves the whole e2e session. Sign-in lockout is kept
per email in the database, so every test uses its own browser context and its own users.
Never run `playwright install`: the tests use the system Chromium at /usr/bin/chromium.
"""

from __future__ import annotations

import os
import re
import socket
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    BrowserContext,
    ConsoleMessage,
    Page,
    expect,
    sync_playwright,
)
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from valuescout.core import migrate
from valuescout.core.db import make_engine, make_session_factory, unit_of_work
from valuescout.core.settings import Settings
from valuescout.demo.generator import DEMO_PASSWORD, seed_demo
from valuescout.web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
MISSING_CHROMIUM = (
    "Chromium not found at /usr/bin/chromium; install Debian's chromium to run browser tests"
)
TIMEOUT_MS = 10_000  # fail fast: every page here renders in milliseconds
STARTUP_SECONDS = 15
E2E_SECRET = "e2e-secret-key-that-is-long-enough-for-production-checks-0123456789"


@pytest.fixture(scope="session", autouse=True)
def _require_chromium() -> None:
    """Skip locally without Chromium; in CI (CI set) a missing browser is a failure."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").strip():
        pytest.fail(f"{MISSING_CHROMIUM} (CI is set, so browser tests may not be skipped)")
    pytest.skip(MISSING_CHROMIUM)


@dataclass(frozen=True)
class LiveServer:
    base_url: str
    session_factory: sessionmaker[Session]  # for reading the test database from tests


def _wait_until_up(base_url: str, thread: threading.Thread) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if not thread.is_alive():
            raise RuntimeError("the e2e server thread exited during startup")
        try:
            with urllib.request.urlopen(f"{base_url}/sign-in", timeout=1) as response:  # noqa: S310
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"the e2e server did not answer at {base_url} in {STARTUP_SECONDS}s")


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    """The app, migrated and seeded with the demo company (seed 7), served by uvicorn."""
    data_dir = tmp_path_factory.mktemp("e2e")
    database_url = f"sqlite:///{data_dir / 'e2e.db'}"
    engine: Engine = make_engine(database_url)
    migrate.upgrade(engine)
    factory = make_session_factory(engine)
    with unit_of_work(factory) as session:
        seed_demo(session, seed=7)

    settings = Settings(
        env="test", database_url=database_url, secret_key=E2E_SECRET, data_dir=data_dir
    )
    app = create_app(settings)
    # Bind the socket here so the port is ours before the server starts: no free-port race.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="off"
    )
    uv_server = uvicorn.Server(config)
    thread = threading.Thread(
        target=uv_server.run, kwargs={"sockets": [sock]}, name="e2e-uvicorn", daemon=True
    )
    thread.start()
    base_url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base_url, thread)
        yield LiveServer(base_url=base_url, session_factory=factory)
    finally:
        uv_server.should_exit = True
        thread.join(timeout=10)
        sock.close()
        app.state.engine.dispose()
        engine.dispose()
    assert not thread.is_alive(), "the e2e server did not shut down"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture()
def new_context(browser: Browser, server: LiveServer) -> Iterator[Callable[[], BrowserContext]]:
    """Make fresh browser contexts (own cookies) on the live server; all closed after the test."""
    contexts: list[BrowserContext] = []

    def make() -> BrowserContext:
        context = browser.new_context(base_url=server.base_url)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture()
def page(new_context: Callable[[], BrowserContext]) -> Page:
    """A page in a fresh browser context: nobody is signed in."""
    return new_context().new_page()


def sign_in(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Fill in and submit the sign-in form (without asserting the outcome)."""
    page.goto("/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def sign_in_ok(page: Page, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in and check that the home page greets the user."""
    sign_in(page, email, password)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome, ")


def team_path(*names: str) -> str:
    """The home page's breadcrumb, company first, joined by '\u203a' (single angle quote)."""
    return " \u203a ".join(names)


def nav_labels(page: Page) -> list[str]:
    """The labels of the shell's main navigation, in order."""
    return [label.strip() for label in page.locator("header nav ul.main-nav a").all_inner_texts()]


@pytest.fixture()
def problems(page: Page) -> Iterator[list[str]]:
    """Console errors and CSP violations the page reports, for a test to find none."""
    found: list[str] = []

    def noted(message: ConsoleMessage) -> None:
        if message.type == "error" or "Content Security Policy" in message.text:
            found.append(message.text)

    page.on("console", noted)
    yield found
