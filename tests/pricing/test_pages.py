"""Price desk pages through a browser-less client, one signed-in browser per role: asking on a
deal, the panel on the opportunity page, a request's evidence and trace, the moves, the queue,
the inbox, the desk's list, the policy editor and delegations — and what each role may not do.

`priced_deal` (shared with the role matrix and the browser test) builds the worked example
with a product (so cost and margin are known) and confirmed outcomes: asking 230,000 on its
250,000 lands between floor and target with confirmed value, which the default policy routes
to the seller's manager alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import count

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_pages import Deal, principal_of, seed_deal
from tests.factories import Org, csrf_from, seeded_org, sign_in
from valuescout.deals import valuecases
from valuescout.deals.schemas import OutcomeUpdate
from valuescout.identity.models import User
from valuescout.pricing import pages_desk, service
from valuescout.pricing.fields import Reason
from valuescout.pricing.models import PricePolicy, PriceRequest
from valuescout.pricing.schemas import MoveIn, PriceRequestIn
from valuescout.pricing.workflow import Move

_seq = count(1)
ROUTED_TO_MANAGER = "230000"


def priced_deal(
    session_factory: sessionmaker[Session],
    owner: User,
    admin: User,
    *,
    name: str | None = None,
    account: str | None = None,
    confirmed: bool = True,
) -> Deal:
    """The worked example with one product line (list 250,000, cost 100,000)."""
    n = next(_seq)
    deal = seed_deal(
        session_factory,
        owner,
        admin=admin,
        name=name or f"Priced deal {n}",
        account=account or f"Priced account {n}",
        product=(f"Pump skid {n}-{owner.id}", "250000", "100000"),
    )
    if confirmed:
        with session_factory() as s:
            who = principal_of(s, admin)
            for outcome_id in deal.outcome_ids:
                update = OutcomeUpdate(state="confirmed")  # type: ignore[arg-type]
                valuecases.update_outcome(s, who, deal.opp_id, outcome_id, update)
            s.commit()
    return deal


def asked(
    session_factory: sessionmaker[Session],
    user: User,
    opp_id: int,
    price: str = ROUTED_TO_MANAGER,
    justification: str = "Rival Corp offers 200k",
) -> int:
    """A request made through the service, as if from the form."""
    with session_factory() as s:
        body = PriceRequestIn(
            net_price=Decimal(price), reason=Reason.COMPETITIVE_MATCH, justification=justification
        )
        request = service.submit(s, principal_of(s, user), opp_id, body)
        s.commit()
        return request.id


def moved(
    session_factory: sessionmaker[Session], user: User, request_id: int, move: Move, **kw: object
) -> None:
    with session_factory() as s:
        service.act(s, principal_of(s, user), request_id, MoveIn(move=move, **kw))  # type: ignore[arg-type]
        s.commit()


@dataclass
class Desk:
    """A seeded organisation and a signed-in browser per role."""

    app: FastAPI
    session_factory: sessionmaker[Session]
    org: Org
    stack: ExitStack
    browsers: dict[str, TestClient] = field(default_factory=dict)

    def as_(self, role: str) -> TestClient:
        if role not in self.browsers:
            client = self.stack.enter_context(TestClient(self.app, base_url="http://testserver"))
            sign_in(client, self.org.user(role).email)
            self.browsers[role] = client
        return self.browsers[role]

    def get(self, role: str, path: str) -> httpx.Response:
        return self.as_(role).get(path, follow_redirects=False)

    def post(self, role: str, path: str, data: dict[str, str], page: str) -> httpx.Response:
        client = self.as_(role)
        token = csrf_from(client.get(page).text)
        return client.post(path, data={**data, "csrf_token": token}, follow_redirects=False)

    def deal(self, owner: str = "seller", **kw: object) -> Deal:
        return priced_deal(
            self.session_factory,
            self.org.user(owner),
            self.org.user("admin"),
            **kw,  # type: ignore[arg-type]
        )

    def requests(self) -> int:
        with self.session_factory() as s:
            return s.scalar(select(func.count()).select_from(PriceRequest)) or 0

    def request(self, request_id: int) -> PriceRequest:
        with self.session_factory() as s:
            found = s.get(PriceRequest, request_id)
            assert found is not None
            return found


@pytest.fixture()
def desk(app: FastAPI, session_factory: sessionmaker[Session]) -> Iterator[Desk]:
    with ExitStack() as stack:
        yield Desk(app, session_factory, seeded_org(session_factory), stack)


def ask_form(**fields: str) -> dict[str, str]:
    form = {
        "mode": "net_price",
        "net_price": ROUTED_TO_MANAGER,
        "reason": "competitive_match",
        "justification": "Rival Corp offers 200k for the same scope.",
    }
    return {**form, **fields}


def new_path(opp_id: int) -> str:
    return f"/opportunities/{opp_id}/price-requests/new"


def created_id(response: httpx.Response) -> int:
    assert response.status_code == 303, response.text
    match = re.fullmatch(r"/price-desk/requests/(\d+)", response.headers["location"])
    assert match, response.headers["location"]
    return int(match.group(1))


def text_of(html: str) -> str:
    """The page's text with tags removed and spaces collapsed, for phrases across elements."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


