"""Deals pages through a browser-less client: the pipeline, an opportunity with its forms, and
what each role sees. `seed_deal` builds a deal through the services (it is shared with the
business case tests, the role matrix and the browser tests).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import event, func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import Org, csrf_token, seeded_org, sign_in
from valuescout.core.audit import AuditEntry
from valuescout.deals import accounts, service, setup, valuecases
from valuescout.deals.account_schemas import AccountIn, ContactIn
from valuescout.deals.models import Account, Contact, Opportunity, ValueCase, ValueOutcome
from valuescout.deals.schemas import LineIn, OpportunityIn, OutcomeIn, ValueCaseUpdate
from valuescout.deals.setup_schemas import ProductIn
from valuescout.identity import service as people
from valuescout.identity.models import User
from valuescout.identity.principal import Principal


@dataclass(frozen=True)
class Deal:
    opp_id: int
    account_id: int
    contact_id: int
    outcome_ids: tuple[int, ...]


def principal_of(session: Session, user: User) -> Principal:
    found = session.get(User, user.id)
    assert found is not None
    return people.principal_of(found)


def seed_deal(
    session_factory: sessionmaker[Session],
    owner: User,
    *,
    name: str = "Line 4 retrofit",
    account: str = "Plant One",
    amount: str = "250000",
    internal_notes: str = "",
    assumptions: str = "",
    product: tuple[str, str, str] | None = None,  # (name, list price, unit cost), made by admin
    admin: User | None = None,
    value_case: bool = True,
) -> Deal:
    """The worked example: 250k against a 200k rival; outcomes 100k and 24k for, 10k against."""
    with session_factory() as s:
        who = principal_of(s, owner)
        creator = principal_of(s, admin) if admin is not None else who
        acc = accounts.create_account(s, creator, AccountIn(name=account, owner_id=owner.id))
        contact = accounts.add_contact(
            s,
            creator,
            acc.id,
            ContactIn(name="Dana Buyer", title="Plant manager", buying_role="economic_buyer"),
        )
        lines = []
        if product is not None:
            assert admin is not None, "products need an admin"
            made = setup.create_product(
                s,
                principal_of(s, admin),
                ProductIn(name=product[0], list_price=product[1], unit_cost=product[2]),
            )
            lines = [LineIn(product_id=made.id, quantity=Decimal(1), net_price=Decimal(amount))]
        opp = service.create_opportunity(
            s,
            creator,
            OpportunityIn(
                name=name,
                account_id=acc.id,
                owner_id=owner.id,
                amount=Decimal(amount),
                alternative_kind="competitor",
                alternative_name="Rival Corp",
                alternative_price=Decimal("200000"),
                close_date="2027-03-31",  # type: ignore[arg-type]
                lines=lines,
            ),
        )
        outcome_ids: list[int] = []
        if value_case:
            valuecases.start_value_case(s, creator, opp.id)
            valuecases.update_value_case(
                s,
                creator,
                opp.id,
                ValueCaseUpdate(internal_notes=internal_notes, assumptions=assumptions),
            )
            for outcome, value, direction in (
                ("Less unplanned downtime", "100000", "for"),
                ("Faster ramp", "24000", "for"),
                ("Slower service response", "10000", "against"),
            ):
                case = valuecases.add_outcome(
                    s,
                    creator,
                    opp.id,
                    OutcomeIn(
                        name=outcome,
                        yearly_value=Decimal(value),
                        direction=direction,  # type: ignore[arg-type]
                        confidence=Decimal(1),
                        evidence_source="Plant log 2026" if direction == "for" else "",
                    ),
                )
            outcome_ids = [o.id for o in case.outcomes]
        s.commit()
        return Deal(opp.id, acc.id, contact.id, tuple(outcome_ids))


def signed_in(client: TestClient, org: Org, role: str) -> None:
    sign_in(client, org.user(role).email)


def post(client: TestClient, path: str, data: dict[str, str], page: str) -> httpx.Response:
    return client.post(
        path, data={**data, "csrf_token": csrf_token(client, page)}, follow_redirects=False
    )


def count(session_factory: sessionmaker[Session], model: type) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


# --- the pipeline ------------------------------------------------------------------------------


def test_pipeline_lists_deals_with_totals_filters_sorting_and_paging(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    seed_deal(session_factory, org.user("seller"), name="Alpha pumps", account="Acme Water")
    seed_deal(
        session_factory, org.user("seller"), name="Beta valves", account="Bolt", amount="1000"
    )
    seed_deal(session_factory, org.user("seller_b"), name="Hidden deal", account="Zed")
    signed_in(client, org, "seller")
    page = client.get("/pipeline")
    assert page.status_code == 200
    html = page.text
    assert "Alpha pumps" in html and "Beta valves" in html and "Hidden deal" not in html
    assert re.search(r'data-testid="pipeline-count">2<', html)
    assert "251,000.00" in html  # the total amount
    prospecting = re.search(
        r"<td>Prospecting</td><td>2</td><td>251,000.00</td><td>([\d,.]+)</td>", html
    )
    assert prospecting and prospecting.group(1) == "25,100.00"  # weighted at 10%
    assert 'href="/pipeline"' in html and 'href="/accounts"' in html  # navigation

    searched = client.get("/pipeline", params={"q": "bolt"}).text
    assert "Beta valves" in searched and "Alpha pumps" not in searched
    by_amount = client.get("/pipeline", params={"sort": "-amount"}).text
    assert by_amount.index("Alpha pumps") < by_amount.index("Beta valves")
    by_amount_up = client.get("/pipeline", params={"sort": "amount"}).text
    assert by_amount_up.index("Beta valves") < by_amount_up.index("Alpha pumps")
    none_open = client.get("/pipeline", params={"outcome": "won", "stage_id": ""}).text
    assert "No opportunity matches." in none_open
    later = client.get("/pipeline", params={"close_from": "2028-01-01"}).text
    assert "No opportunity matches." in later
    assert "Alpha pumps" in client.get("/pipeline", params={"deal_type": "new"}).text
    paged = client.get("/pipeline", params={"offset": "50"}).text
    assert "No opportunity matches." in paged and 'data-testid="previous-page"' in paged
    assert client.get("/pipeline", params={"outcome": "maybe"}).status_code == 400
    assert client.get("/pipeline", params={"close_from": "soon"}).status_code == 400


def test_pipeline_filters_by_owner_and_team_for_managers(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    seed_deal(session_factory, org.user("seller"), name="Mine")
    seed_deal(session_factory, org.user("manager"), name="Managers own", account="Other")
    signed_in(client, org, "manager")
    html = client.get("/pipeline").text
    assert "Mine" in html and "Managers own" in html
    assert f'<option value="{org.user("seller").id}"' in html  # the owner filter
    only = client.get("/pipeline", params={"owner_id": org.user("seller").id}).text
    assert "Mine" in only and "Managers own" not in only
    team_b = client.get("/pipeline", params={"team_id": org.team_b.id}).text
    assert "No opportunity matches." in team_b


# --- one opportunity ---------------------------------------------------------------------------


def test_opportunity_page_shows_fields_team_history_and_value_case_editor(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    deal = seed_deal(session_factory, org.user("seller"), internal_notes="keep quiet")
    signed_in(client, org, "seller")
    page = client.get(f"/opportunities/{deal.opp_id}")
    assert page.status_code == 200
    html = page.text
    assert 'data-testid="deal-form"' in html and 'value="Line 4 retrofit"' in html
    assert "Dana Buyer" in html and "Economic buyer" in html
    history = html[html.index('data-testid="history"') :]
    assert "Stage" in history and "Prospecting" in history and "250000.00" in history
    # The editor: three saved rows and a blank one, posting to the preview while typing.
    assert len(re.findall(r'data-testid="outcome-row"', html)) == 5  # 4 + the row template
    assert 'value="Less unplanned downtime"' in html
    assert f'hx-post="/opportunities/{deal.opp_id}/value-case/preview"' in html
    assert 'hx-trigger="input changed delay:300ms"' in html
    assert 'src="/static/js/deals-valuecase.js"' in html
    assert "<script>" not in html and " style=" not in html  # CSP: nothing inline
    # The figures panel: the worked example.
    assert re.search(r'data-testid="fig-value-risk-adjusted">114,000.00<', html)
    assert re.search(r'data-testid="fig-preference"><strong>64,000.00<', html)
    assert re.search(r'data-testid="fig-ceiling">314,000.00<', html)
    assert re.search(r'data-testid="fig-target">257,000.00<', html)
    assert 'data-testid="preference-chart"' in html and 'data-testid="corridor-bar"' in html
    assert "keep quiet" in html  # internal notes are for the team
    assert f'href="/opportunities/{deal.opp_id}/business-case.pdf"' in html


def test_static_files_the_pages_load_exist(client: TestClient) -> None:
    for path in (
        "/static/js/deals-valuecase.js",
        "/static/css/deals.css",
        "/static/css/deals-business-case.css",
    ):
        assert client.get(path).status_code == 200, path


def test_seller_edits_the_deal_and_bad_input_changes_nothing(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    deal = seed_deal(session_factory, org.user("seller"))
    signed_in(client, org, "seller")
    path = f"/opportunities/{deal.opp_id}"
    form = {
        "name": "Line 4 retrofit, phase 1",
        "account_id": str(deal.account_id),
        "owner_id": str(org.user("seller").id),
        "stage_id": "4",
        "probability": "",
        "close_date": "2027-06-30",
        "deal_type": "expansion",
        "currency": "EUR",
        "amount": "260,000",
        "alternative_kind": "competitor",
        "alternative_name": "Rival Corp",
        "alternative_price": "210000",
        "rfp_class": "shaped",
        "description": "Phase one",
    }
    saved = post(client, path, form, path)
    assert saved.status_code == 303 and saved.headers["location"] == path
    with session_factory() as s:
        opp = s.get(Opportunity, deal.opp_id)
        assert opp is not None
        assert (opp.name, opp.stage_id, opp.amount) == (
            "Line 4 retrofit, phase 1",
            4,
            Decimal(260000),
        )
        assert (opp.currency, opp.deal_type, opp.rfp_class) == ("EUR", "expansion", "shaped")
        assert opp.close_date is not None and opp.close_date.isoformat() == "2027-06-30"
    page = client.get(path).text
    assert "The deal is saved." in page and "Proposal" in page

    for bad, message in (
        ({"amount": "lots"}, "Amount: enter a number"),
        ({"close_date": "next week"}, "Close date: enter a date"),
        ({"name": "  "}, "name: must not be blank"),
        ({"probability": "120"}, "Probability: enter a percentage between 0 and 100"),
        ({"currency": "euros"}, "currency"),
    ):
        refused = post(client, path, {**form, "name": "Renamed", **bad}, path)
        assert refused.status_code == 422, bad
        assert 'data-testid="form-error"' in refused.text and message in refused.text, bad
        with session_factory() as s:
            assert s.get(Opportunity, deal.opp_id).name == "Line 4 retrofit, phase 1"  # type: ignore[union-attr]


def test_new_opportunity_and_account_forms(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    signed_in(client, org, "seller")
    created = post(client, "/accounts", {"name": "Northwind", "employees": "120"}, "/accounts")
    assert created.status_code == 303
    account_path = created.headers["location"]
    account_id = int(account_path.rsplit("/", 1)[1])
    assert "Northwind" in client.get(account_path).text
    form_page = client.get(f"/opportunities/new?account_id={account_id}")
    assert f'<option value="{account_id}" selected>Northwind</option>' in form_page.text
    opp = post(
        client,
        "/opportunities",
        {"name": "Northwind pumps", "account_id": str(account_id), "amount": "5000"},
        "/opportunities/new",
    )
    assert opp.status_code == 303 and opp.headers["location"].startswith("/opportunities/")
    assert "Northwind pumps" in client.get(account_path).text

    before = count(session_factory, Opportunity), count(session_factory, Account)
    bad = post(client, "/opportunities", {"name": "X", "amount": "-5"}, "/opportunities/new")
    assert bad.status_code == 422 and "amount" in bad.text and 'value="X"' in bad.text
    taken = post(client, "/accounts", {"name": "northwind"}, "/accounts")
    assert taken.status_code == 409 and "already exists" in taken.text
    bad_count = post(client, "/accounts", {"name": "Y", "employees": "many"}, "/accounts")
    assert bad_count.status_code == 422 and "Employees: enter a whole number" in bad_count.text
    assert (count(session_factory, Opportunity), count(session_factory, Account)) == before


def test_read_only_roles_get_no_forms_and_are_refused(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    deal = seed_deal(session_factory, org.user("seller"))
    signed_in(client, org, "price_desk")
    path = f"/opportunities/{deal.opp_id}"
    html = client.get(path).text
    assert "Line 4 retrofit" in html and "250,000.00" in html
    for form in ("deal-form", "value-case-form", "add-contact", "lines-form"):
        assert f'data-testid="{form}"' not in html
    assert 'data-testid="outcomes"' in html and 'data-testid="figures"' in html
    assert 'data-testid="new-opportunity-link"' not in client.get("/pipeline").text
    refused = post(client, path, {"name": "Desk rename"}, "/pipeline")
    assert refused.status_code == 403
    with session_factory() as s:
        assert s.get(Opportunity, deal.opp_id).name == "Line 4 retrofit"  # type: ignore[union-attr]


def test_deals_out_of_scope_are_not_found(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    deal = seed_deal(session_factory, org.user("seller"))
    signed_in(client, org, "seller_b")
    for path in (
        f"/opportunities/{deal.opp_id}",
        f"/accounts/{deal.account_id}",
        f"/opportunities/{deal.opp_id}/business-case",
        f"/opportunities/{deal.opp_id}/business-case.pdf",
        "/opportunities/999999",
    ):
        response = client.get(path)
        assert response.status_code == 404, path
        assert "Line 4 retrofit" not in response.text
    refused = post(client, f"/opportunities/{deal.opp_id}", {"name": "Mine now"}, "/pipeline")
    assert refused.status_code == 404
    preview = post(client, f"/opportunities/{deal.opp_id}/value-case/preview", {}, "/pipeline")
    assert preview.status_code == 404


MONEY_SENTINELS = (
    *("987,65", "987654", "987.6", "991,19", "991199", "991.2"),
    *("123,123", "123123", "200,000", "200000", "114,000"),
)


def test_contributors_see_no_money_anywhere(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    deal = seed_deal(
        session_factory,
        org.user("contributor"),
        admin=org.user("admin"),
        amount="987654.32",
        product=("Sentinel pump", "991199.77", "123123.45"),
    )
    signed_in(client, org, "contributor")
    paths = ("/pipeline", f"/opportunities/{deal.opp_id}", "/accounts")
    pages = {path: client.get(path) for path in (*paths, f"/accounts/{deal.account_id}")}
    for path, page in pages.items():
        assert page.status_code == 200, path
        # Long enough that a random CSRF token cannot contain one by chance.
        for amount in MONEY_SENTINELS:
            assert amount not in page.text, (path, amount)
    html = pages[f"/opportunities/{deal.opp_id}"].text
    assert "Line 4 retrofit" in html and "Less unplanned downtime" in html
    assert 'data-testid="figures"' not in html and "business-case" not in html
    assert client.get(f"/opportunities/{deal.opp_id}/business-case").status_code == 403
    preview = post(
        client,
        f"/opportunities/{deal.opp_id}/value-case/preview",
        {"o-0-name": "X", "o-0-yearly_value": "5"},
        "/pipeline",
    )
    assert preview.status_code == 200 and 'data-testid="fig-' not in preview.text


def test_line_items_are_replaced_and_set_the_amount(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    deal = seed_deal(
        session_factory,
        org.user("seller"),
        admin=org.user("admin"),
        product=("Pump P-200", "300000", "120000"),
    )
    signed_in(client, org, "seller")
    path = f"/opportunities/{deal.opp_id}"
    html = client.get(path).text
    assert "Pump P-200" in html and "16.7%" in html  # 250k net of 300k list
    product_id = re.search(r'name="l-0-product_id"><option value="(\d+)"', html).group(1)  # type: ignore[union-attr]
    lines = {
        "line_count": "2",
        "l-0-product_id": product_id,
        "l-0-quantity": "2",
        "l-0-net_price": "240000",
        "l-1-product_id": "",
    }
    assert post(client, f"{path}/lines", lines, path).status_code == 303
    with session_factory() as s:
        assert s.get(Opportunity, deal.opp_id).amount == Decimal("480000.00")  # type: ignore[union-attr]
    bad = post(client, f"{path}/lines", {**lines, "l-0-quantity": "-1"}, path)
    assert bad.status_code == 422 and 'data-testid="lines-error"' in bad.text
    with session_factory() as s:
        assert s.get(Opportunity, deal.opp_id).amount == Decimal("480000.00")  # type: ignore[union-attr]


# --- the buying team ---------------------------------------------------------------------------


def test_contacts_are_added_and_changed_from_the_deal_and_the_account(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    deal = seed_deal(session_factory, org.user("seller"))
    signed_in(client, org, "seller")
    opp_path = f"/opportunities/{deal.opp_id}"
    added = post(
        client,
        f"{opp_path}/contacts",
        {"name": "Chris Champion", "buying_role": "champion", "is_ally": "1", "title": "CFO"},
        opp_path,
    )
    assert added.status_code == 303 and added.headers["location"] == f"{opp_path}#buying-team"
    changed = post(
        client,
        f"{opp_path}/contacts/{deal.contact_id}",
        {"name": "Dana Buyer", "buying_role": "blocker", "title": "Plant manager"},
        opp_path,
    )
    assert changed.status_code == 303
    account_path = f"/accounts/{deal.account_id}"
    from_account = post(
        client,
        f"{account_path}/contacts",
        {"name": "Uma User", "buying_role": "user"},
        account_path,
    )
    assert from_account.status_code == 303
    with session_factory() as s:
        team = {c.name: c for c in s.scalars(select(Contact))}
    assert set(team) == {"Dana Buyer", "Chris Champion", "Uma User"}
    assert team["Chris Champion"].is_ally and team["Chris Champion"].buying_role == "champion"
    assert team["Dana Buyer"].buying_role == "blocker" and not team["Dana Buyer"].is_ally
    html = client.get(opp_path).text
    assert "Chris Champion" in html and "Blocker" in html and "Uma User" in html

    bad = post(client, f"{opp_path}/contacts", {"name": " ", "buying_role": "user"}, opp_path)
    assert bad.status_code == 422 and 'data-testid="contact-error"' in bad.text
    wrong_role = post(
        client,
        f"{account_path}/contacts/{deal.contact_id}",
        {"name": "Dana", "buying_role": "boss"},
        account_path,
    )
    assert wrong_role.status_code == 422
    assert count(session_factory, Contact) == 3
    with session_factory() as s:
        assert s.get(Contact, deal.contact_id).name == "Dana Buyer"  # type: ignore[union-attr]
    other = seed_deal(session_factory, org.user("seller"), name="Other", account="Elsewhere")
    foreign = post(
        client,
        f"{opp_path}/contacts/{other.contact_id}",
        {"name": "Moved", "buying_role": "user"},
        opp_path,
    )
    assert foreign.status_code == 404


def test_accounts_list_searches_within_scope(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    seed_deal(session_factory, org.user("seller"), account="Acme Water")
    seed_deal(session_factory, org.user("seller"), account="Bolt Energy", name="Other")
    seed_deal(session_factory, org.user("seller_b"), account="Secret Co", name="Theirs")
    signed_in(client, org, "seller")
    html = client.get("/accounts").text
    assert "Acme Water" in html and "Bolt Energy" in html and "Secret Co" not in html
    searched = client.get("/accounts", params={"q": "bolt"}).text
    assert "Bolt Energy" in searched and "Acme Water" not in searched
    assert 'data-testid="new-account"' in html


# --- the value case editor ---------------------------------------------------------------------


def editor_form(deal: Deal, **changes: str) -> dict[str, str]:
    """The editor's form as the page sends it: the three saved rows and a blank one."""
    rows = [
        ("Less unplanned downtime", "100000", "for"),
        ("Faster ramp", "24000", "for"),
        ("Slower service response", "10000", "against"),
    ]
    form = {"discount_rate": "10", "target_share": "50", "assumptions": "", "internal_notes": ""}
    for i, (name, value, direction) in enumerate(rows):
        form |= {
            f"o-{i}-id": str(deal.outcome_ids[i]),
            f"o-{i}-name": name,
            f"o-{i}-yearly_value": value,
            f"o-{i}-direction": direction,
            f"o-{i}-recurrence": "recurring",
            f"o-{i}-years": "1",
            f"o-{i}-confidence": "100",
            f"o-{i}-state": "hypothesised",
        }
    form |= {"o-3-id": "", "o-3-name": "", "o-3-yearly_value": "", "o-3-years": "1"}
    return form | changes


