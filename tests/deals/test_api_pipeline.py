"""GET /api/v1/opportunities: every filter, every sort key both ways, paging, the totals per
stage (weighted with the deal's own probability when it has one), and row scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_service_builders import build_deal, principal
from tests.factories import Org, bearer, make_org, seeded_org, token_for
from valuescout.core.money import to_money
from valuescout.core.text import like_escaped
from valuescout.deals import service
from valuescout.deals.models import Opportunity, Stage
from valuescout.deals.schemas import OpportunityUpdate

API = "/api/v1/opportunities"


@dataclass
class Pipeline:
    org: Org
    ids: dict[str, int]  # deal name -> id
    stages: dict[str, int]  # stage name -> id
    headers: dict[str, dict[str, str]]  # role -> bearer header

    def get(self, client: TestClient, role: str = "seller", **params: Any) -> dict[str, Any]:
        response = client.get(API, params=params, headers=self.headers[role])
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    def names(self, client: TestClient, role: str = "seller", **params: Any) -> list[str]:
        return [row["name"] for row in self.get(client, role, **params)["items"]]


# name, owner, account, amount, stage, own probability, close date, deal type
DEALS: list[tuple[str, str, str | None, str, str, str | None, date | None, str]] = [
    ("Alpha pumps", "seller", "Acme Water", "1000", "Prospecting", None, date(2027, 1, 15), "new"),
    ("Beta valves", "seller", "Bolt Industries", "2500.50", "Proposal", "0.75", date(2027, 6, 30),
     "expansion"),
    ("Gamma service", "seller", None, "400", "Won", None, None, "renewal"),
    ("Delta drives", "manager", "Delta Mills", "7000", "Negotiation", None, date(2027, 3, 1),
     "new"),
    ("Echo hidden", "seller_b", "Echo Farms", "9999", "Prospecting", None, date(2027, 2, 1),
     "new"),
]  # fmt: skip


@pytest.fixture()
def pipeline(session_factory: sessionmaker[Session]) -> Pipeline:
    with session_factory() as s:
        org = make_org(s)
        stages = {st.name: st.id for st in s.scalars(select(Stage))}
        ids: dict[str, int] = {}
        start = datetime(2026, 11, 1, tzinfo=UTC)
        for n, (name, owner, account, amount, stage, probability, close, kind) in enumerate(DEALS):
            built = build_deal(
                s,
                org.user(owner),
                name=name,
                account=account,
                amount=amount,
                stage_id=stages[stage],
                close_date=close,
                value_case=False,
            )
            opp = s.get(Opportunity, built.opp_id)
            assert opp is not None
            if account is None:
                opp.account_id = None
            if probability is not None:
                service.update_opportunity(
                    s,
                    principal(s, org.user(owner)),
                    opp.id,
                    OpportunityUpdate(probability=Decimal(probability)),
                )
            opp.deal_type = kind
            opp.updated_at = start + timedelta(days=n)  # a known order for sorting
            ids[name] = opp.id
        s.commit()
    headers = {
        role: bearer(token_for(session_factory, org.user(role)))
        for role in ("seller", "seller_b", "manager", "price_desk", "admin", "contributor")
    }
    return Pipeline(org, ids, stages, headers)


TEAM_A = ["Alpha pumps", "Beta valves", "Gamma service", "Delta drives"]


def test_a_seller_sees_own_deals_a_manager_the_team_price_desk_everything(
    client: TestClient, pipeline: Pipeline
) -> None:
    assert pipeline.names(client, "seller", sort="name") == [
        "Alpha pumps",
        "Beta valves",
        "Gamma service",
    ]
    assert pipeline.names(client, "manager", sort="name") == sorted(TEAM_A)
    assert pipeline.names(client, "price_desk", sort="name") == sorted([*TEAM_A, "Echo hidden"])
    other = pipeline.get(client, "seller_b")
    assert [r["name"] for r in other["items"]] == ["Echo hidden"] and other["total"] == 1
    # A filter cannot widen the scope: asking for someone else's deals gives nothing.
    seller_id = pipeline.org.user("seller").id
    assert pipeline.get(client, "seller_b", owner_id=seller_id)["total"] == 0
    assert pipeline.get(client, "seller_b", team_id=pipeline.org.team_a.id)["total"] == 0
    assert pipeline.get(client, "contributor")["total"] == 0


def test_each_filter(client: TestClient, pipeline: Pipeline) -> None:
    org, stages = pipeline.org, pipeline.stages

    def names(**params: Any) -> list[str]:
        return pipeline.names(client, "price_desk", sort="name", **params)

    assert names(q="BETA") == ["Beta valves"]  # the deal's name, any case
    assert names(q="acme wat") == ["Alpha pumps"]  # or its account's
    assert names(q="nothing like it") == []
    assert names(stage_id=stages["Prospecting"]) == ["Alpha pumps", "Echo hidden"]
    assert names(outcome="won") == ["Gamma service"]
    assert names(outcome="lost") == []
    assert names(outcome="open") == ["Alpha pumps", "Beta valves", "Delta drives", "Echo hidden"]
    assert names(owner_id=org.user("manager").id) == ["Delta drives"]
    assert names(team_id=org.team_a.id) == sorted(TEAM_A)
    assert names(team_id=org.team_b.id) == ["Echo hidden"]
    assert names(team_id=org.region.id) == sorted([*TEAM_A, "Echo hidden"])  # the subtree
    assert names(account_id=pipeline_account(pipeline, client, "Delta drives")) == ["Delta drives"]
    assert names(deal_type="expansion") == ["Beta valves"]
    assert names(deal_type="renewal") == ["Gamma service"]
    assert names(close_from="2027-03-01") == ["Beta valves", "Delta drives"]  # inclusive
    assert names(close_to="2027-03-01") == ["Alpha pumps", "Delta drives", "Echo hidden"]
    assert names(close_from="2027-02-01", close_to="2027-03-01") == [
        "Delta drives",
        "Echo hidden",
    ]
    # Filters combine.
    assert names(outcome="open", owner_id=org.user("seller").id, close_to="2027-12-31") == [
        "Alpha pumps",
        "Beta valves",
    ]


def pipeline_account(pipeline: Pipeline, client: TestClient, deal: str) -> int:
    detail = client.get(f"{API}/{pipeline.ids[deal]}", headers=pipeline.headers["admin"]).json()
    account_id: int = detail["account_id"]
    return account_id


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("close_date", ["Alpha pumps", "Delta drives", "Beta valves", "Gamma service"]),
        ("-close_date", ["Beta valves", "Delta drives", "Alpha pumps", "Gamma service"]),
        ("amount", ["Gamma service", "Alpha pumps", "Beta valves", "Delta drives"]),
        ("-amount", ["Delta drives", "Beta valves", "Alpha pumps", "Gamma service"]),
        ("name", ["Alpha pumps", "Beta valves", "Delta drives", "Gamma service"]),
        ("-name", ["Gamma service", "Delta drives", "Beta valves", "Alpha pumps"]),
        ("stage", ["Alpha pumps", "Beta valves", "Delta drives", "Gamma service"]),
        ("-stage", ["Gamma service", "Delta drives", "Beta valves", "Alpha pumps"]),
        ("updated_at", ["Alpha pumps", "Beta valves", "Gamma service", "Delta drives"]),
        ("-updated_at", ["Delta drives", "Gamma service", "Beta valves", "Alpha pumps"]),
    ],
)
def test_sorting_by_each_key_both_ways(
    client: TestClient, pipeline: Pipeline, sort: str, expected: list[str]
) -> None:
    # Deals without a close date come last whichever way the dates run.
    assert pipeline.names(client, "manager", sort=sort) == expected


def test_paging_keeps_the_totals_of_everything_that_matches(
    client: TestClient, pipeline: Pipeline
) -> None:
    everything = pipeline.names(client, "price_desk", sort="name")
    pages = [
        pipeline.get(client, "price_desk", sort="name", limit=2, offset=offset)
        for offset in (0, 2, 4)
    ]
    assert [r["name"] for p in pages for r in p["items"]] == everything
    assert [len(p["items"]) for p in pages] == [2, 2, 1]
    assert {p["total"] for p in pages} == {5}
    assert {p["total_amount"] for p in pages} == {"20899.50"}
    assert [(p["limit"], p["offset"]) for p in pages] == [(2, 0), (2, 2), (2, 4)]
    beyond = pipeline.get(client, "price_desk", offset=50)
    assert beyond["items"] == [] and beyond["total"] == 5


def test_totals_per_stage_with_weighted_amounts(client: TestClient, pipeline: Pipeline) -> None:
    body = pipeline.get(client, "manager")
    totals = {t["stage_name"]: t for t in body["totals"]}
    assert list(totals) == [
        "Prospecting",
        "Qualifying",
        "Engaging",
        "Proposal",
        "Negotiation",
        "Won",
        "Lost",
    ]  # every stage, in order, also the empty ones
    expected = {
        "Prospecting": (1, "1000.00", "100.00"),  # 10%
        "Proposal": (1, "2500.50", "1875.38"),  # the deal's own 75%, not the stage's 60%
        "Negotiation": (1, "7000.00", "5600.00"),  # 80%
        "Won": (1, "400.00", "400.00"),
    }
    for name, total in totals.items():
        count, amount, weighted = expected.get(name, (0, "0.00", "0.00"))
        assert (total["count"], total["amount"], total["weighted"]) == (count, amount, weighted)
    assert body["total"] == 4 and body["total_amount"] == "10900.50"
    assert to_money(Decimal("2500.50") * Decimal("0.75")) == Decimal("1875.38")
    # Totals follow the filters.
    only_open = pipeline.get(client, "manager", outcome="open")
    assert only_open["total_amount"] == "10500.50"
    assert {t["stage_name"]: t["count"] for t in only_open["totals"]}["Won"] == 0


def test_rows_show_the_effective_probability(client: TestClient, pipeline: Pipeline) -> None:
    rows = {r["name"]: r for r in pipeline.get(client, "seller")["items"]}
    assert rows["Beta valves"]["probability"] == "0.7500"
    assert rows["Alpha pumps"]["probability"] == "0.1000"  # the stage's
    assert rows["Gamma service"]["account_name"] is None
    assert rows["Alpha pumps"]["account_name"] == "Acme Water"
    assert rows["Alpha pumps"]["owner_name"] == pipeline.org.user("seller").full_name
    assert rows["Alpha pumps"]["team_id"] == pipeline.org.team_a.id
    assert rows["Beta valves"]["stage_name"] == "Proposal"
    assert rows["Gamma service"]["stage_outcome"] == "won"


def test_contributors_see_their_deals_but_no_money_and_cannot_sort_by_it(
    client: TestClient, session_factory: sessionmaker[Session], pipeline: Pipeline
) -> None:
    with session_factory() as s:
        admin, contributor = pipeline.org.user("admin"), pipeline.org.user("contributor")
        for name, amount in (("Small given", "10"), ("Large given", "90000")):
            build_deal(s, contributor, by=admin, name=name, amount=amount, value_case=False)
        s.commit()
    body = pipeline.get(client, "contributor")
    assert body["total"] == 2 and body["total_amount"] is None
    assert {r["amount"] for r in body["items"]} == {None}
    assert {(t["amount"], t["weighted"]) for t in body["totals"]} == {(None, None)}
    assert sum(t["count"] for t in body["totals"]) == 2
    # Sorting by amount would tell the amounts' order: it falls back to the default order.
    for sort in ("amount", "-amount"):
        assert pipeline.names(client, "contributor", sort=sort) == pipeline.names(
            client, "contributor"
        )
        assert pipeline.names(client, "contributor", sort=sort) == pipeline.names(
            client, "contributor", sort="close_date"
        )


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "probability"},
        {"outcome": "maybe"},
        {"deal_type": "old"},
        {"close_from": "soon"},
        {"close_from": "0"},
        {"close_to": "2027-02-30"},
        {"limit": "0"},
        {"limit": "201"},
        {"offset": "-1"},
        {"stage_id": "x"},
        {"stage_id": "0"},
        {"owner_id": "2147483648"},
        {"q": "x" * 101},
        {"colour": "red"},
    ],
)
def test_bad_query_is_a_422_naming_the_parameter(
    client: TestClient, pipeline: Pipeline, params: dict[str, str]
) -> None:
    response = client.get(API, params=params, headers=pipeline.headers["seller"])
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert next(iter(params)) in error["message"]


def test_search_takes_wildcards_literally(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    assert like_escaped("50%_a\\b") == "50\\%\\_a\\\\b"
    org = seeded_org(session_factory)
    h = bearer(token_for(session_factory, org.user("admin")))
    for name in ("Pumps 100% uptime", "Pumps 1000 units"):
        assert (
            client.post("/api/v1/opportunities", json={"name": name}, headers=h).status_code == 201
        )
    found = client.get("/api/v1/opportunities", params={"q": "100%"}, headers=h).json()
    assert [row["name"] for row in found["items"]] == ["Pumps 100% uptime"]
    assert client.get("/api/v1/accounts", params={"q": "%"}, headers=h).json()["total"] == 0