# --- asking --------------------------------------------------------------------------------


def test_seller_asks_on_a_deal_and_sees_it_routed_to_the_manager(desk: Desk) -> None:
    deal = desk.deal(name="Line 4 retrofit")
    form = desk.get("seller", new_path(deal.opp_id))
    assert form.status_code == 200
    assert "Ask for a price exception" in form.text and "Line 4 retrofit" in form.text
    assert "USD 250,000.00" in form.text  # the deal now and at list, formatted as money
    assert 'name="idempotency_key"' in form.text and "<script>" not in form.text

    response = desk.post("seller", f"/opportunities/{deal.opp_id}/price-requests", ask_form(), "/")
    request_id = created_id(response)
    page = desk.as_("seller").get(response.headers["location"])
    assert page.status_code == 200
    html = page.text
    assert "it waits for manager" in html  # the flash after the redirect
    assert 'data-testid="waiting-for">Manager<' in html
    assert "Waiting for approval" in html
    assert "USD 230,000.00" in html and "8.0% off list" in html
    # The frozen evidence: value case, corridor and margin, history.
    assert re.search(r'data-testid="ev-preference-after">USD 84,000.00<', html)
    assert re.search(r'data-testid="ev-confirmed">100%<', html)
    assert re.search(r'data-testid="ev-target">USD 257,000.00<', html)
    assert re.search(r'data-testid="ev-margin">56.5%<', html)
    assert "Between floor and target" in html
    # The policy's trace: every rule tried, each condition with its value, the one that fired.
    assert "floor-to-target-with-confirmed-value</code> fired" in html
    assert "<code>margin_after lt 0.15</code>" in html and "0.5652" in html
    assert html.count('data-testid="trace-rule"') == 6  # the sixth rule fired
    words = text_of(html)
    assert "Asked seller@example.com" in words and "Routed by the policy policy" in words
    # The seller may withdraw, not approve.
    assert 'data-testid="move-withdraw"' in html and 'data-testid="move-approve"' not in html
    assert desk.request(request_id).waiting_role == "manager"


