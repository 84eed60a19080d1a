"""The Maven CRM export (four real files): organisation, accounts, products, 8,800 deals."""

from __future__ import annotations

import csv
import shutil
from collections import Counter, defaultdict
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from email_validator import validate_email
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from tests.deals.importing.helpers import MAVEN, MAVEN_FILES, counts, make_world, run
from valuescout.core.audit import AuditEntry
from valuescout.core.security import verify_password
from valuescout.deals.models import Account, LineItem, Opportunity, OpportunityChange, Product
from valuescout.deals.models import Stage as StageRow
from valuescout.identity import auth_service
from valuescout.identity.models import Team, User
from valuescout.identity.roles import Role

pytestmark = pytest.mark.skipif(not MAVEN.is_dir(), reason="the Maven CRM data set is not here")
FILES = [MAVEN / name for name in MAVEN_FILES]


def _csv(name: str, folder: Path = MAVEN) -> list[dict[str, str]]:
    with (folder / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_imports_the_whole_export_and_says_what_it_resolved(session: Session) -> None:
    report = run(session, *FILES, preset="maven")

    assert report.written and report.problem_count == 0, report.problems[:5]
    assert (report.rows, report.created, report.updated) == (8800, 8800, 0)
    by_stage = {
        name: n
        for name, n in session.execute(
            select(StageRow.name, func.count())
            .join(Opportunity, Opportunity.stage_id == StageRow.id)
            .group_by(StageRow.name)
        )
    }
    assert by_stage == {"Won": 4238, "Lost": 2473, "Engaging": 1589, "Prospecting": 500}
    assert report.warnings == [
        "sector 'technolgy' read as 'technology': a known typo in this export (12 rows)",
        "office_location 'Philipines' read as 'Philippines': a known typo in this export (1 row)",
        "close_value blank on open deals: amount set to the product's list price (2,089 rows)",
        "close_value 0 or blank on lost deals (no quoted value kept): amount set to the "
        "product's list price (2,473 rows)",
        "product 'GTXPro' matched 'GTX Pro' ignoring spaces and case (1,480 rows)",
        "account blank on open deals: no account (1,425 rows)",
    ]


def test_builds_the_organisation_agent_manager_region(session: Session) -> None:
    run(session, *FILES, preset="maven")

    regions = session.scalars(select(Team).where(Team.kind == "region")).all()
    company = session.scalars(select(Team).where(Team.kind == "company")).one()
    assert company.name == "Company"
    assert sorted(r.name for r in regions) == ["Central", "East", "West"]
    assert {r.parent_id for r in regions} == {company.id}
    sellers = session.scalars(select(User).where(User.role == Role.SELLER)).all()
    managers = session.scalars(select(User).where(User.role == Role.MANAGER)).all()
    assert (len(sellers), len(managers)) == (35, 6)
    with_deals = session.scalar(select(func.count(func.distinct(Opportunity.owner_id))))
    assert with_deals == 30
    teams = {t.id: t for t in session.scalars(select(Team))}
    by_name = {u.full_name: u for u in [*sellers, *managers]}
    for row in _csv("sales_teams.csv"):
        agent, manager = by_name[row["sales_agent"]], by_name[row["manager"]]
        assert agent.team_id == manager.team_id
        team = teams[agent.team_id]  # type: ignore[index]
        assert team.name == f"{row['manager']}'s team" and team.kind == "team"
        assert teams[team.parent_id].name == row["regional_office"]  # type: ignore[index]
    # Deals sit in their owner's team.
    mismatched = session.scalar(
        select(func.count())
        .select_from(Opportunity)
        .join(User, User.id == Opportunity.owner_id)
        .where(Opportunity.team_id != User.team_id)
    )
    assert mismatched == 0


def test_imported_people_cannot_sign_in_and_have_valid_emails(session: Session) -> None:
    run(session, *FILES, preset="maven")

    users = session.scalars(select(User)).all()
    assert len(users) == 41
    for user in users:
        validate_email(user.email, check_deliverability=False)
        assert not verify_password(user.password_hash, "")
    moses = next(u for u in users if u.full_name == "Moses Frase")
    assert moses.email == "moses.frase@imported.example"
    outcome = auth_service.sign_in(
        session, moses.email, "any password at all", "127.0.0.1", auth_service.SignInPolicy()
    )
    assert not outcome.ok


def test_won_amount_per_regional_office_matches_the_csv(session: Session) -> None:
    run(session, *FILES, preset="maven")

    region = aliased(Team)
    rows = session.execute(
        select(region.name, Opportunity.amount)
        .join(Team, Team.id == Opportunity.team_id)
        .join(region, region.id == Team.parent_id)
        .join(StageRow, StageRow.id == Opportunity.stage_id)
        .where(StageRow.name == "Won")
    ).tuples()
    ours: dict[str, Decimal] = defaultdict(Decimal)
    for name, amount in rows:
        ours[name] += amount
    office = {r["sales_agent"]: r["regional_office"] for r in _csv("sales_teams.csv")}
    expected: dict[str, Decimal] = defaultdict(Decimal)
    for r in _csv("sales_pipeline.csv"):
        if r["deal_stage"] == "Won":
            expected[office[r["sales_agent"]]] += Decimal(r["close_value"])
    assert ours == expected
    assert sum(expected.values()) == Decimal(10005534)


def test_accounts_products_lines_and_dated_stage_history(session: Session) -> None:
    run(session, *FILES, preset="maven")

    accounts = {a.name: a for a in session.scalars(select(Account))}
    assert len(accounts) == 85
    acme = accounts["Acme Corporation"]
    assert (acme.industry, acme.annual_revenue, acme.employees) == (
        "technology",
        Decimal("1100040000.00"),
        2822,
    )
    assert (acme.country, acme.year_established) == ("United States", 1996)
    assert accounts["Bioholding"].country == "Philippines"
    assert accounts["Bluth Company"].parent_name == "Acme Corporation"
    prices = {p.name: p.list_price for p in session.scalars(select(Product))}
    assert prices["GTX Pro"] == Decimal("4821.00") and len(prices) == 7

    def opp(external_id: str) -> Opportunity:
        return session.scalars(
            select(Opportunity).where(Opportunity.external_id == external_id)
        ).one()

    won = opp("Z063OYW0")  # Won, GTXPro, close_value 4514
    line = session.scalars(select(LineItem).where(LineItem.opportunity_id == won.id)).one()
    assert (line.quantity, line.list_price, line.net_price) == (1, Decimal("4821.00"), 4514)
    assert won.amount == Decimal("4514.00") and won.name == "GTX Pro for Isdom"
    assert (won.engaged_on, won.close_date) == (date(2016, 10, 25), date(2017, 3, 11))
    history = session.execute(
        select(
            OpportunityChange.old_value, OpportunityChange.new_value, OpportunityChange.changed_at
        )
        .where(OpportunityChange.opportunity_id == won.id)
        .order_by(OpportunityChange.changed_at)
    ).all()
    assert [tuple(h) for h in history] == [
        (None, "Engaging", datetime(2016, 10, 25, tzinfo=UTC)),
        ("Engaging", "Won", datetime(2017, 3, 11, tzinfo=UTC)),
    ]
    pipeline = _csv("sales_pipeline.csv")
    lost = next(r for r in pipeline if r["deal_stage"] == "Lost")
    open_deal = next(r for r in pipeline if r["deal_stage"] == "Prospecting" and not r["account"])
    for row in (lost, open_deal):
        product = "GTX Pro" if row["product"] == "GTXPro" else row["product"]
        assert opp(row["opportunity_id"]).amount == prices[product]
    assert opp(open_deal["opportunity_id"]).account_id is None
    assert session.scalar(select(func.count()).select_from(LineItem)) == 8800
    assert session.scalar(select(func.count()).select_from(OpportunityChange)) == (
        2 * (4238 + 2473) + 1589
    )
    actions = Counter(session.scalars(select(AuditEntry.action)))
    assert actions["opportunities.imported"] == 1
    assert (actions["user.created"], actions["team.created"]) == (41, 10)


def test_reimport_updates_by_id_and_keeps_history_of_real_changes(
    session: Session, tmp_path: Path
) -> None:
    run(session, *FILES, preset="maven")
    before = counts(session)
    again = run(session, *FILES, preset="maven")
    assert (again.created, again.updated, again.unchanged) == (0, 0, 8800)
    assert counts(session) == before | {"audit_entries": before["audit_entries"] + 1}

    for name in MAVEN_FILES:
        shutil.copy(MAVEN / name, tmp_path / name)
    rows = _csv("sales_pipeline.csv")
    edits = {
        "Z063OYW0": {"close_value": "4600"},  # a won deal's amount
        "1C1I7A6R": {"close_date": "2017-03-02"},  # a won deal's close date
    }
    engaging = next(r for r in rows if r["deal_stage"] == "Engaging" and r["account"])
    edits[engaging["opportunity_id"]] = {
        "deal_stage": "Won",
        "close_date": "2017-12-30",
        "close_value": "999",
    }
    for row in rows:
        row.update(edits.get(row["opportunity_id"], {}))
    with (tmp_path / "sales_pipeline.csv").open("w", encoding="utf-8", newline="") as fh:
        out = csv.DictWriter(fh, fieldnames=list(rows[0]))
        out.writeheader()
        out.writerows(rows)

    started = datetime.now(UTC)
    report = run(session, *[tmp_path / n for n in MAVEN_FILES], preset="maven")

    assert (report.created, report.updated, report.unchanged) == (0, 3, 8797)
    after = counts(session)
    assert after["opportunities"] == 8800 and after["users"] == before["users"]
    assert after["opportunity_changes"] == before["opportunity_changes"] + 5
    changes = session.execute(
        select(
            Opportunity.external_id,
            OpportunityChange.field,
            OpportunityChange.old_value,
            OpportunityChange.new_value,
            OpportunityChange.changed_at,
        )
        .join(Opportunity, Opportunity.id == OpportunityChange.opportunity_id)
        .where(OpportunityChange.changed_at >= started)
        .order_by(Opportunity.external_id, OpportunityChange.field)
    ).all()
    assert {c.changed_at for c in changes} == {changes[0].changed_at}
    eid = engaging["opportunity_id"]
    list_price = session.scalar(
        select(LineItem.list_price)
        .join(Opportunity, Opportunity.id == LineItem.opportunity_id)
        .where(Opportunity.external_id == eid)
    )
    assert sorted((c[0], c[1], c[2], c[3]) for c in changes) == sorted(
        [
            ("1C1I7A6R", "close_date", "2017-03-01", "2017-03-02"),
            ("Z063OYW0", "amount", "4514.00", "4600.00"),
            (eid, "stage", "Engaging", "Won"),
            (eid, "amount", str(list_price), "999.00"),
            (eid, "close_date", None, "2017-12-30"),
        ]
    )
    line = session.scalars(
        select(LineItem)
        .join(Opportunity, Opportunity.id == LineItem.opportunity_id)
        .where(Opportunity.external_id == "Z063OYW0")
    ).one()
    assert line.net_price == Decimal("4600.00")


def test_preview_counts_and_writes_nothing(session: Session) -> None:
    world = make_world(session)
    before = counts(session)

    report = run(session, *FILES, preset="maven", principal=world.admin, dry_run=True)

    assert report.dry_run and not report.written
    # Initech exists already: it gets the file's details.
    assert (report.created, report.users_created, report.accounts_created) == (8800, 41, 84)
    assert report.accounts_updated == 1
    assert counts(session) == before
