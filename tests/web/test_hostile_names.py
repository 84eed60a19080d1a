"""Templates escape everything: records with hostile names, shown on every page that shows them.

Each record is created through the JSON API (as an admin) with a name that carries a script
tag, an attribute break-out with an `onerror` image, a Jinja expression, a `javascript:` URL
and an RTL override; then every page, htmx panel and report that shows it is fetched and
parsed. Nothing of the payload may become markup: no <script> element with our code, no
element with an `onerror` attribute, no `href`/`src` starting with `javascript:`, `{{7*7}}`
shown as written (never 49), and every JSON block in a page (Vega specs for the charts) still
parses — a `</script>` in a name would have cut it short. No record has a URL field; the
`javascript:` text rides along in the names to check no template makes a link of it.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.analytics.test_engine import line, opened
from tests.factories import bearer, seeded_org, sign_in, token_for
from valuescout.analytics import report
from valuescout.analytics.report_data import gather

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TEMPLATE = "{{7*7}}"
JS_URL = "javascript:alert(1)"
RTL = "\u202ecod.exe\u202c"
HOSTILE = f"{SCRIPT}{IMG}{TEMPLATE} {JS_URL} {RTL}"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"  # how the name must read in the HTML


def hostile(tag: str) -> str:
    return f"{tag} {HOSTILE}"


class Markup(HTMLParser):
    """What the browser would build: elements with attributes, script element texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []
        self.json_blocks: list[str] = []
        self._script: tuple[str, list[str]] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag}> has an event handler {name}={value!r}")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}={value!r}>")
        if tag == "img" and dict(attrs).get("src") == "x":
            self.problems.append("an <img src=x> from a name became markup")
        if tag == "script":
            self._script = (dict(attrs).get("type") or "", [])

    def handle_data(self, data: str) -> None:
        if self._script is not None:
            self._script[1].append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self._script is not None:
            kind, parts = self._script
            body = "".join(parts)
            if kind == "application/json":
                self.json_blocks.append(body)
            elif "alert(1)" in body:
                self.problems.append(f"a script element runs our payload: {body[:80]!r}")
            self._script = None


def check_page(html: str, where: str, *, shows_name: bool = True) -> None:
    assert "<script>alert(1)" not in html, where
    assert "<img src=x onerror" not in html, where
    parser = Markup()
    parser.feed(html)
    parser.close()
    assert parser.problems == [], f"{where}: {parser.problems}"
    for block in parser.json_blocks:
        json.loads(block)  # a name with </script> must not have cut the block short
        assert "</script" not in block.lower(), where
    if shows_name:
        assert ESCAPED in html, f"{where} does not show the hostile name (escaped)"
        assert TEMPLATE in html, f"{where}: {{{{7*7}}}} should show as written"


class Api:
    def __init__(self, client: TestClient, secret: str) -> None:
        self.client = client
        self.headers = bearer(secret)

    def post(self, path: str, body: dict[str, Any], method: str = "POST") -> dict[str, Any]:
        response = self.client.request(method, f"/api/v1{path}", json=body, headers=self.headers)
        assert response.status_code in (200, 201), f"{method} {path}: {response.text}"
        data: dict[str, Any] = response.json()
        return data