def test_discount_and_line_prices_ask_the_same_price(desk: Desk) -> None:
    deal = desk.deal()
    form = ask_form(mode="discount", discount="8", net_price="")
    first = created_id(
        desk.post("seller", f"/opportunities/{deal.opp_id}/price-requests", form, "/")
    )
    assert desk.request(first).requested_price == Decimal("230000.00")
    moved(desk.session_factory, desk.org.user("seller"), first, Move.WITHDRAW)

    page = desk.get("seller", new_path(deal.opp_id)).text
    line_id = re.search(r'name="line-(\d+)"', page)
    assert line_id, "the form lists the deal's lines"
    form = ask_form(mode="lines", net_price="", **{f"line-{line_id.group(1)}": "230,000"})
    second = created_id(
        desk.post("seller", f"/opportunities/{deal.opp_id}/price-requests", form, "/")
    )
    request = desk.request(second)
    assert request.requested_price == Decimal(
        "230000.00"
    ) and request.requested_discount == Decimal("0.0800")
    detail = desk.get("seller", f"/price-desk/requests/{second}").text
    assert 'data-testid="request-lines"' in detail


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"net_price": "lots"}, "Net price: enter a number"),
        ({"net_price": ""}, "Net price: enter the deal price you ask for"),
        ({"mode": "discount", "discount": "150"}, "Discount: enter a percentage between 0 and 100"),
        ({"mode": "lines"}, "Line prices: enter the net price per unit"),
        ({"mode": "bargain"}, "Choose how you ask"),
        ({"justification": "   "}, "justification"),
        ({"reason": "because"}, "reason"),
        ({"net_price": "230000.123"}, "net price"),
    ],
)
def test_bad_input_shows_the_form_again_and_writes_nothing(
    desk: Desk, fields: dict[str, str], message: str
) -> None:
    deal = desk.deal()
    sent = ask_form(**fields)
    response = desk.post("seller", f"/opportunities/{deal.opp_id}/price-requests", sent, "/")
    assert response.status_code == 422
    error = re.search(r'data-testid="form-error">([^<]*)<', response.text)
    assert error and message.lower() in error.group(1).lower(), error
    assert desk.requests() == 0
    # What was typed is still there.
    if fields.get("justification") is None:
        assert "Rival Corp offers 200k for the same scope." in response.text


def test_a_second_request_while_one_is_open_is_refused_with_a_message(desk: Desk) -> None:
    deal = desk.deal()
    asked(desk.session_factory, desk.org.user("seller"), deal.opp_id)
    response = desk.post("seller", f"/opportunities/{deal.opp_id}/price-requests", ask_form(), "/")
    assert response.status_code == 409
    assert "still open; withdraw it to ask again" in response.text
    assert desk.requests() == 1


def test_the_same_form_posted_twice_makes_one_request(desk: Desk) -> None:
    deal = desk.deal()
    path = f"/opportunities/{deal.opp_id}/price-requests"
    form = ask_form(idempotency_key="double-click-1")
    first, second = desk.post("seller", path, form, "/"), desk.post("seller", path, form, "/")
    assert created_id(first) == created_id(second)
    assert desk.requests() == 1


def test_who_may_open_the_form(desk: Desk) -> None:
    deal = desk.deal()
    assert desk.get("manager", new_path(deal.opp_id)).status_code == 200
    assert desk.get("price_desk", new_path(deal.opp_id)).status_code == 403  # may not edit deals
    assert desk.get("seller_b", new_path(deal.opp_id)).status_code == 404  # another team's deal
    assert desk.get("contributor", new_path(deal.opp_id)).status_code == 404
    form = ask_form()
    path = f"/opportunities/{deal.opp_id}/price-requests"
    assert desk.post("executive", path, form, "/").status_code == 403
    assert desk.post("seller_b", path, form, "/").status_code == 404
    assert desk.requests() == 0


# --- the panel on the opportunity page -------------------------------------------------------


def test_the_opportunity_page_loads_the_panel_with_the_outcome(desk: Desk) -> None:
    deal = desk.deal()
    panel = f"/opportunities/{deal.opp_id}/price-requests/panel"
    opportunity = desk.get("seller", f"/opportunities/{deal.opp_id}").text
    assert f'hx-get="{panel}"' in opportunity and 'hx-trigger="load"' in opportunity

    before = desk.get("seller", panel)
    assert before.status_code == 200
    assert 'data-testid="ask-price"' in before.text and "No price exception" in before.text
    assert "<html" not in before.text  # a fragment for htmx, not a page

    request_id = asked(desk.session_factory, desk.org.user("seller"), deal.opp_id)
    pending = desk.get("seller", panel).text
    assert "Waiting for approval" in pending and "Manager" in pending
    assert 'data-testid="ask-price"' not in pending  # one open request at a time
    assert f"/price-desk/requests/{request_id}" in pending

    moved(desk.session_factory, desk.org.user("manager"), request_id, Move.APPROVE)
    done = desk.get("seller", panel).text
    assert "Approved" in done
    assert re.search(r'data-testid="approved-price">USD 230,000.00<', done)
    assert 'data-testid="ask-price"' in done

    # The price desk sees the requests but may not ask (it does not edit deals).
    desk_view = desk.get("price_desk", panel)
    assert desk_view.status_code == 200 and 'data-testid="ask-price"' not in desk_view.text
    assert desk.get("seller_b", panel).status_code == 404
    assert desk.get("contributor", panel).status_code == 404