def test_preview_recalculates_unsaved_input_and_writes_nothing(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    deal = seed_deal(session_factory, org.user("seller"))
    signed_in(client, org, "seller")
    path = f"/opportunities/{deal.opp_id}"
    url = f"{path}/value-case/preview"
    token = csrf_token(client, path)
    preview = client.post(
        url,
        data=editor_form(deal, **{"o-0-yearly_value": "150000", "o-3-name": "Energy"}),
        headers={"X-CSRF-Token": token, "HX-Request": "true"},
    )
    assert preview.status_code == 200
    assert "<html" not in preview.text  # a fragment
    assert re.search(r'data-testid="fig-value-risk-adjusted">164,000.00<', preview.text)
    assert re.search(r'data-testid="fig-preference"><strong>114,000.00<', preview.text)
    halved = client.post(
        url,
        data=editor_form(deal, **{"o-1-confidence": "50", "target_share": "100"}),
        headers={"X-CSRF-Token": token},
    )
    assert re.search(r'data-testid="fig-value-risk-adjusted">102,000.00<', halved.text)
    assert re.search(r'data-testid="fig-target">302,000.00<', halved.text)  # 200k + 100%
    broken = client.post(
        url,
        data=editor_form(deal, **{"o-1-yearly_value": "a lot"}),
        headers={"X-CSRF-Token": token},
    )
    assert broken.status_code == 200
    assert "Outcome 2 yearly value: enter a number" in broken.text
    with session_factory() as s:
        values = sorted(v for v in s.scalars(select(ValueOutcome.yearly_value)))
    assert values == [Decimal("10000.00"), Decimal("24000.00"), Decimal("100000.00")]
    assert client.post(url, data=editor_form(deal)).status_code == 403  # no CSRF token


def test_value_case_save_updates_adds_and_removes_rows_in_one_go(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    deal = seed_deal(session_factory, org.user("seller"))
    signed_in(client, org, "seller")
    path = f"/opportunities/{deal.opp_id}"
    form = editor_form(
        deal,
        **{
            "o-0-yearly_value": "120,000",
            "o-0-state": "confirmed",
            "o-0-evidence_note": "Their maintenance log",
            "o-2-remove": "1",
            "o-3-name": "Lower energy bill",
            "o-3-yearly_value": "8000",
            "o-3-years": "3",
            "o-3-confidence": "75",
            "o-3-contact_id": str(deal.contact_id),
            "assumptions": "Two shifts a day",
            "internal_notes": "Push for Q1",
            "discount_rate": "8",
        },
    )
    saved = post(client, f"{path}/value-case", form, path)
    assert saved.status_code == 303, saved.text
    with session_factory() as s:
        rows = {o.name: o for o in s.scalars(select(ValueOutcome))}
        case = s.scalars(select(ValueCase)).one()
    assert set(rows) == {"Less unplanned downtime", "Faster ramp", "Lower energy bill"}
    assert rows["Less unplanned downtime"].yearly_value == Decimal("120000.00")
    assert rows["Less unplanned downtime"].state == "confirmed"
    energy = rows["Lower energy bill"]
    assert (energy.years, energy.confidence, energy.contact_id) == (
        3,
        Decimal("0.75"),
        deal.contact_id,
    )
    assert (case.assumptions, case.internal_notes) == ("Two shifts a day", "Push for Q1")
    assert case.discount_rate == Decimal("0.08")
    html = client.get(path).text
    assert "The value case is saved." in html
    assert re.search(r'data-testid="fig-value-risk-adjusted">162,000.00<', html)  # 120+24+18


def test_value_case_save_updates_only_the_rows_that_changed(
    client: TestClient, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    org = seeded_org(session_factory)
    deal = seed_deal(session_factory, org.user("seller"))
    signed_in(client, org, "seller")
    updated: list[int] = []
    update = valuecases._update

    def counted(*args: Any) -> None:
        updated.append(args[4].id)
        update(*args)

    def no_figures(*args: object) -> object:
        raise AssertionError("the save read the case's figures back")

    monkeypatch.setattr(valuecases, "_update", counted)
    path = f"/opportunities/{deal.opp_id}"
    evidence = {f"o-{i}-evidence_source": "Plant log 2026" for i in range(2)}  # as seeded
    form = editor_form(deal, **evidence, **{"o-1-years": "2"})
    form["csrf_token"] = csrf_token(client, path)
    monkeypatch.setattr(valuecases, "figures_for", no_figures)
    saved = client.post(f"{path}/value-case", data=form, follow_redirects=False)
    assert saved.status_code == 303, saved.text
    assert updated == [deal.outcome_ids[1]]  # the rows sent as they were are left alone
    with session_factory() as s:
        kept = s.scalars(select(ValueOutcome.id).order_by(ValueOutcome.id)).all()
        assert kept == sorted(deal.outcome_ids)  # ... and not added again either
        changes = s.scalars(
            select(AuditEntry.changes).where(AuditEntry.action == "value_case.outcome_updated")
        ).all()
    assert changes == [{"outcome_id": deal.outcome_ids[1], "years": [1, 2]}]


def test_value_case_save_with_a_bad_row_writes_nothing_and_keeps_the_input(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    deal = seed_deal(session_factory, org.user("seller"))
    signed_in(client, org, "seller")
    path = f"/opportunities/{deal.opp_id}"
    cases = (
        ({"o-3-name": "Half done"}, 422, "Outcome 4 (Half done): enter its yearly value"),
        ({"o-1-years": "40"}, 422, "Outcome 2: years"),
        ({"o-0-confidence": "150"}, 422, "Outcome 1 confidence: enter a percentage"),
        ({"o-0-direction": "sideways"}, 422, "Outcome 1: direction"),
        ({"discount_rate": "ten"}, 422, "Discount rate: enter a number"),
        ({"o-3-name": "Wrong contact", "o-3-yearly_value": "5", "o-3-contact_id": "999"}, 422,
         "Contact 999 is not on this deal"),
    )  # fmt: skip
    for changes, status, message in cases:
        form = editor_form(deal, **{"o-0-yearly_value": "555555", "o-2-remove": "1", **changes})
        refused = post(client, f"{path}/value-case", form, path)
        assert refused.status_code == status, (changes, refused.status_code)
        assert 'data-testid="case-error"' in refused.text and message in refused.text, changes
        assert 'value="555555"' in refused.text  # the input is kept for fixing
        with session_factory() as s:
            values = sorted(v for v in s.scalars(select(ValueOutcome.yearly_value)))
        assert values == [Decimal("10000.00"), Decimal("24000.00"), Decimal("100000.00")]


def test_starting_a_value_case_from_the_page(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    deal = seed_deal(session_factory, org.user("seller"), value_case=False)
    signed_in(client, org, "seller")
    path = f"/opportunities/{deal.opp_id}"
    html = client.get(path).text
    assert 'data-testid="start-value-case"' in html and "business-case" not in html
    started = post(client, f"{path}/value-case/start", {}, path)
    assert started.status_code == 303
    assert 'data-testid="value-case-form"' in client.get(path).text
    assert count(session_factory, ValueCase) == 1


def test_pipeline_page_queries_do_not_grow_with_the_deals(
    app: FastAPI, client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    signed_in(client, org, "manager")
    statements: list[str] = []

    def counted() -> int:
        statements.clear()
        assert client.get("/pipeline").status_code == 200
        return len(statements)

    event.listen(app.state.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    for n in range(2):
        seed_deal(session_factory, org.user("seller"), name=f"Deal {n}", account=f"Account {n}")
    few = counted()
    for n in range(2, 8):
        seed_deal(session_factory, org.user("seller"), name=f"Deal {n}", account=f"Account {n}")
    assert counted() == few <= 20


def test_a_deals_own_probability_survives_saving_the_form(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    deal = seed_deal(session_factory, org.user("seller"))
    signed_in(client, org, "seller")
    path = f"/opportunities/{deal.opp_id}"
    form = {"name": "Line 4 retrofit", "stage_id": "1", "alternative_kind": "competitor"}
    assert post(client, path, {**form, "probability": "35"}, path).status_code == 303
    html = client.get(path).text
    assert 'name="probability" inputmode="decimal" value="35"' in html
    assert post(client, path, {**form, "probability": "35"}, path).status_code == 303
    assert post(client, path, {**form, "probability": ""}, path).status_code == 303
    with session_factory() as s:
        assert s.get(Opportunity, deal.opp_id).probability is None  # type: ignore[union-attr]
    assert 'name="probability" inputmode="decimal" value=""' in client.get(path).text
