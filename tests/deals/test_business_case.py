"""The customer's business case: what it shows, who may see it, and that nothing internal
reaches it — checked with sentinel values on the page and on the HTML its PDF is printed from
(pypdf is not installed, so the PDF's own text is not extracted; its bytes must be a PDF)."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_pages import principal_of, seed_deal, signed_in
from tests.factories import seeded_org
from valuescout.deals import businesscase, businesscase_pdf, valuecases
from valuescout.deals import valuecase as vc

SECRET_NOTE = "SECRET-NOTE-7731"
# A product whose cost and list price give figures no customer number can be mistaken for.
PRODUCT = ("Sentinel pump", "271828.18", "93141.59")


def _sentinels(session_factory: sessionmaker[Session], org: object, opp_id: int) -> list[str]:
    """Every internal number of the deal, in the forms a page might print it."""
    with session_factory() as s:
        case = valuecases.value_case(s, principal_of(s, org.user("seller")), opp_id)  # type: ignore[attr-defined]
    f = case.figures
    assert f is not None and f.corridor.floor is not None
    internal = [f.corridor.floor, f.corridor.target, f.corridor.ceiling, f.cost]
    internal += [Decimal(PRODUCT[1]), Decimal("200000"), f.preference, f.price_difference]
    found = [SECRET_NOTE, "Rival Corp's price", "preference", "Preference", "corridor", "floor"]
    for amount in internal:
        assert amount is not None
        found += [f"{amount:,.2f}", f"{amount:.2f}"]
    return found


@pytest.fixture()
def sentinel_deal(session_factory: sessionmaker[Session]) -> tuple[object, int]:
    org = seeded_org(session_factory)
    deal = seed_deal(
        session_factory,
        org.user("seller"),
        admin=org.user("admin"),
        product=PRODUCT,
        internal_notes=SECRET_NOTE,
        assumptions="Two shifts a day, 220 days a year.",
    )
    return org, deal.opp_id


def test_the_figures_behind_the_sentinels_are_distinct(
    session_factory: sessionmaker[Session], sentinel_deal: tuple[object, int]
) -> None:
    org, opp_id = sentinel_deal
    with session_factory() as s:
        case = valuecases.value_case(s, principal_of(s, org.user("seller")), opp_id)  # type: ignore[attr-defined]
    f = case.figures
    assert f is not None and f.corridor.floor == Decimal("124188.79")  # 93141.59 / 0.75
    assert (f.corridor.target, f.corridor.ceiling) == (Decimal("257000.00"), Decimal("314000.00"))


def test_business_case_page_shows_the_customer_view_and_nothing_internal(
    client: TestClient, session_factory: sessionmaker[Session], sentinel_deal: tuple[object, int]
) -> None:
    org, opp_id = sentinel_deal
    signed_in(client, org, "seller")  # type: ignore[arg-type]
    page = client.get(f"/opportunities/{opp_id}/business-case")
    assert page.status_code == 200
    html = page.text
    assert "Line 4 retrofit" in html and "Plant One" in html and "Rival Corp" in html
    assert re.search(r'data-testid="bc-total-value">USD 114,000.00<', html)
    assert re.search(r'data-testid="bc-investment">USD 250,000.00<', html)
    assert re.search(r'data-testid="bc-roi">-54%<', html)  # (114k - 250k) / 250k
    assert re.search(r'data-testid="bc-npv">USD -146,363.64<', html)
    assert "Less unplanned downtime" in html and "cost of the change" in html
    assert "Plant log 2026" in html  # evidence
    assert "Two shifts a day, 220 days a year." in html  # assumptions
    assert 'data-testid="bc-chart"' in html and "<polyline" in html
    assert 'href="/static/css/deals-business-case.css"' in html and "<style" not in html
    for sentinel in _sentinels(session_factory, org, opp_id):
        assert not _shows(sentinel, html), sentinel


def _shows(sentinel: str, text: str) -> bool:
    """Whether the text shows the sentinel as a whole (50,000.00 is not in 250,000.00)."""
    return re.search(rf"(?<![\w,.]){re.escape(sentinel)}(?![\w])", text) is not None


def test_business_case_pdf_is_printed_from_html_without_anything_internal(
    client: TestClient,
    session_factory: sessionmaker[Session],
    sentinel_deal: tuple[object, int],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    org, opp_id = sentinel_deal
    signed_in(client, org, "seller")  # type: ignore[arg-type]
    printed: list[str] = []
    real = businesscase_pdf.render_pdf

    def spy(html: str, fetcher: businesscase_pdf.RefusingFetcher | None = None) -> bytes:
        printed.append(html)
        own = businesscase_pdf.RefusingFetcher()
        pdf = real(html, own)
        assert own.refused == []  # the document needs nothing from outside
        return pdf

    monkeypatch.setattr(businesscase_pdf, "render_pdf", spy)
    response = client.get(f"/opportunities/{opp_id}/business-case.pdf")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"].startswith("attachment;")
    assert response.content.startswith(b"%PDF-")
    html = printed[0]
    assert "<style>" in html and ".bc-doc" in html  # the stylesheet is inline
    assert "<link" not in html and "src=" not in html and "href=" not in html
    assert "USD 114,000.00" in html and "Two shifts a day" in html
    for sentinel in _sentinels(session_factory, org, opp_id):
        assert not _shows(sentinel, html), sentinel
        assert sentinel.encode() not in response.content, sentinel


def test_the_pdf_fetcher_refuses_every_url() -> None:
    fetcher = businesscase_pdf.RefusingFetcher()
    html = (
        '<html><head><link rel="stylesheet" href="http://example.com/x.css"></head>'
        '<body><img src="file:///etc/hostname"><p>Hello</p></body></html>'
    )
    pdf = businesscase_pdf.render_pdf(html, fetcher)
    assert pdf.startswith(b"%PDF-")
    assert sorted(fetcher.refused) == ["file:///etc/hostname", "http://example.com/x.css"]


def test_who_may_see_the_business_case(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    theirs = seed_deal(session_factory, org.user("contributor"), admin=org.user("admin"))
    sellers = seed_deal(session_factory, org.user("seller"), account="Other")
    bare = seed_deal(session_factory, org.user("seller"), account="Bare", value_case=False)
    signed_in(client, org, "contributor")
    assert client.get(f"/opportunities/{theirs.opp_id}/business-case").status_code == 403
    assert client.get(f"/opportunities/{theirs.opp_id}/business-case.pdf").status_code == 403
    assert client.get(f"/opportunities/{sellers.opp_id}/business-case").status_code == 404
    for role, status in (("executive", 200), ("manager", 200), ("seller_b", 404)):
        with TestClient(client.app, base_url="http://testserver") as other:
            signed_in(other, org, role)
            path = f"/opportunities/{sellers.opp_id}/business-case"
            assert other.get(path).status_code == status, role
    signed_in(client, org, "seller")
    assert client.get(f"/opportunities/{bare.opp_id}/business-case").status_code == 404


def test_cumulative_value_counts_one_time_at_once_and_recurring_per_year() -> None:
    outcomes = [
        vc.OutcomeInput(Decimal(1000), recurrence=vc.Recurrence.ONE_TIME),
        vc.OutcomeInput(Decimal(500), years=3, confidence=Decimal("0.5")),
        vc.OutcomeInput(Decimal(100), direction=vc.Direction.AGAINST, years=2),
    ]
    points = businesscase.cumulative_value(outcomes)
    assert [(p.year, p.cumulative_value) for p in points] == [
        (0, Decimal("1000.00")),
        (1, Decimal("1150.00")),
        (2, Decimal("1300.00")),
        (3, Decimal("1550.00")),
    ]
    assert businesscase.cumulative_value([])[-1].year == 1
