"""The deal forms' account picker: a list while the caller sees few accounts, a search past
`MAX_CHOICES` (a list that long renders slowly and silently left out the rest)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_pages import post, principal_of, seed_deal, signed_in
from tests.factories import seeded_org
from valuescout.deals import accounts, pages_data
from valuescout.deals.account_schemas import AccountIn
from valuescout.deals.models import Account, Opportunity


def _accounts(session_factory: sessionmaker[Session], owner: object, names: list[str]) -> None:
    with session_factory() as s:
        who = principal_of(s, owner)  # type: ignore[arg-type]
        for name in names:
            accounts.create_account(s, who, AccountIn(name=name, owner_id=who.user_id))
        s.commit()


def test_few_accounts_are_listed_and_no_search_is_offered(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    deal = seed_deal(session_factory, org.user("seller"))
    signed_in(client, org, "seller")
    page = client.get(f"/opportunities/{deal.opp_id}").text
    assert 'data-testid="account-select"' in page and "Plant One</option>" in page
    assert 'data-testid="account-search"' not in page


def test_past_the_limit_the_deal_keeps_its_account_and_a_search_finds_others(
    client: TestClient, session_factory: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(pages_data, "MAX_CHOICES", 2)
    org = seeded_org(session_factory)
    deal = seed_deal(session_factory, org.user("seller"))
    _accounts(session_factory, org.user("seller"), ["Harbour Mills", "Harbour Foods", "Quarry"])
    _accounts(session_factory, org.user("seller_b"), ["Harbour Secret"])  # another team's
    signed_in(client, org, "seller")
    path = f"/opportunities/{deal.opp_id}"
    page = client.get(path).text
    assert 'data-testid="account-search"' in page
    assert f'<option value="{deal.account_id}" selected>Plant One</option>' in page
    assert "Harbour Mills" not in page  # not listed: found by a search

    found = client.get(
        "/accounts/options", params={"account_q": "harb", "account_id": deal.account_id}
    )
    assert found.status_code == 200
    assert found.text.count('data-testid="account-option"') == 2  # not the other team's
    assert "Harbour Foods" in found.text and "Harbour Mills" in found.text
    assert "Harbour Secret" not in found.text
    assert f'<option value="{deal.account_id}" selected>Plant One</option>' in found.text
    none = client.get("/accounts/options", params={"account_q": "zzz"}).text
    assert 'data-testid="account-no-match"' in none and "zzz" in none

    with session_factory() as s:
        mills = s.scalars(select(Account.id).where(Account.name == "Harbour Mills")).one()
    form = {"name": "Line 4 retrofit", "account_id": str(mills), "deal_type": "new"}
    form |= {"owner_id": str(org.user("seller").id), "stage_id": "1", "currency": "USD"}
    saved = post(client, path, form, path)
    assert saved.status_code == 303, saved.text
    with session_factory() as s:
        assert s.get(Opportunity, deal.opp_id).account_id == mills  # type: ignore[union-attr]


def test_the_search_shows_no_account_out_of_sight_even_when_named(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    theirs = seed_deal(session_factory, org.user("seller_b"), account="Their Plant")
    signed_in(client, org, "seller")
    found = client.get(
        "/accounts/options", params={"account_q": "plant", "account_id": theirs.account_id}
    )
    assert found.status_code == 200 and "Their Plant" not in found.text
    for junk in ("abc", "-1", "99999999999999999"):
        assert client.get("/accounts/options", params={"account_id": junk}).status_code == 200
    signed_in(client, org, "contributor")
    assert client.get("/accounts/options", params={"account_q": "plant"}).status_code == 403