def test_a_contributor_gets_no_panel_even_on_their_own_deal(desk: Desk) -> None:
    deal = desk.deal(owner="contributor")
    page = desk.get("contributor", f"/opportunities/{deal.opp_id}")
    assert page.status_code == 200 and "price-requests/panel" not in page.text
    panel = desk.get("contributor", f"/opportunities/{deal.opp_id}/price-requests/panel")
    assert panel.status_code == 403


# --- deciding ------------------------------------------------------------------------------


def test_the_queue_shows_a_page_at_a_time_longest_waiting_first(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages_desk, "PAGE_SIZE", 2)
    for name in ("Oldest ask", "Middle ask", "Newest ask"):
        deal = desk.deal(name=name)
        asked(desk.session_factory, desk.org.user("seller"), deal.opp_id)
    first = desk.get("manager", "/price-desk/queue").text
    assert first.count('data-testid="queue-row"') == 2 and "1\u20132 of 3" in first
    assert first.index("Oldest ask") < first.index("Middle ask") and "Newest ask" not in first
    assert 'href="?offset=2">More recent</a>' in first
    second = desk.get("manager", "/price-desk/queue?offset=2").text
    assert second.count('data-testid="queue-row"') == 1 and "Newest ask" in second
    assert 'href="?offset=0">Longer waiting</a>' in second


def test_the_manager_approves_from_the_queue_and_the_seller_sees_it(desk: Desk) -> None:
    deal = desk.deal(name="Queue deal")
    request_id = asked(desk.session_factory, desk.org.user("seller"), deal.opp_id)

    queue = desk.get("manager", "/price-desk/queue")
    assert queue.status_code == 200
    rows = queue.text.count('data-testid="queue-row"')
    assert rows == 1 and "Queue deal" in queue.text
    assert re.search(r'data-testid="queue-age">\d+ min<', queue.text)
    assert "8.0%" in queue.text and "USD 84,000.00" not in queue.text  # money without currency
    assert (
        "84,000.00" in queue.text
        and "56.5%" in queue.text
        and "Between floor and target" in queue.text
    )
    # Nobody else has it in their queue: it waits for the seller's manager.
    for role in ("price_desk", "executive", "seller"):
        assert 'data-testid="queue-row"' not in desk.get(role, "/price-desk/queue").text

    detail = f"/price-desk/requests/{request_id}"
    page = desk.get("manager", detail).text
    assert 'data-testid="move-approve"' in page and 'data-testid="move-counter"' in page
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    form = {"move": "approve", "comment": "Fine at 230k.", "version": version.group(1)}
    response = desk.post("manager", f"{detail}/moves", form, detail)
    assert response.status_code == 303 and response.headers["location"] == detail
    after = desk.as_("manager").get(detail).text
    assert "You approved the request." in after and "Approved" in after
    assert "Fine at 230k." in after and "manager@example.com" in after
    assert 'data-testid="queue-empty"' in desk.get("manager", "/price-desk/queue").text

    inbox = desk.get("seller", "/price-desk/inbox").text
    assert "Queue deal" in inbox and "Approved" in inbox and "USD 230,000.00" in inbox


def test_a_stale_page_gets_a_conflict_message(desk: Desk) -> None:
    deal = desk.deal()
    request_id = asked(desk.session_factory, desk.org.user("seller"), deal.opp_id)
    detail = f"/price-desk/requests/{request_id}"
    page = desk.get("manager", detail).text
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    moved(desk.session_factory, desk.org.user("seller"), request_id, Move.WITHDRAW)
    moved_again = asked(desk.session_factory, desk.org.user("seller"), deal.opp_id)
    assert moved_again != request_id
    form = {"move": "approve", "comment": "", "version": version.group(1)}
    response = desk.post("manager", f"{detail}/moves", form, "/")
    assert response.status_code == 409
    assert 'data-testid="move-error"' in response.text
    assert "changed since you opened it" in response.text
    assert desk.request(request_id).state == "withdrawn"


