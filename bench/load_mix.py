"""The virtual users of the load test and what they do: a weighted mix of actions per role.

A virtual user is one browser (its own connections and cookie jar, signed in with the demo
password) plus the same person's API token for the JSON calls an integration or the price
desk's tools make. Each action is one click with the requests a browser sends for it (an
opportunity page loads its two htmx panels; saving the value case follows the redirect),
then the user thinks for a while (uniform 0.5-1.5 x `think` seconds).

People have more virtual users than the demo has persons in some roles (50 users, 2 people
at the price desk): sessions of one person split the person's deals and requests between
them, so two sessions never ask for a price on the same deal or answer the same counter.
Approvers of one queue can still race on a request; the loser's 409 is counted apart.
"""

# ruff: noqa: S311 - seeded generators for repeatable load, not secrets

from __future__ import annotations

import asyncio
import random
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from decimal import Decimal
from html.parser import HTMLParser
from typing import Any

import httpx
from load_report import API_READ, API_WRITE, PAGE, PAGE_WRITE, Stats

REASONS = ("competitive_match", "budget", "volume", "strategic_logo", "other")
ANALYTICS_PAGES = (
    "/analytics",
    "/analytics/waterfall",
    "/analytics/outliers",
    "/analytics/bands",
    "/analytics/approvers",
)
_PENDING = 'data-testid="analytics-pending"'
PENDING_RELOADS = 30
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@dataclass
class Person:
    """What the load needs to know about one demo user (read from the database first)."""

    email: str
    role: str  # seller, manager, price_desk, executive
    token: str  # API bearer token
    deals: list[tuple[int, Decimal]] = field(default_factory=list)  # (id, amount): ask on these
    cases: list[int] = field(default_factory=list)  # open deals with a value case: edit these
    visible: list[int] = field(default_factory=list)  # deals to open (in the person's scope)


@dataclass
class Shared:
    stats: Stats
    stop_at: float
    think: float
    stage_ids: list[int]
    search_words: list[str]


class FormFields(HTMLParser):
    """The fields a browser would post from one form (by id), outside <template> rows."""

    def __init__(self, form_id: str) -> None:
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.fields: list[tuple[str, str]] = []
        self._in_form = self._in_template = False
        self._select: str | None = None
        self._select_value: str | None = None
        self._first_option: str | None = None
        self._option_value: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self._in_form = a.get("id") == self.form_id
        if not self._in_form:
            return
        if tag == "template":
            self._in_template = True
        if self._in_template:
            return
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button"):
                self.fields.append((name, a.get("value", "")))
        elif tag == "select":
            self._select, self._select_value, self._first_option = name, None, None
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            self._first_option = value if self._first_option is None else self._first_option
            if "selected" in a:
                self._select_value = value
        elif tag == "textarea":
            self._textarea, self._text = name, []

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_form = False
        elif tag == "template":
            self._in_template = False
        elif tag == "select" and self._select is not None:
            if self._select:
                self.fields.append((self._select, self._select_value or self._first_option or ""))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None


def form_fields(html: str, form_id: str) -> dict[str, str]:
    parser = FormFields(form_id)
    parser.feed(html)
    return dict(parser.fields)


