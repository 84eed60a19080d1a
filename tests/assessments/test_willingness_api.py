"""Willingness API and pages: assess (kept with time, latest first), read back with the
motion and mismatch, the portfolio by scope, refusals (roles, scope, bad answers)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.assessments.willingness_builders import EXPERT, ROUTINE, Book, engagement_book
from tests.factories import Org, bearer, csrf_token, seeded_org, sign_in, token_for
from valuescout.assessments.engagement_models import WillingnessAssessment

API = "/api/v1/willingness"


@pytest.fixture()
def org(session_factory: sessionmaker[Session]) -> Org:
    return seeded_org(session_factory)


@pytest.fixture()
def book(session_factory: sessionmaker[Session], org: Org) -> Book:
    with session_factory() as s:
        made = engagement_book(s, org)
        s.commit()
        return made


def _as(sf: sessionmaker[Session], org: Org, role: str) -> dict[str, str]:
    return bearer(token_for(sf, org.user(role)))


def _count(sf: sessionmaker[Session]) -> int:
    with sf() as s:
        return s.scalar(select(func.count(WillingnessAssessment.id))) or 0


def test_assess_a_deal_and_read_it_back(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, book: Book
) -> None:
    seller = _as(session_factory, org, "seller")
    first = client.post(f"{API}/opportunities/{book.deal_a}", json={"answers": ROUTINE},
                        headers=seller)  # fmt: skip
    assert first.status_code == 201, first.text
    made = client.post(
        f"{API}/opportunities/{book.deal_a}", json={"answers": EXPERT, "note": "CFO involved"},
        headers=seller,
    )  # fmt: skip
    assert made.status_code == 201 and made.json()["willingness"] == 100
    view = client.get(f"{API}/opportunities/{book.deal_a}", headers=seller).json()
    assert view["latest"]["model"] == "trusted_expert" and view["latest"]["note"] == "CFO involved"
    assert [h["willingness"] for h in view["history"]] == [100, 0]
    # The deal has no value case and 20% off: worked by process and price - a mismatch.
    assert view["motion"] == "process" and "trusted competitor" in view["mismatch"]
    assert view["latest"]["assessed_by"] == org.user("seller").full_name


def test_assess_an_account(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, book: Book
) -> None:
    manager = _as(session_factory, org, "manager")
    out = client.post(f"{API}/accounts/{book.account_a}", json={"answers": ROUTINE},
                      headers=manager)  # fmt: skip
    assert out.status_code == 201, out.text
    view = client.get(f"{API}/accounts/{book.account_a}", headers=manager).json()
    assert view["name"] == "Willing A" and view["latest"]["quadrant"] == "routine"
    assert view["motion"] == "process" and view["mismatch"] is None  # routine buyer, process


@pytest.mark.parametrize(
    ("answers", "where"),
    [
        ({**EXPERT, "risk_vendor": 7}, "risk_vendor"),
        ({**EXPERT, "favourite_colour": 3}, "favourite_colour"),
        ({k: v for k, v in EXPERT.items() if k != "risk_change"}, "risk_change"),
        ({**EXPERT, "purchase_history": "often"}, "purchase_history"),
    ],
)
def test_bad_answers_are_refused_with_the_question(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org: Org,
    book: Book,
    answers: dict[str, object],
    where: str,
) -> None:
    out = client.post(f"{API}/opportunities/{book.deal_a}", json={"answers": answers},
                      headers=_as(session_factory, org, "seller"))  # fmt: skip
    assert out.status_code == 422
    assert where in out.json()["error"]["message"]
    assert _count(session_factory) == 0


def test_scoring_without_keeping(client: TestClient, session_factory: sessionmaker[Session],
                                 org: Org) -> None:  # fmt: skip
    out = client.post(f"{API}/score", json={"answers": ROUTINE},
                      headers=_as(session_factory, org, "contributor"))  # fmt: skip
    assert out.status_code == 200 and out.json()["model"] == "divide_and_optimise"
    assert _count(session_factory) == 0
    questions = client.get(f"{API}/questions", headers=_as(session_factory, org, "seller"))
    assert len(questions.json()) == 9


@pytest.mark.parametrize(("role", "status"), [("contributor", 403), ("price_desk", 403),
                                              ("executive", 403), ("seller_b", 404)])  # fmt: skip
def test_who_may_assess(
    client: TestClient,
    session_factory: sessionmaker[Session],
    org: Org,
    book: Book,
    role: str,
    status: int,
) -> None:
    out = client.post(f"{API}/opportunities/{book.deal_a}", json={"answers": EXPERT},
                      headers=_as(session_factory, org, role))  # fmt: skip
    assert out.status_code == status and _count(session_factory) == 0


def test_reading_follows_the_row_scope(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, book: Book
) -> None:
    def status(path: str, role: str) -> int:
        return client.get(path, headers=_as(session_factory, org, role)).status_code

    assert status(f"{API}/accounts/{book.account_a}", "seller_b") == 404
    assert status(f"{API}/opportunities/{book.deal_b}", "manager") == 404
    assert status(f"{API}/opportunities/{book.deal_b}", "price_desk") == 200
    assert status(f"{API}/opportunities/{book.deal_a}", "contributor") == 404


def test_portfolio_by_scope(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, book: Book
) -> None:
    admin = _as(session_factory, org, "admin")
    client.post(f"{API}/opportunities/{book.deal_a}", json={"answers": EXPERT}, headers=admin)
    client.post(f"{API}/opportunities/{book.deal_b}", json={"answers": ROUTINE}, headers=admin)
    novel = {**ROUTINE, "solution_innovation": 5}
    client.post(f"{API}/accounts/{book.account_b}", json={"answers": novel}, headers=admin)
    everything = client.get(f"{API}/portfolio", headers=_as(session_factory, org, "executive"))
    body = everything.json()
    assert body["assessed"] == 3 and body["trusted_expert"] == 1
    counts = {q["quadrant"]: q["count"] for q in body["quadrants"]}
    assert counts == {"new_and_risky": 1, "new_low_risk": 0, "familiar_but_risky": 0,
                      "routine": 2}  # fmt: skip
    assert [m["name"] for m in body["mismatches"]] == ["Deal WA"]
    assert [c["name"] for c in body["candidates"]] == ["Willing B"]
    team = client.get(f"{API}/portfolio", headers=_as(session_factory, org, "manager")).json()
    assert [r["name"] for r in team["rows"]] == ["Deal WA"]
    for role in ("seller", "contributor"):
        refused = client.get(f"{API}/portfolio", headers=_as(session_factory, org, role))
        assert refused.status_code == 403


def test_pages_answer_score_and_show_the_result(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, book: Book
) -> None:
    sign_in(client, org.user("seller").email)
    path = f"/opportunities/{book.deal_a}/willingness"
    assert f'href="{path}"' in client.get(f"/opportunities/{book.deal_a}").text
    account_page = client.get(f"/accounts/{book.account_a}").text
    assert f'href="/accounts/{book.account_a}/willingness"' in account_page
    page = client.get(path)
    assert page.status_code == 200 and "Not assessed yet" in page.text
    form = {"csrf_token": csrf_token(client, path), **{k: str(v) for k, v in EXPERT.items()}}
    done = client.post(path, data=form, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == path
    shown = client.get(path).text
    assert 'data-testid="willingness-score">100<' in shown and "Trusted expert" in shown
    bad = client.post(path, data={**form, "risk_vendor": "9", "note": "met the CFO"})
    assert bad.status_code == 400 and "risk_vendor" in bad.text
    assert 'value="met the CFO"' in bad.text
    assert 'name="risk_change" value="5" checked' in bad.text  # the answers given, kept
    unknown = client.post(path, data={**form, "shoe_size": "4"})
    assert unknown.status_code == 400 and "shoe_size: not a question" in unknown.text
    assert _count(session_factory) == 1
    assert client.get(f"/accounts/{book.account_b}/willingness").status_code == 404


def test_portfolio_page(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, book: Book
) -> None:
    client.post(f"{API}/opportunities/{book.deal_a}", json={"answers": EXPERT},
                headers=_as(session_factory, org, "seller"))  # fmt: skip
    sign_in(client, org.user("manager").email)
    page = client.get("/assessments/willingness")
    assert page.status_code == 200
    assert 'data-testid="chart-willingness-scatter"' in page.text and "Deal WA" in page.text
    sign_in(client, org.user("seller").email)
    assert client.get("/assessments/willingness").status_code == 403


def test_the_motion_follows_value_case_and_call_plans(
    client: TestClient, session_factory: sessionmaker[Session], org: Org, book: Book
) -> None:
    from datetime import date
    from decimal import Decimal

    from valuescout.conversations.models import CallPlan
    from valuescout.deals.models import ValueCase

    seller = _as(session_factory, org, "seller")
    client.post(f"{API}/opportunities/{book.deal_a}", json={"answers": EXPERT}, headers=seller)
    path = f"{API}/opportunities/{book.deal_a}"
    with session_factory() as s:
        s.add(ValueCase(opportunity_id=book.deal_a, discount_rate=Decimal("0.1"),
                        target_share=Decimal("0.2")))  # fmt: skip
        s.commit()
    # A value case nobody confirmed, at 20% off: still process and price.
    assert client.get(path, headers=seller).json()["motion"] == "process"
    with session_factory() as s:
        s.add(CallPlan(opportunity_id=book.deal_a, author_id=org.user("seller").id,
                       meeting_on=date.today()))  # fmt: skip
        s.commit()
    view = client.get(path, headers=seller).json()
    assert view["motion"] == "expert" and view["mismatch"] is None


def test_the_assessments_hub_links_to_what_the_role_may_read(
    client: TestClient, session_factory: sessionmaker[Session], org: Org
) -> None:
    sign_in(client, org.user("manager").email)
    hub = client.get("/assessments")
    assert hub.status_code == 200 and 'data-testid="engagement-hub"' in hub.text
    assert 'href="/assessments/willingness"' in hub.text
    assert 'href="/assessments/reputation"' in hub.text
    sign_in(client, org.user("seller").email)
    seller_hub = client.get("/assessments").text
    assert 'data-testid="engagement-hub"' in seller_hub
    assert 'href="/assessments/willingness"' not in seller_hub
