"""Salesforce and HubSpot exports (small realistic samples in data/) through their presets."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.deals.importing.helpers import DATA, make_world, run
from valuescout.deals.models import Account, Opportunity, Stage


def _deals(session: Session) -> dict[str, tuple[str, Decimal, str, date | None, str, int, str]]:
    rows = session.execute(
        select(
            Opportunity.external_id,
            Stage.name,
            Opportunity.amount,
            Opportunity.deal_type,
            Opportunity.close_date,
            Opportunity.currency,
            Opportunity.owner_id,
            Account.name,
        )
        .join(Stage, Stage.id == Opportunity.stage_id)
        .outerjoin(Account, Account.id == Opportunity.account_id)
    )
    return {r[0]: (r[1], r[2], r[3], r[4], r[5], r[6], r[7]) for r in rows}


def test_salesforce_opportunity_report(session: Session) -> None:
    world = make_world(session)

    report = run(session, DATA / "salesforce_opportunities.csv", preset="salesforce")

    assert report.written and report.problem_count == 0, report.problems
    assert report.created == 6
    ann, bob = world.ann.id, world.bob.id
    assert _deals(session) == {
        "0065g00000AbCdEAAV": ("Won", 12500, "new", date(2024, 3, 5), "USD", ann, "Acme"),
        "0065g00000AbCdFAAV": (
            "Negotiation",
            48000,
            "expansion",
            date(2024, 6, 28),
            "USD",
            ann,
            "Globex",
        ),
        "0065g00000AbCdGAAV": (
            "Proposal",
            Decimal("9900.50"),
            "renewal",
            date(2024, 7, 15),
            "USD",
            bob,
            "Acme",
        ),
        "0065g00000AbCdHAAV": ("Engaging", 3000, "new", date(2024, 9, 30), "USD", bob, "Initech"),
        "0065g00000AbCdIAAV": ("Lost", 1250, "expansion", date(2024, 2, 29), "USD", ann, "Globex"),
        "0065g00000AbCdJAAV": ("Qualifying", 0, "new", date(2024, 12, 31), "USD", bob, "Initech"),
    }
    (file,) = report.files
    assert file.columns["external_id"] == "Opportunity ID"
    assert file.columns["owner"] == "Opportunity Owner"
    assert file.ignored_columns == [
        "Probability (%)",
        "Lead Source",
        "Fiscal Period",
        "Created Date",
    ]


def test_hubspot_deals_export(session: Session) -> None:
    world = make_world(session)

    report = run(session, DATA / "hubspot_deals.csv", preset="hubspot")

    assert report.written and report.problem_count == 0, report.problems
    ann, bob = world.ann.id, world.bob.id
    assert _deals(session) == {
        "15948272331": ("Won", 12500, "new", date(2024, 3, 5), "USD", ann, "Acme"),
        "15948272332": ("Negotiation", 48000, "expansion", date(2024, 6, 28), "USD", ann, "Globex"),
        "15948272333": ("Engaging", 3000, "new", date(2024, 9, 30), "USD", bob, "Initech"),
        "15948272334": ("Prospecting", 0, "new", date(2024, 10, 15), "USD", bob, "Acme"),
        "15948272335": ("Lost", 1250, "expansion", date(2024, 2, 29), "USD", ann, "Globex"),
        "15948272336": ("Proposal", 22000, "expansion", date(2024, 11, 30), "USD", bob, "Initech"),
        "15948272337": ("Qualifying", 5400, "new", date(2024, 12, 15), "USD", ann, None),
    }
    assert report.warnings == [
        "amount blank: imported as 0.00 (1 row)",
        "account blank on open deals: no account (1 row)",
    ]
    assert report.files[0].ignored_columns == ["Pipeline", "Create Date", "Last Activity Date"]