class VirtualUser:
    def __init__(
        self, n: int, person: Person, share: tuple[int, int], client: httpx.AsyncClient
    ) -> None:
        self.n, self.person, self.client = n, person, client
        self.part, self.parts = share  # this session's share of the person's records
        self.rng = random.Random(n)
        self.csrf = ""
        self.asked: set[int] = set()
        own = [d for d in person.deals if d[0] % self.parts == self.part]
        self.rng.shuffle(own)
        self.to_ask = own
        self.cases = [c for c in person.cases if c % self.parts == self.part] or person.cases

    # --- one request -----------------------------------------------------------------------

    async def send(
        self,
        shared: Shared,
        group: str,
        endpoint: str,
        method: str,
        url: str,
        expect: tuple[int, ...] = (200,),
        conflict_ok: bool = False,
        **kwargs: Any,
    ) -> httpx.Response | None:
        if group in (API_READ, API_WRITE):
            kwargs.setdefault("headers", {})["Authorization"] = f"Bearer {self.person.token}"
        started = time.perf_counter()
        try:
            response = await self.client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            ms = (time.perf_counter() - started) * 1000
            shared.stats.record(
                group, endpoint, None, ms, ok=False, detail=f"{type(exc).__name__} {url}"
            )
            return None
        ms = (time.perf_counter() - started) * 1000
        status = response.status_code
        conflict = conflict_ok and status == 409
        detail = "" if status in expect else f"{method} {url} {response.text[:150]!r}"
        shared.stats.record(
            group, endpoint, status, ms, ok=status in expect, conflict=conflict, detail=detail
        )
        return response if status in expect else None

    async def sign_in(self, password: str) -> None:
        page = await self.client.get("/sign-in")
        found = _CSRF.search(page.text)
        if not found:
            raise SystemExit(f"no CSRF token on the sign-in page ({page.status_code})")
        done = await self.client.post(
            "/sign-in",
            data={"email": self.person.email, "password": password, "csrf_token": found[1]},
        )
        if done.status_code != 303:
            raise SystemExit(f"sign-in of {self.person.email}: {done.status_code}")
        home = await self.client.get("/")
        found = _CSRF.search(home.text)
        if home.status_code != 200 or not found:
            raise SystemExit(f"{self.person.email}: not signed in after the sign-in ({home})")
        self.csrf = found[1]

    # --- actions ---------------------------------------------------------------------------

    async def pipeline(self, s: Shared) -> None:
        roll = self.rng.random()
        if roll < 0.45:
            await self.send(s, PAGE, "GET /pipeline", "GET", "/pipeline")
        elif roll < 0.85:
            params = self.rng.choice(
                [
                    {"outcome": "open"},
                    {"outcome": "open", "sort": "-amount"},
                    {"stage_id": str(self.rng.choice(s.stage_ids))},
                    {"sort": "-updated_at"},
                    {"offset": "50"},
                ]
            )
            await self.send(s, PAGE, "GET /pipeline?filter", "GET", "/pipeline", params=params)
        else:
            q = self.rng.choice(s.search_words)
            await self.send(s, PAGE, "GET /pipeline?q=", "GET", "/pipeline", params={"q": q})

    async def open_deal(self, s: Shared, opp_id: int | None = None) -> httpx.Response | None:
        opp_id = opp_id or self.rng.choice(self.person.visible)
        page = await self.send(
            s, PAGE, "GET /opportunities/{id}", "GET", f"/opportunities/{opp_id}"
        )
        if page is not None:  # the two panels htmx loads on the page
            await asyncio.gather(
                self.send(
                    s, PAGE, "GET /opportunities/{id}/scores/panel", "GET",
                    f"/opportunities/{opp_id}/scores/panel",
                ),
                self.send(
                    s, PAGE, "GET /opportunities/{id}/price-requests/panel", "GET",
                    f"/opportunities/{opp_id}/price-requests/panel",
                ),
            )  # fmt: skip
        return page

    async def edit_value_case(self, s: Shared) -> None:
        """Open a deal, type into its value case (two live previews), save, see the page."""
        if not self.cases:
            return await self.pipeline(s)
        opp_id = self.rng.choice(self.cases)
        page = await self.open_deal(s, opp_id)
        if page is None:
            return None
        form = form_fields(page.text, "vc-form")
        if "o-0-yearly_value" not in form:
            s.stats.fail("GET /opportunities/{id}", "no value case editor on the page")
            return None
        value = Decimal(form["o-0-yearly_value"].replace(",", "") or "1000")
        form["o-0-yearly_value"] = str((value * Decimal(self.rng.uniform(0.9, 1.1))).quantize(1))
        form["o-0-confidence"] = str(self.rng.choice([40, 50, 60, 70, 80]))
        base = f"/opportunities/{opp_id}/value-case"
        for _ in range(2):
            await self.send(
                s, PAGE_WRITE, "POST /opportunities/{id}/value-case/preview", "POST",
                f"{base}/preview", data=form, headers={"HX-Request": "true"},
            )  # fmt: skip
        saved = await self.send(
            s, PAGE_WRITE, "POST /opportunities/{id}/value-case", "POST", base, (303,), data=form
        )
        if saved is not None:
            await self.open_deal(s, opp_id)
        return None

    async def api_value_case(self, s: Shared) -> None:
        """An integration's edit: read the value case, change one outcome's confidence."""
        if not self.cases:
            return await self.pipeline(s)
        opp_id = self.rng.choice(self.cases)
        base = f"/api/v1/opportunities/{opp_id}/value-case"
        case = await self.send(
            s, API_READ, "GET /api/v1/opportunities/{id}/value-case", "GET", base
        )
        if case is None or not case.json().get("outcomes"):
            return None
        outcome = self.rng.choice(case.json()["outcomes"])
        body = {"confidence": str(self.rng.choice(["0.4", "0.5", "0.6", "0.7", "0.8"]))}
        await self.send(
            s, API_WRITE, "PATCH /api/v1/opportunities/{id}/value-case/outcomes/{id}", "PATCH",
            f"{base}/outcomes/{outcome['id']}", json=body,
        )  # fmt: skip
        return None

    async def ask_price(self, s: Shared) -> None:
        """A price exception on a deal this session has not asked on yet (no open request)."""
        if not self.to_ask:
            return await self.inbox(s)
        opp_id, amount = self.to_ask.pop()
        body = {
            "net_price": str((amount * Decimal(self.rng.uniform(0.75, 0.97))).quantize(1)),
            "reason": self.rng.choice(REASONS),
            "justification": "Load test: the customer's budget is below our quote.",
        }
        await self.send(
            s, API_WRITE, "POST /api/v1/opportunities/{id}/price-requests", "POST",
            f"/api/v1/opportunities/{opp_id}/price-requests", (201,), json=body,
        )  # fmt: skip
        return None

    async def inbox(self, s: Shared) -> None:
        """The seller's requests; answer this session's countered ones."""
        got = await self.send(
            s, API_READ, "GET /api/v1/price-requests/inbox", "GET",
            "/api/v1/price-requests/inbox", params={"limit": "20"},
        )  # fmt: skip
        if got is None:
            return
        for item in got.json()["items"]:
            if item["state"] != "countered" or item["id"] % self.parts != self.part:
                continue
            move = "accept" if self.rng.random() < 0.7 else "withdraw"
            await self.send(
                s, API_WRITE, "POST /api/v1/price-requests/{id}/moves", "POST",
                f"/api/v1/price-requests/{item['id']}/moves", conflict_ok=True,
                json={"move": move, "version": item["version"]},
            )  # fmt: skip
            break

    async def decide(self, s: Shared) -> None:
        """Read the queue and decide one of the oldest requests this session handles."""
        got = await self.send(
            s, API_READ, "GET /api/v1/price-requests/queue", "GET", "/api/v1/price-requests/queue",
            params={"limit": "100"},
        )  # fmt: skip
        if got is None:
            return
        mine = [i for i in got.json()["items"] if i["id"] % self.parts == self.part][:3]
        if not mine:
            return
        item = self.rng.choice(mine)
        roll = self.rng.random()
        body: dict[str, Any] = {"version": item["version"]}
        if roll < 0.7:
            body["move"] = "approve"
        elif roll < 0.85:
            body["move"] = "reject"
        else:
            gap = Decimal(item["price_before"]) - Decimal(item["requested_price"])
            price = Decimal(item["requested_price"]) + gap / 2
            body.update(move="counter", price=str(price.quantize(Decimal("0.01"))))
        await self.send(
            s, API_WRITE, "POST /api/v1/price-requests/{id}/moves", "POST",
            f"/api/v1/price-requests/{item['id']}/moves", conflict_ok=True, json=body,
        )  # fmt: skip

    async def analytics(self, s: Shared) -> None:
        pages = ANALYTICS_PAGES if self.person.role != "manager" else ANALYTICS_PAGES[:-1]
        path = self.rng.choice(pages)  # approvers' review: price desk and executives only
        got = await self.send(s, PAGE, f"GET {path}", "GET", path)
        # Figures computed for the first time come on a page that says so and reloads itself
        # every 2 s (its meta refresh); the browser's reloads are requests like any other.
        for _ in range(PENDING_RELOADS):
            if got is None or _PENDING not in got.text:
                return
            s.stats.count_pending(f"GET {path}")
            await asyncio.sleep(2)
            got = await self.send(s, PAGE, f"GET {path}", "GET", path)
        if got is not None and _PENDING in got.text:
            s.stats.fail(f"GET {path}", f"still computing after {PENDING_RELOADS} reloads")

    async def forecast(self, s: Shared) -> None:
        await self.send(s, PAGE, "GET /forecast", "GET", "/forecast")

    async def desk(self, s: Shared) -> None:
        path = self.rng.choice(("/price-desk/queue", "/price-desk/requests"))
        await self.send(s, PAGE, f"GET {path}", "GET", path)

    async def api_pipeline(self, s: Shared) -> None:
        await self.send(
            s, API_READ, "GET /api/v1/opportunities", "GET", "/api/v1/opportunities",
            params={"outcome": "open", "limit": "50"},
        )  # fmt: skip

    # --- the loop --------------------------------------------------------------------------

    def mix(self) -> list[tuple[str, Callable[[Shared], Awaitable[None]], int]]:
        """(action, coroutine, weight) for this user's role."""
        role = self.person.role
        if role == "seller":
            return [
                ("pipeline", self.pipeline, 18),
                ("open deal", self.open_deal_action, 25),
                ("edit value case (page)", self.edit_value_case, 14),
                ("edit value case (API)", self.api_value_case, 6),
                ("ask for a price", self.ask_price, 12),
                ("inbox and counters", self.inbox, 10),
                ("forecast", self.forecast, 8),
                ("pipeline (API)", self.api_pipeline, 7),
            ]
        if role == "manager":
            return [
                ("pipeline", self.pipeline, 20),
                ("open deal", self.open_deal_action, 18),
                ("decide a price", self.decide, 20),
                ("analytics", self.analytics, 20),
                ("forecast", self.forecast, 12),
                ("edit value case (page)", self.edit_value_case, 5),
                ("price desk pages", self.desk, 5),
            ]
        if role == "price_desk":
            return [
                ("decide a price", self.decide, 40),
                ("price desk pages", self.desk, 20),
                ("analytics", self.analytics, 20),
                ("open deal", self.open_deal_action, 15),
                ("pipeline", self.pipeline, 5),
            ]
        return [  # executive
            ("analytics", self.analytics, 35),
            ("forecast", self.forecast, 25),
            ("pipeline", self.pipeline, 15),
            ("open deal", self.open_deal_action, 10),
            ("decide a price", self.decide, 15),
        ]

    async def open_deal_action(self, s: Shared) -> None:
        await self.open_deal(s)

    async def run(self, s: Shared) -> None:
        actions = self.mix()
        weights = [w for _, _, w in actions]
        await asyncio.sleep(self.rng.uniform(0, s.think))  # users do not all start at once
        while time.monotonic() < s.stop_at:
            name, action, _ = self.rng.choices(actions, weights=weights)[0]
            await action(s)
            if s.stats.recording:
                s.stats.actions[name] += 1
            await asyncio.sleep(self.rng.uniform(0.5, 1.5) * s.think)
