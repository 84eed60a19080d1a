"""`valuescout deals list | show`: the pipeline and one deal, as tables and as JSON."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.cli.test_cli import cli_configured, invoke
from tests.deals.test_service_builders import Built, seeded_deal
from tests.factories import Org, seeded_org
from valuescout.cli import context
from valuescout.core.audit import AuditEntry
from valuescout.deals.schemas import OpportunityRow


@pytest.fixture()
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    # A wide console, so table cells are not wrapped in the middle of what the tests look for.
    monkeypatch.setattr(context.console, "width", 200)
    with cli_configured(database_url, monkeypatch):
        yield


@pytest.fixture()
def org(cli_env: None, session_factory: sessionmaker[Session]) -> Org:
    return seeded_org(session_factory)


@pytest.fixture()
def deals(org: Org, session_factory: sessionmaker[Session]) -> dict[str, Built]:
    admin = org.user("admin")
    return {
        "alpha": seeded_deal(
            session_factory, org.user("seller"), name="Alpha pumps", account="Acme Water"
        ),
        "beta": seeded_deal(
            session_factory,
            org.user("seller_b"),
            name="Beta valves",
            account="Bolt",
            amount="1000.5",
            stage_id=4,
            value_case=False,
            line_product_of=admin,
        ),
        "gamma": seeded_deal(
            session_factory,
            org.user("contributor"),
            by=admin,
            name="Gamma service",
            amount="77",
            close_date=None,
            value_case=False,
        ),
    }


def json_out(*args: str) -> Any:
    code, out = invoke(*args)
    assert code == 0, out
    return json.loads(out)


def test_list_as_json_every_deal_with_money_as_strings(
    org: Org, deals: dict[str, Built], session_factory: sessionmaker[Session]
) -> None:
    audit_before = _audit_count(session_factory)
    rows = json_out("deals", "list", "--format", "json")
    assert [r["name"] for r in rows] == ["Alpha pumps", "Beta valves", "Gamma service"]
    assert set(rows[0]) == set(OpportunityRow.model_fields)
    assert [r["amount"] for r in rows] == ["250000.00", "1000.50", "77.00"]  # with money
    alpha = rows[0]
    assert alpha["account_name"] == "Acme Water" and alpha["stage_name"] == "Prospecting"
    assert alpha["probability"] == "0.1000" and alpha["close_date"] == "2027-03-31"
    assert alpha["owner_name"] == org.user("seller").full_name
    assert rows[2]["close_date"] is None  # the deal without a close date comes last
    assert _audit_count(session_factory) == audit_before  # reading writes nothing


def test_list_filters_by_stage_and_owner_and_limits(deals: dict[str, Built]) -> None:
    assert [r["name"] for r in json_out("deals", "list", "-f", "json", "--stage", "proposal")] == [
        "Beta valves"
    ]
    by_owner = json_out("deals", "list", "-f", "json", "--owner", "Seller.B@example.com")
    assert [r["name"] for r in by_owner] == ["Beta valves"]
    both = json_out(
        "deals", "list", "-f", "json", "--owner", "seller@example.com", "--stage", "Prospecting"
    )
    assert [r["name"] for r in both] == ["Alpha pumps"]
    assert json_out("deals", "list", "-f", "json", "--stage", "Won") == []
    assert len(json_out("deals", "list", "-f", "json", "--limit", "2")) == 2


def test_list_as_a_table(deals: dict[str, Built]) -> None:
    code, out = invoke("deals", "list")
    assert code == 0, out
    assert "Alpha pumps" in out and "Acme Water" in out and "Prospecting" in out
    assert "250,000.00 USD" in out and "10.00%" in out and "2027-03-31" in out
    assert "3 of 3 opportunities; total amount 251,077.50." in out
    code, out = invoke("deals", "list", "--limit", "1", "--format", "table")
    assert code == 0 and "1 of 3 opportunities" in out and "Beta valves" not in out


def test_list_refuses_unknown_filters_and_bad_options(deals: dict[str, Built]) -> None:
    code, out = invoke("deals", "list", "--stage", "Dreaming")
    assert code == 1
    assert "No stage named 'Dreaming'" in out and "Prospecting, Qualifying" in out
    code, out = invoke("deals", "list", "--owner", "nobody@example.com")
    assert code == 1 and "No user with the email 'nobody@example.com'" in out
    code, out = invoke("deals", "list", "--format", "xml")
    assert code == 2 and "--format" in out and "'xml' is not one of" in out
    for limit in ("0", "201", "many"):
        code, out = invoke("deals", "list", "--limit", limit)
        assert code == 2 and "--limit" in out, limit


def test_show_as_json_with_lines_history_and_value_case(deals: dict[str, Built]) -> None:
    alpha = json_out("deals", "show", str(deals["alpha"].opp_id), "--format", "json")
    assert alpha["id"] == deals["alpha"].opp_id and alpha["amount"] == "250000.00"
    assert [h["field"] for h in alpha["history"]] == ["stage", "amount", "close_date"]
    assert alpha["history"][1]["new_value"] == "250000.00"
    assert [c["name"] for c in alpha["contacts"]] == ["Dana Buyer"]
    case = alpha["value_case"]
    assert [o["name"] for o in case["outcomes"]] == ["Less unplanned downtime"]
    figures = case["figures"]
    assert figures["value_risk_adjusted"] == "100000.00"
    assert figures["price_difference"] == "50000.00"
    assert figures["preference"] == "50000.00"
    assert figures["corridor"]["ceiling"] == "300000.00"

    beta = json_out("deals", "show", str(deals["beta"].opp_id), "-f", "json")
    assert beta["value_case"] is None and beta["has_value_case"] is False
    [line] = beta["lines"]
    assert (line["quantity"], line["list_price"], line["net_price"]) == (
        "1.000",
        "1000.50",
        "1000.50",
    )


def test_show_as_a_table(deals: dict[str, Built]) -> None:
    code, out = invoke("deals", "show", str(deals["alpha"].opp_id))
    assert code == 0, out
    assert "Alpha pumps" in out and "Acme Water" in out and "250,000.00 USD" in out
    assert "History" in out and "close_date" in out and "2027-03-31" in out
    assert "No line items." in out
    assert "Value case" in out and "Less unplanned downtime" in out
    assert "customer preference" in out and "50,000.00" in out and "300,000.00" in out
    code, out = invoke("deals", "show", str(deals["beta"].opp_id))
    assert code == 0, out
    assert "Lines" in out and "1,000.50" in out and "Value case" not in out


def test_show_refuses_an_unknown_id_and_bad_options(deals: dict[str, Built]) -> None:
    code, out = invoke("deals", "show", "999999")
    assert code == 1 and "Opportunity 999999 not found." in out
    code, out = invoke("deals", "show", "999999", "--format", "json")
    assert code == 1 and "Opportunity 999999 not found." in out
    code, out = invoke("deals", "show", str(deals["alpha"].opp_id), "--format", "yaml")
    assert code == 2 and "'yaml' is not one of" in out
    for bad in ("0", "abc"):
        code, out = invoke("deals", "show", bad)
        assert code == 2, bad


def test_an_empty_pipeline(org: Org) -> None:
    assert json_out("deals", "list", "--format", "json") == []
    code, out = invoke("deals", "list")
    assert code == 0 and "0 of 0 opportunities; total amount 0.00." in out


def _audit_count(session_factory: sessionmaker[Session]) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0
