"""The generic layout: create, update by external id with history, owners and accounts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.deals.importing.helpers import (
    counts,
    deal,
    make_world,
    messages,
    run,
    write_csv,
)
from valuescout.core.audit import AuditEntry
from valuescout.core.errors import Forbidden, Invalid
from valuescout.core.security import verify_password
from valuescout.deals.accounts import name_key
from valuescout.deals.models import Account, LineItem, Opportunity, OpportunityChange, Product
from valuescout.identity.models import User
from valuescout.identity.roles import Role
from valuescout.identity.service import principal_of


def _opp(session: Session, external_id: str) -> Opportunity:
    return session.scalars(select(Opportunity).where(Opportunity.external_id == external_id)).one()


def test_creates_deals_with_owner_team_account_and_values(session: Session, tmp_path: Path) -> None:
    world = make_world(session)
    file = write_csv(
        tmp_path / "deals.csv",
        [
            deal("A-1", "Won", "12500.50", account=" acme ", deal_type="renewal"),
            deal("A-2", "Prospecting", "300", owner="Bob Seller", account="", close_date=""),
            deal("A-3", "Negotiation", "99.999", account="Globex", currency="eur"),
        ],
    )

    report = run(session, file, principal=world.admin)

    assert report.written and report.problem_count == 0
    assert (report.created, report.updated, report.rows) == (3, 0, 3)
    a1, a2, a3 = (_opp(session, f"A-{i}") for i in (1, 2, 3))
    acme = session.scalars(select(Account).where(Account.name_key == "acme")).one()
    assert (a1.owner_id, a1.team_id, a1.account_id) == (world.ann.id, world.ann.team_id, acme.id)
    assert (a1.amount, a1.currency, a1.deal_type, a1.close_date) == (
        Decimal("12500.50"),
        "USD",
        "renewal",
        date(2024, 3, 5),
    )
    assert (a2.owner_id, a2.team_id, a2.account_id, a2.close_date) == (
        world.bob.id,
        world.bob.team_id,
        None,
        None,
    )
    assert (a3.amount, a3.currency) == (Decimal("100.00"), "EUR")
    assert report.warnings == ["account blank on open deals: no account (1 row)"]
    entry = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "opportunities.imported")
    ).one()
    assert entry.actor_id == world.org.user("admin").id and entry.entity_id == "deals.csv"
    assert entry.changes["created"] == 3 and entry.changes["preset"] == "generic"
    assert session.scalar(select(OpportunityChange.id)) is None  # a new deal is not a change


def test_reimport_updates_and_records_only_real_changes(session: Session, tmp_path: Path) -> None:
    world = make_world(session)
    rows = [deal("A-1", "Engaging", "1000"), deal("A-2"), deal("A-3")]
    run(session, write_csv(tmp_path / "v1.csv", rows), principal=world.admin)
    before = counts(session)

    rows[0] = deal("A-1", "Won", "1200", close_date="2024-04-01")
    rows[1] = deal("A-2", name="Renamed deal")  # not a tracked field: no history row
    report = run(session, write_csv(tmp_path / "v2.csv", rows), principal=world.admin)

    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    assert counts(session)["opportunities"] == before["opportunities"]
    a1 = _opp(session, "A-1")
    assert (a1.amount, a1.close_date) == (Decimal("1200.00"), date(2024, 4, 1))
    assert a1.updated_at > a1.created_at
    changes = session.scalars(select(OpportunityChange).order_by(OpportunityChange.field)).all()
    assert [(c.field, c.old_value, c.new_value) for c in changes] == [
        ("amount", "1000.00", "1200.00"),
        ("close_date", "2024-03-05", "2024-04-01"),
        ("stage", "Engaging", "Won"),
    ]
    assert {c.opportunity_id for c in changes} == {a1.id}
    assert {c.actor_id for c in changes} == {world.org.user("admin").id}
    assert len({c.changed_at for c in changes}) == 1
    assert _opp(session, "A-2").name == "Renamed deal"


def test_unknown_owner_and_account_are_errors_unless_created(
    session: Session, tmp_path: Path
) -> None:
    world = make_world(session)
    file = write_csv(
        tmp_path / "deals.csv",
        [
            deal("N-1", owner="Carla Newhire", account="Umbrella"),
            deal("N-2", owner="dan.new@example.com", account="umbrella "),
            deal("N-3", owner="Carla Newhire", account="Acme"),
        ],
    )
    before = counts(session)

    refused = run(session, file, principal=world.admin)

    assert not refused.written and counts(session) == before
    assert messages(refused)[:2] == [
        "deals.csv, line 2, column 'owner': owner 'Carla Newhire' is not a user; add the user "
        "first, map the name to a user's email under owners: in a mapping file, or let the "
        "import create missing owners and accounts (--create-missing)",
        "deals.csv, line 2, column 'account': account 'Umbrella' does not exist; add it first, "
        "map the name to one of ours under accounts: in a mapping file, or let the import "
        "create missing owners and accounts (--create-missing)",
    ]
    assert refused.problem_count == 5
    assert refused.unknown_values == [
        "owner 'Carla Newhire' (2 rows)",
        "account 'Umbrella' (2 rows)",
        "owner 'dan.new@example.com' (1 row)",
    ]

    report = run(session, file, principal=world.admin, create_missing=True)

    assert report.written and (report.created, report.users_created) == (3, 2)
    assert report.accounts_created == 1
    carla = session.scalars(select(User).where(User.full_name == "Carla Newhire")).one()
    dan = session.scalars(select(User).where(User.email == "dan.new@example.com")).one()
    assert (carla.email, carla.role, carla.team_id) == (
        "carla.newhire@imported.example",
        Role.SELLER,
        None,
    )
    assert dan.full_name == "Dan New"
    assert not verify_password(carla.password_hash, "")
    umbrella = session.scalars(select(Account).where(Account.name_key == "umbrella")).one()
    assert {_opp(session, e).account_id for e in ("N-1", "N-2")} == {umbrella.id}
    created = session.scalars(select(AuditEntry).where(AuditEntry.action == "user.created"))
    assert {e.changes["email"] for e in created} >= {carla.email, dan.email}


def test_rows_without_an_owner_take_the_default_owner(session: Session, tmp_path: Path) -> None:
    world = make_world(session)
    header = ["external_id", "name", "stage", "amount", "close_date"]
    file = write_csv(tmp_path / "d.csv", [["X-1", "Deal", "Won", "5", "2024-01-02"]], header)

    refused = run(session, file)
    assert messages(refused) == [
        "d.csv, line 2, column 'owner': no owner: the row has none and no default owner was given"
    ]
    report = run(session, file, default_owner="Bob Seller")
    assert report.written and _opp(session, "X-1").owner_id == world.bob.id


def test_an_ambiguous_owner_name_must_be_mapped(session: Session, tmp_path: Path) -> None:
    world = make_world(session)
    world.bob.full_name = "Ann Seller"
    session.flush()
    file = write_csv(tmp_path / "d.csv", [deal("X-1", owner="ann seller")])

    report = run(session, file)

    assert messages(report) == [
        "d.csv, line 2, column 'owner': owner 'ann seller' matches 2 users; map it to one "
        "user's email under owners: in a mapping file"
    ]


def test_product_and_quantity_make_a_line_item(session: Session, tmp_path: Path) -> None:
    world = make_world(session)
    session.add(Product(name="Flow Meter X", name_key=name_key("Flow Meter X"), list_price=500))
    session.flush()
    header = [
        "external_id",
        "name",
        "stage",
        "amount",
        "close_date",
        "owner",
        "product",
        "quantity",
    ]
    row = ["P-1", "Meters", "Won", "900", "2024-01-02", "ann@example.com", "flowmeter x", "2"]
    file = write_csv(tmp_path / "d.csv", [row], header)

    report = run(session, file, principal=world.admin)

    assert report.written
    line = session.scalars(select(LineItem)).one()
    assert (line.quantity, line.list_price, line.net_price) == (2, 500, Decimal("450.00"))
    assert report.warnings == [
        "product 'flowmeter x' matched 'Flow Meter X' ignoring spaces and case (1 row)"
    ]
    again = run(session, file, principal=world.admin)
    assert again.unchanged == 1 and session.scalars(select(LineItem)).one().id == line.id
    write_csv(file, [[*row[:-1], "3"]], header)  # only the quantity changes
    changed = run(session, file, principal=world.admin)
    assert (changed.updated, changed.history) == (1, 0)
    session.expire_all()  # the line was replaced by a bulk statement, behind the ORM's back
    line = session.scalars(select(LineItem)).one()
    assert (line.quantity, line.net_price) == (3, Decimal("300.00"))


def test_only_admins_may_import(session: Session, tmp_path: Path) -> None:
    world = make_world(session)
    file = write_csv(tmp_path / "d.csv", [deal("X-1")])
    for role in ("seller", "manager", "executive", "price_desk", "contributor"):
        principal = principal_of(world.org.user(role))
        with pytest.raises(Forbidden):
            run(session, file, principal=principal)
        with pytest.raises(Forbidden):
            run(session, file, principal=principal, dry_run=True)
    with pytest.raises(Invalid, match="Unknown preset 'sap'"):
        run(session, file, preset="sap")
    with pytest.raises(Invalid, match="Unknown encoding 'klingon'"):
        run(session, file, encoding="klingon")
