"""The maturity pages without a browser: the hub (open a round, progress), answering a domain
per step (saved, resumed, refusals re-rendered with 400 and nothing written), the result (the
company's for who may see it, one's own answers for others), the report and its PDF, the
journey."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import Org, csrf_from, seeded_org, sign_in
from valuescout.assessments import maturity_content

ALIGN = [i.id for i in maturity_content.load().domain("alignment").indicators]  # type: ignore[union-attr]


@pytest.fixture()
def org(session_factory: sessionmaker[Session]) -> Org:
    return seeded_org(session_factory)


def _as(client: TestClient, org: Org, role: str) -> TestClient:
    sign_in(client, org.user(role).email)
    return client


def _open_round(client: TestClient, title: str = "Q4 check") -> int:
    token = csrf_from(client.get("/assessments").text)
    made = client.post("/assessments/maturity/rounds", data={"title": title, "csrf_token": token},
                       follow_redirects=False)  # fmt: skip
    assert made.status_code == 303, made.text
    found = re.search(r"/assessments/maturity/(\d+)/answer", client.get("/assessments").text)
    assert found
    return int(found.group(1))


def _post_domain(client: TestClient, round_id: int, domain: str, answers: dict[str, str]):  # type: ignore[no-untyped-def]
    page = client.get(f"/assessments/maturity/{round_id}/answer?domain={domain}")
    data = {"csrf_token": csrf_from(page.text), "domain": domain,
            **{f"a:{k}": v for k, v in answers.items()}}  # fmt: skip
    return client.post(f"/assessments/maturity/{round_id}/answer?domain={domain}", data=data,
                       follow_redirects=False)  # fmt: skip


def test_hub_offers_opening_only_to_who_runs_assessments(client: TestClient, org: Org) -> None:
    seller_view = _as(client, org, "seller").get("/assessments")
    assert seller_view.status_code == 200
    assert 'data-testid="open-round-form"' not in seller_view.text
    assert 'data-testid="no-open-round"' in seller_view.text
    client.cookies.clear()
    assert 'data-testid="open-round-form"' in _as(client, org, "executive").get("/assessments").text
    token = csrf_from(client.get("/assessments").text)
    blank = client.post("/assessments/maturity/rounds", data={"title": " ", "csrf_token": token})
    assert blank.status_code == 400 and "title: give the round a name" in blank.text


def test_answering_step_by_step_and_resuming(client: TestClient, org: Org) -> None:
    round_id = _open_round(_as(client, org, "executive"))
    client.cookies.clear()
    _as(client, org, "contributor")
    first = client.get(f"/assessments/maturity/{round_id}/answer")
    assert first.status_code == 200 and "Organisational alignment around value" in first.text
    saved = _post_domain(client, round_id, "alignment", {ALIGN[0]: "4", ALIGN[1]: "dk"})
    assert saved.status_code == 303
    assert saved.headers["location"].endswith("/answer?domain=capability")
    resumed = client.get(f"/assessments/maturity/{round_id}/answer")
    assert "Sales capability to build, sell and price value</h1>" in resumed.text
    back = client.get(f"/assessments/maturity/{round_id}/answer?domain=alignment").text
    assert re.search(rf'name="a:{ALIGN[0]}" value="4" checked', back)
    assert re.search(rf'name="a:{ALIGN[1]}" value="dk" checked', back)
    hub = client.get("/assessments").text
    assert "1 of 3 domains answered" in hub and "Resume where you left" in hub


def test_refused_answers_re_render_with_400_and_save_nothing(client: TestClient, org: Org) -> None:
    round_id = _open_round(_as(client, org, "admin"))
    high = _post_domain(client, round_id, "alignment", {ALIGN[0]: "7"})
    assert high.status_code == 400
    assert f"{ALIGN[0]}: answer 7 is outside 0-4" in unescape(high.text)
    assert 'data-testid="answer-form"' in high.text
    unknown = _post_domain(client, round_id, "alignment", {"made-up": "2"})
    assert unknown.status_code == 400 and "made-up: not an indicator of alignment" in unknown.text
    junk = _post_domain(client, round_id, "alignment", {ALIGN[0]: "lots"})
    assert junk.status_code == 400 and "is not an answer on the scale" in unescape(junk.text)
    bad_domain = client.get(f"/assessments/maturity/{round_id}/answer?domain=sales")
    assert bad_domain.status_code == 400 and "is not a domain" in unescape(bad_domain.text)
    assert client.get(f"/assessments/maturity/{round_id}/answer?domain=Bad!").status_code == 400
    assert client.get("/assessments/maturity/99999/answer").status_code == 404
    assert "1 of 3" not in client.get("/assessments").text  # nothing was saved


def test_result_page_for_results_viewers_and_own_answers_for_others(
    client: TestClient, org: Org
) -> None:
    round_id = _open_round(_as(client, org, "executive"))
    _post_domain(client, round_id, "alignment", {i: "4" for i in ALIGN})
    page = client.get(f"/assessments/maturity/{round_id}")
    assert page.status_code == 200
    assert 'data-testid="overall"' in page.text and 'data-testid="chart-radar"' in page.text
    spec = json.loads(unescape(re.search(
        r'data-testid="chart-radar"><script type="application/json">(.*?)</script>', page.text,
        re.S).group(1)))  # type: ignore[union-attr]  # fmt: skip
    assert spec["$schema"].endswith("v6.json") and len(spec["layer"]) == 6
    assert 'data-testid="evidence-discount_tracking"' in page.text
    client.cookies.clear()
    _as(client, org, "seller")
    _post_domain(client, round_id, "alignment", {ALIGN[0]: "1"})
    own = client.get(f"/assessments/maturity/{round_id}")
    assert own.status_code == 200
    assert 'data-testid="overall"' not in own.text and 'data-testid="my-answers"' in own.text
    assert "chart-radar" not in own.text and "evidence-" not in own.text
    for path in ("report.html", "report.pdf"):
        assert client.get(f"/assessments/maturity/{round_id}/{path}").status_code == 403
    assert client.get("/assessments/maturity/journey").status_code == 403


def test_close_report_pdf_and_journey(client: TestClient, org: Org) -> None:
    round_id = _open_round(_as(client, org, "executive"))
    _post_domain(client, round_id, "alignment", {i: "3" for i in ALIGN})
    token = csrf_from(client.get("/assessments").text)
    closed = client.post(f"/assessments/maturity/{round_id}/close", data={"csrf_token": token},
                         follow_redirects=False)  # fmt: skip
    assert closed.status_code == 303
    report = client.get(f"/assessments/maturity/{round_id}/report.html")
    assert report.status_code == 200 and 'data-testid="maturity-report"' in report.text
    assert "<svg" in report.text and "<style>" not in report.text
    pdf = client.get(f"/assessments/maturity/{round_id}/report.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert pdf.headers["content-type"] == "application/pdf"
    journey = client.get("/assessments/maturity/journey")
    assert journey.status_code == 200 and journey.text.count('data-testid="journey-row"') == 1
    assert 'data-testid="chart-journey"' in journey.text
    answer_closed = client.get(f"/assessments/maturity/{round_id}/answer", follow_redirects=False)
    assert answer_closed.status_code == 303


def test_the_printed_report_fetches_nothing(session_factory: sessionmaker[Session]) -> None:
    from datetime import date

    from valuescout.assessments import maturity_report, maturity_scoring
    from valuescout.core.web.templating import build_templates
    from valuescout.deals.businesscase_pdf import RefusingFetcher, render_pdf

    content = maturity_content.load()
    result = maturity_scoring.score(content, {"a": {i: 3 for i in ALIGN}})
    context = maturity_report.report_context(
        result, title="T", subtitle="S", prepared_on=date(2026, 11, 28), previous=result,
        for_file=True,
    )  # fmt: skip
    html = build_templates().env.get_template("assessments/maturity_report.html").render(context)
    fetcher = RefusingFetcher()
    assert render_pdf(html, fetcher).startswith(b"%PDF")
    assert fetcher.refused == []
    assert "Since the previous round" in html and "report-tools" not in html