def test_counter_offer_is_highlighted_in_the_inbox_and_accepted(desk: Desk) -> None:
    deal = desk.deal(name="Counter deal")
    request_id = asked(desk.session_factory, desk.org.user("seller"), deal.opp_id)
    detail = f"/price-desk/requests/{request_id}"
    missing = {"move": "counter", "comment": "Meet halfway", "price": "", "version": "1"}
    refused = desk.post("manager", f"{detail}/moves", missing, detail)
    assert refused.status_code == 422 and "Counter-offer price" in refused.text
    assert "Meet halfway" in refused.text  # the comment typed is kept
    form = {**missing, "price": "240000"}
    assert desk.post("manager", f"{detail}/moves", form, detail).status_code == 303

    inbox = desk.get("seller", "/price-desk/inbox").text
    assert 'data-testid="counter-notice"' in inbox and "pd-highlight" in inbox
    page = desk.get("seller", detail).text
    assert re.search(r'data-testid="counter-offer">.*USD 240,000.00', page)
    version = re.search(r'name="version" value="(\d+)"', page)
    assert version
    accept = {"move": "accept", "comment": "", "version": version.group(1)}
    assert desk.post("seller", f"{detail}/moves", accept, detail).status_code == 303
    request = desk.request(request_id)
    assert request.state == "approved" and request.approved_price == Decimal("240000.00")


def test_withdraw_then_ask_again_prefilled(desk: Desk) -> None:
    deal = desk.deal()
    first = asked(desk.session_factory, desk.org.user("seller"), deal.opp_id, justification="Try 1")
    detail = f"/price-desk/requests/{first}"
    form = {"move": "withdraw", "comment": "Customer changed scope", "version": "1"}
    assert desk.post("seller", f"{detail}/moves", form, detail).status_code == 303
    page = desk.get("seller", detail).text
    link = f"/opportunities/{deal.opp_id}/price-requests/new?replaces={first}"
    assert 'data-testid="ask-again"' in page and link in page

    again = desk.get("seller", link).text
    assert f'name="replaces_id" value="{first}"' in again and ">Try 1</textarea>" in again
    assert 'value="230000.00"' in again
    sent = ask_form(replaces_id=str(first), justification="Try 2")
    path = f"/opportunities/{deal.opp_id}/price-requests"
    second = created_id(desk.post("seller", path, sent, link))
    assert desk.request(second).replaces_id == first
    assert (
        f"/price-desk/requests/{first}" in desk.get("seller", f"/price-desk/requests/{second}").text
    )


def test_only_the_approver_of_the_step_may_decide(desk: Desk) -> None:
    deal = desk.deal()
    request_id = asked(desk.session_factory, desk.org.user("seller"), deal.opp_id)
    detail = f"/price-desk/requests/{request_id}"
    form = {"move": "approve", "comment": "", "version": "1"}
    for role in ("seller", "price_desk", "executive", "admin"):
        page = desk.get(role, detail)
        assert page.status_code == 200 and 'data-testid="move-approve"' not in page.text
        assert desk.post(role, f"{detail}/moves", form, "/").status_code == 403, role
    assert desk.get("seller_b", detail).status_code == 404
    assert desk.post("seller_b", f"{detail}/moves", form, "/").status_code == 404
    assert desk.get("contributor", detail).status_code == 403
    assert desk.request(request_id).state == "pending"


# --- lists ---------------------------------------------------------------------------------


