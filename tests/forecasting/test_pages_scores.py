"""The scorecard panels on an account and a deal: the same fit on both, engagement in the same
terms, every method's probability on an open deal for who sees money, and nothing for who may
not see the record."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import Org, seeded_org, sign_in
from tests.forecasting.web_builders import forecast_book
from valuescout.deals.models import Opportunity


@pytest.fixture()
def book(session_factory: sessionmaker[Session]) -> tuple[Org, int, int, int]:
    """The org, the seller's open deal and its account, and a closed deal of the seller."""
    org = seeded_org(session_factory)
    with session_factory() as s:
        forecast_book(s, org)
        s.commit()
        big = s.scalar(select(Opportunity).where(Opportunity.name == "Big A"))
        won = s.scalar(
            select(Opportunity)
            .where(Opportunity.owner_id == org.user("seller").id, Opportunity.name != "Big A")
            .order_by(Opportunity.id)
        )
        assert big is not None and big.account_id is not None and won is not None
        return org, big.id, big.account_id, won.id


def _fit(html: str) -> str:
    found = re.search(r'data-testid="fit-score">\s*<h3>[^<]*<strong>(\d+)</strong>', html)
    assert found, html[:500]
    return found.group(1)


def test_the_same_fit_on_the_account_and_the_deal(
    client: TestClient, book: tuple[Org, int, int, int]
) -> None:
    org, opp_id, account_id, closed_id = book
    sign_in(client, org.user("executive").email)
    deal = client.get(f"/opportunities/{opp_id}/scores/panel")
    account = client.get(f"/accounts/{account_id}/scores/panel")
    assert deal.status_code == account.status_code == 200
    assert _fit(deal.text) == _fit(account.text)
    assert 'data-testid="deal-probabilities"' in deal.text and "History-trained" in deal.text
    assert "mutual plan" in deal.text and "mutual plan" not in account.text.split("muted")[0]
    closed = client.get(f"/opportunities/{closed_id}/scores/panel")
    assert 'data-testid="deal-probabilities"' not in closed.text  # the outcome is known
    page = client.get(f"/opportunities/{opp_id}")
    assert f'hx-get="/opportunities/{opp_id}/scores/panel"' in page.text


def test_who_may_see_the_panels(client: TestClient, book: tuple[Org, int, int, int]) -> None:
    org, opp_id, account_id, _ = book
    sign_in(client, org.user("seller").email)
    assert client.get(f"/opportunities/{opp_id}/scores/panel").status_code == 200
    client.cookies.clear()
    sign_in(client, org.user("contributor").email)
    assert client.get(f"/opportunities/{opp_id}/scores/panel").status_code == 404
    assert client.get(f"/accounts/{account_id}/scores/panel").status_code == 404
    client.cookies.clear()
    sign_in(client, org.user("seller_b").email)
    assert client.get(f"/opportunities/{opp_id}/scores/panel").status_code == 404