def test_hostile_names_are_escaped_on_every_page(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    api = Api(client, token_for(session_factory, org.user("admin")))
    today = date.today()

    team = api.post("/teams", {"name": hostile("team"), "kind": "team", "parent_id": org.region.id})
    seller = api.post(
        "/users",
        {
            "email": "hostile.seller@example.com",
            "full_name": hostile("person"),
            "role": "seller",
            "team_id": team["id"],
            "password": "correct-horse-battery-staple",
        },
    )
    network = api.post(
        "/value-networks",
        {"name": hostile("network"), "offer_name": hostile("offer"), "description": HOSTILE},
    )
    nid = network["id"]
    diff = api.post(
        f"/value-networks/{nid}/nodes",
        {"node_type": "differentiator", "name": hostile("differentiator"), "description": HOSTILE},
    )
    outcome = api.post(
        f"/value-networks/{nid}/nodes",
        {"node_type": "outcome", "name": hostile("outcome"), "measure": HOSTILE[:60]},
    )
    api.post(
        f"/value-networks/{nid}/links",
        {"source_id": diff["id"], "target_id": outcome["id"], "rationale": HOSTILE},
    )
    persona = api.post(f"/value-networks/{nid}/personas", {"name": hostile("persona")})
    api.post(
        f"/value-networks/{nid}/personas/{persona['id']}/outcomes/{outcome['id']}",
        {"strength": "primary"},
        method="PUT",
    )
    product = api.post(
        "/products", {"name": hostile("product"), "family": HOSTILE[:40], "list_price": "100"}
    )
    account = api.post(
        "/accounts",
        {"name": hostile("account"), "industry": HOSTILE[:60], "owner_id": seller["id"]},
    )
    # A name as long as the API allows, starting with markup: pages still render and escape it.
    schemas = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    longest = schemas["AccountIn"]["properties"]["name"]["maxLength"]
    long_name = (SCRIPT + "W" * longest)[:longest]
    long_account = api.post("/accounts", {"name": long_name, "owner_id": seller["id"]})
    contact = api.post(
        f"/accounts/{account['id']}/contacts",
        {"name": hostile("contact"), "title": HOSTILE[:60], "persona_id": persona["id"]},
    )
    opp = api.post(
        "/opportunities",
        {
            "name": hostile("opportunity"),
            "account_id": account["id"],
            "owner_id": seller["id"],
            "value_network_id": nid,
            "close_date": (today + timedelta(days=30)).isoformat(),
            "alternative_name": hostile("alternative"),
            "description": HOSTILE,
            "lines": [{"product_id": product["id"], "quantity": 2, "net_price": 90}],
        },
    )
    oid = opp["id"]
    api.post(f"/opportunities/{oid}/value-case", {})
    api.post(
        f"/opportunities/{oid}/value-case/outcomes",
        {
            "name": hostile("value outcome"),
            "network_outcome_id": outcome["id"],
            "yearly_value": "1000",
            "evidence_note": HOSTILE,
        },
    )
    plan = api.post(
        "/call-plans",
        {
            "opportunity_id": oid,
            "meeting_on": (today + timedelta(days=3)).isoformat(),
            "attendee_ids": [contact["id"]],
            "goal": hostile("goal"),
            "good_result": hostile("result"),
        },
    )
    interaction = api.post(
        "/interactions",
        {
            "opportunity_id": oid,
            "occurred_on": today.isoformat(),
            "kind": "meeting",
            "notes": hostile("notes"),
        },
    )
    coaching = api.post(
        "/coaching/sessions",
        {
            "seller_id": seller["id"],
            "held_on": today.isoformat(),
            "focus": "expansion_questions",
            "notes": hostile("coaching"),
            "actions": [{"text": hostile("action"), "due_on": today.isoformat()}],
        },
    )
    discovery = api.post(
        "/discoveries",
        {
            "customer_name": hostile("customer"),
            "situation": hostile("situation"),
            "desired_outcome": hostile("desired"),
            "value_hint": HOSTILE[:60],
            "network_id": nid,
        },
    )
    rfp = api.post(
        f"/rfps/opportunities/{oid}",
        {
            "engagement_class": "shaped",
            "received_on": today.isoformat(),
            "notes": hostile("rfp"),
        },
    )
    maturity = api.post("/assessments/maturity/rounds", {"title": hostile("round")})

    sign_in(client, "admin@example.com")
    pages: dict[str, bool] = {  # path -> must show a hostile name
        "/": False,
        "/people": True,
        f"/people/{seller['id']}": True,
        "/teams": True,
        "/accounts": True,
        f"/accounts/{account['id']}": True,
        f"/accounts/{long_account['id']}": True,
        "/pipeline": True,
        f"/opportunities/{oid}": True,
        f"/opportunities/{oid}/business-case": True,
        f"/opportunities/{oid}/price-requests/panel": False,
        f"/opportunities/{oid}/price-requests/new": True,
        f"/opportunities/{oid}/scores/panel": False,
        f"/opportunities/{oid}/conversations/panel": True,
        f"/opportunities/{oid}/rfps": True,
        f"/opportunities/{oid}/willingness": True,
        f"/accounts/{account['id']}/willingness": True,
        "/value-networks": True,
        f"/value-networks/{nid}": True,
        f"/value-networks/{nid}/personas/{persona['id']}": True,
        f"/value-networks/{nid}/discoveries": False,
        f"/opportunities/{oid}/call-plans/new": True,
        f"/call-plans/{plan['id']}": True,  # the printable one-pager
        f"/call-plans/{plan['id']}/edit": True,
        "/conversations": True,
        f"/conversations/{interaction['id']}": True,
        f"/conversations/{interaction['id']}/edit": True,
        "/coaching": True,
        f"/coaching/{coaching['id']}": True,
        "/coaching/effectiveness": False,
        "/discoveries": True,
        f"/discoveries/{discovery['id']}": True,
        "/discoveries/ideas": False,
        "/rfps": False,
        f"/rfps/{rfp['id']}": True,
        "/assessments": True,
        f"/assessments/maturity/{maturity['id']}": True,
        f"/assessments/maturity/{maturity['id']}/answer": True,
        f"/assessments/maturity/{maturity['id']}/report.html": True,
        "/assessments/maturity/journey": False,
        "/assessments/willingness": False,
        "/forecast": False,
        "/analytics": False,
        "/price-desk/requests": False,
        "/admin/audit": False,
    }
    for path, shows_name in pages.items():
        response = client.get(path)
        assert response.status_code == 200, f"{path}: {response.status_code}"
        check_page(response.text, path, shows_name=shows_name)


def test_the_analytics_report_export_escapes_hostile_keys(tmp_path: Path) -> None:
    rows = [
        line(1, rep_id=HOSTILE, customer_id=HOSTILE, product_id=HOSTILE, region=HOSTILE),
        line(2, rep_id="ok", invoice_price=80.0),
    ]
    page = report.render(gather(opened(tmp_path / "hostile.parquet", rows)))
    check_page(page, "analytics report")


def test_the_check_catches_what_escaping_prevents() -> None:
    """The page check itself must fail on each way a name can become markup."""
    leaks = [
        f"<p>{SCRIPT}</p>",
        f'<a title="{IMG}">x</a>',
        '<a href="javascript:alert(1)">x</a>',
        '<div onclick="x()">x</div>',
        '<script type="application/json">{"name": "</script><p>"}</script>',
    ]
    for html in leaks:
        try:
            check_page(html, "crafted", shows_name=False)
        except (AssertionError, json.JSONDecodeError):
            continue
        raise AssertionError(f"the check missed {html!r}")
    check_page(f"<p>{ESCAPED} {TEMPLATE}</p>", "escaped")
    try:
        check_page("<p>49</p>", "evaluated")
    except AssertionError:
        pass
    else:
        raise AssertionError("the check missed {{7*7}} rendered as 49")