def test_desk_list_filters_by_state_and_is_for_those_who_oversee_prices(desk: Desk) -> None:
    approved = desk.deal(name="Approved one")
    pending = desk.deal(name="Pending one")
    other_team = desk.deal(owner="seller_b", name="Team B deal")
    asked(desk.session_factory, desk.org.user("seller"), approved.opp_id, price="260000")
    asked(desk.session_factory, desk.org.user("seller"), pending.opp_id)
    asked(desk.session_factory, desk.org.user("seller_b"), other_team.opp_id)

    everything = desk.get("price_desk", "/price-desk/requests").text
    assert everything.count('data-testid="request-row"') == 3
    only = desk.get("price_desk", "/price-desk/requests?state=approved").text
    assert "Approved one" in only and "Pending one" not in only
    assert desk.get("price_desk", "/price-desk/requests?state=nonsense").status_code == 400
    managers = desk.get("manager", "/price-desk/requests").text
    assert "Pending one" in managers and "Team B deal" not in managers  # their team only
    for role, status in (("executive", 200), ("admin", 200), ("seller", 403), ("contributor", 403)):
        assert desk.get(role, "/price-desk/requests").status_code == status, role


def test_inbox_and_queue_empty_states_and_who_gets_them(desk: Desk) -> None:
    assert 'data-testid="inbox-empty"' in desk.get("seller", "/price-desk/inbox").text
    assert 'data-testid="queue-empty"' in desk.get("price_desk", "/price-desk/queue").text
    for path in ("/price-desk/queue", "/price-desk/inbox", "/price-desk/policy", "/price-desk"):
        assert desk.get("contributor", path).status_code == 403, path
    assert desk.get("manager", "/price-desk").headers["location"] == "/price-desk/queue"
    assert desk.get("seller", "/price-desk").headers["location"] == "/price-desk/inbox"
    assert desk.get("admin", "/price-desk").headers["location"] == "/price-desk/requests"


def test_navigation_shows_the_price_desk_to_those_who_see_money(desk: Desk) -> None:
    assert 'href="/price-desk"' in desk.get("seller", "/").text
    assert 'href="/price-desk"' not in desk.get("contributor", "/").text


def test_hostile_names_are_escaped_everywhere(desk: Desk) -> None:
    hostile = "<script>alert('x')</script>"
    deal = desk.deal(name=f"Deal {hostile}", account=f"Account {hostile}")
    request_id = asked(
        desk.session_factory, desk.org.user("seller"), deal.opp_id, justification=hostile
    )
    panel = desk.get("seller", f"/opportunities/{deal.opp_id}/price-requests/panel").text
    assert "<script>" not in panel
    pages = [
        ("seller", new_path(deal.opp_id)),
        ("seller", f"/price-desk/requests/{request_id}"),
        ("seller", "/price-desk/inbox"),
        ("manager", "/price-desk/queue"),
        ("price_desk", "/price-desk/requests"),
    ]
    for role, path in pages:
        html = desk.get(role, path).text
        assert hostile not in html, path
        assert "&lt;script&gt;" in html, path
        assert "<script>" not in html and " style=" not in html, path  # CSP: nothing inline


# --- the policy ----------------------------------------------------------------------------

BROKEN = (
    "name: Broken\nrules:\n  - id: a\n    when:\n      discount: {gt: lots}\n    then: approve\n"
)
APPROVE_ALL = "name: Approve everything\nrules: []\notherwise: approve\n"


def test_everyone_who_sees_money_reads_the_policy_and_its_versions(desk: Desk) -> None:
    page = desk.get("seller", "/price-desk/policy")
    assert page.status_code == 200
    assert "In force:" in page.text and "version 1" in page.text
    assert "<textarea" not in page.text and "at-or-above-target" in page.text  # read-only
    assert "<code>confirmed_share</code>" in page.text and "<code>missing</code>" in page.text
    assert desk.get("executive", "/price-desk/policy?version=1").status_code == 200
    assert desk.get("seller", "/price-desk/policy?version=99").status_code == 404
    assert (
        desk.post(
            "seller", "/price-desk/policy", {"action": "check", "source": APPROVE_ALL}, "/"
        ).status_code
        == 403
    )


