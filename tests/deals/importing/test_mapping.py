"""The mapping file: parsed strictly (every problem with its line), then applied to imports."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.deals.importing.helpers import make_world, messages, run, write_csv
from valuescout.deals.importing.mapping import MappingError, load_mapping
from valuescout.deals.models import Account, Opportunity, Stage

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "crm-mapping.yaml"


def test_scalars_are_text_and_sections_are_read() -> None:
    mapping = load_mapping(
        """
columns: {external_id: Opp Ref, close_date: Closing}
stages:
  "Contracting": Negotiation
  no: Lost            # YAML would make this false; here it is the text "no"
values:
  sector: {technolgy: technology}
date_format: "%d.%m.%Y"
""",
        "m.yaml",
    )
    assert mapping.columns == {"external_id": "Opp Ref", "close_date": "Closing"}
    assert mapping.stages == {"Contracting": "Negotiation", "no": "Lost"}
    assert mapping.stage_lines == {"Contracting": 4, "no": 5}
    assert mapping.values == {"sector": {"technolgy": "technology"}}
    assert mapping.date_format == "%d.%m.%Y"


def test_every_problem_is_listed_with_its_line() -> None:
    with pytest.raises(MappingError) as caught:
        load_mapping(
            """columns:
  external_id: Opp Ref
  reference: Ref
stage: {}
owners: [a, b]
products:
  GTXPro:
date_format: "%Y"
""",
            "m.yaml",
        )
    assert caught.value.problems == [
        "line 3: columns: 'reference' is not one of our fields (external_id, name, stage, "
        "amount, close_date, account, owner, currency, deal_type, product, quantity, "
        "engaged_on); write `our field: the file's column`",
        "line 4: unknown section 'stage'; the sections are columns, stages, deal_types, "
        "products, owners, accounts, values, date_format",
        "line 5: owners: expected `from: to` entries",
        "line 7: products: each entry needs a text on both sides of `:`",
        "line 8: date_format: '%Y' does not read back a day, month and year (use codes like "
        "%d.%m.%Y or %m/%d/%Y)",
    ]
    with pytest.raises(MappingError, match="line 1: not valid YAML"):
        load_mapping("columns: {external_id: [", "m.yaml")


def test_the_example_mapping_file_is_valid() -> None:
    mapping = load_mapping(EXAMPLE.read_text(encoding="utf-8"), str(EXAMPLE))
    assert mapping.columns and mapping.stages and mapping.values and mapping.date_format


def test_columns_stages_typos_owners_accounts_and_dates_from_the_mapping(
    session: Session, tmp_path: Path
) -> None:
    world = make_world(session)
    header = ["Opp Ref", "Title", "Customer", "Rep", "Phase", "Value", "Closing", "Kind"]
    path = write_csv(
        tmp_path / "crm.csv",
        [
            [
                "R-1",
                "Pumps",
                "ACME Inc.",
                "A. Seller",
                "Contracting",
                "10.00",
                "05.03.2024",
                "Upsell",
            ],
            [
                "R-2",
                "Valves",
                "Globex",
                "bob@example.com",
                "Enagaging",
                "20.00",
                "31.12.2024",
                "New",
            ],
        ],
        header,
    )
    mapping = """
columns:
  external_id: Opp Ref
  name: Title
  account: Customer
  owner: Rep
  stage: Phase
  amount: Value
  close_date: Closing
  deal_type: Kind
stages: {Contracting: Negotiation}
deal_types: {Upsell: expansion}
owners: {A. Seller: ann@example.com}
accounts: {ACME Inc.: Acme}
values:
  Phase: {Enagaging: Engaging}
date_format: "%d.%m.%Y"
"""
    report = run(session, path, mapping=mapping, principal=world.admin)

    assert report.written and report.problem_count == 0, report.problems
    assert report.warnings == [
        "Phase 'Enagaging' read as 'Engaging': as the mapping file says (1 row)"
    ]
    rows = session.execute(
        select(
            Opportunity.external_id,
            Stage.name,
            Opportunity.owner_id,
            Account.name,
            Opportunity.close_date,
            Opportunity.deal_type,
            Opportunity.amount,
        )
        .join(Stage, Stage.id == Opportunity.stage_id)
        .join(Account, Account.id == Opportunity.account_id)
        .order_by(Opportunity.external_id)
    ).all()
    assert [tuple(r) for r in rows] == [
        ("R-1", "Negotiation", world.ann.id, "Acme", date(2024, 3, 5), "expansion", Decimal(10)),
        ("R-2", "Engaging", world.bob.id, "Globex", date(2024, 12, 31), "new", Decimal(20)),
    ]


def test_mapping_problems_that_need_the_database_or_the_file(
    session: Session, tmp_path: Path
) -> None:
    make_world(session)
    path = write_csv(
        tmp_path / "d.csv",
        [["1", "x", "Won", "1", "2024-01-01"]],
        ["id", "name", "stage", "amount", "close_date"],
    )
    report = run(
        session,
        path,
        mapping="columns: {external_id: Ref}\nstages:\n  Done: Closed\n",
    )
    assert messages(report) == [
        "mapping.yaml, line 3, column 'stages': maps to 'Closed', which is not one of our "
        "stages (Prospecting, Qualifying, Engaging, Proposal, Negotiation, Won, Lost)",
        "d.csv, line 1, column 'Ref': the mapping file names 'Ref' as the external_id column, "
        "but the file has no such column; its columns are: id, name, stage, amount, close_date",
    ]