def test_admin_checks_previews_and_applies_a_policy(desk: Desk) -> None:
    deal = desk.deal(name="Replayed deal")
    asked(desk.session_factory, desk.org.user("seller"), deal.opp_id)
    page = desk.get("admin", "/price-desk/policy").text
    assert 'data-testid="policy-source"' in page and "<textarea" in page

    checked = desk.post("admin", "/price-desk/policy", {"action": "check", "source": BROKEN}, "/")
    assert checked.status_code == 200
    problems = re.findall(r"<li>(line \d+: [^<]*)</li>", checked.text)
    assert any(p.startswith("line 5: discount is a number") for p in problems), problems
    assert any("otherwise" in p for p in problems), problems
    assert "discount: {gt: lots}" in checked.text  # the text stays in the editor

    good = desk.post("admin", "/price-desk/policy", {"action": "check", "source": APPROVE_ALL}, "/")
    assert 'data-testid="policy-valid"' in good.text

    preview = desk.post(
        "admin", "/price-desk/policy", {"action": "preview", "source": APPROVE_ALL}, "/"
    )
    assert preview.status_code == 200
    summary = re.search(r'data-testid="preview-summary">(.*?)</p>', preview.text, re.S)
    assert summary and "1</strong> of 1 past decision" in summary.group(1)
    assert "20,000.00" in summary.group(1)  # 250,000 at list - 230,000 asked
    assert "Replayed deal" in preview.text and "route: manager" in preview.text

    refused = desk.post(
        "admin", "/price-desk/policy", {"action": "apply", "source": BROKEN, "note": "x"}, "/"
    )
    assert refused.status_code == 422 and "the one in force stays" in refused.text
    assert "line 5: discount is a number" in refused.text

    applied = desk.post(
        "admin",
        "/price-desk/policy",
        {"action": "apply", "source": APPROVE_ALL, "note": "Holiday promo"},
        "/",
    )
    assert applied.status_code == 303
    after = desk.as_("admin").get("/price-desk/policy").text
    assert "Version 2 of the policy is in force." in after and "Holiday promo" in after
    old = desk.get("seller", "/price-desk/policy?version=1").text
    assert "An old version" in old and "at-or-above-target" in old
    with desk.session_factory() as s:
        assert s.scalar(select(func.max(PricePolicy.version))) == 2


# --- delegations ---------------------------------------------------------------------------


def test_an_approver_delegates_and_revokes(desk: Desk) -> None:
    page = desk.get("manager", "/price-desk/delegations").text
    seller = desk.org.user("seller")
    assert 'data-testid="delegation-form"' in page and seller.full_name in page
    # Only people in the manager's view are listed (names outside it are not shown anywhere).
    assert desk.org.user("price_desk").full_name not in page

    bad = {"delegate_id": str(seller.id), "starts_on": "2030-01-10", "ends_on": "2030-01-01"}
    refused = desk.post("manager", "/price-desk/delegations", bad, "/")
    assert refused.status_code == 422 and "ends_on is before starts_on" in refused.text
    blank = desk.post("manager", "/price-desk/delegations", {**bad, "starts_on": ""}, "/")
    assert blank.status_code == 422 and "From: fill it in." in blank.text

    good = {**bad, "starts_on": "2020-01-01", "ends_on": "2099-12-31"}
    assert desk.post("manager", "/price-desk/delegations", good, "/").status_code == 303
    listed = desk.get("manager", "/price-desk/delegations").text
    assert listed.count('data-testid="delegation-row"') == 1 and "active" in listed
    # The delegate sees it too, without a form of their own (sellers do not approve).
    theirs = desk.get("seller", "/price-desk/delegations").text
    assert (
        'data-testid="delegation-row"' in theirs and 'data-testid="delegation-form"' not in theirs
    )
    assert desk.post("seller", "/price-desk/delegations", good, "/").status_code == 403

    delegation_id = re.search(r"/price-desk/delegations/(\d+)/revoke", listed)
    assert delegation_id
    revoke = f"/price-desk/delegations/{delegation_id.group(1)}/revoke"
    assert desk.post("price_desk", revoke, {}, "/").status_code == 404  # not theirs
    assert desk.post("manager", revoke, {}, "/").status_code == 303
    assert 'data-testid="no-delegations"' in desk.get("manager", "/price-desk/delegations").text
