"""Bad files: a clear problem with file, line and column, and nothing written (or only the
good rows, with the bad ones in REJECTS.csv, when asked)."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.importing.helpers import (
    GENERIC_HEADER,
    counts,
    deal,
    make_world,
    messages,
    run,
    write_csv,
)
from valuescout.deals.models import Opportunity

STAGES = "Prospecting, Qualifying, Engaging, Proposal, Negotiation, Won, Lost"


@pytest.fixture()
def world(session: Session) -> None:
    make_world(session)


def _refused(session: Session, path: Path, **options: object) -> list[str]:
    """Import a bad file; check nothing changed; return the problems as text."""
    before = counts(session)
    report = run(session, path, **options)  # type: ignore[arg-type]
    assert not report.written
    assert counts(session) == before
    return messages(report)


def test_a_file_that_is_not_utf8_names_its_line_and_the_encoding(
    world: None, session: Session, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "excel.csv",
        [deal("E-1"), deal("E-2", name="Café Müller retrofit")],
        encoding="cp1252",
    )

    (problem,) = _refused(session, path)

    assert problem.startswith(
        "excel.csv, line 3: The file is not valid utf-8 text: byte e9 at position 8 of the line."
    )
    assert "cp1252" in problem
    report = run(session, path, encoding="cp1252")
    assert report.written and report.created == 2
    name = session.scalar(select(Opportunity.name).where(Opportunity.external_id == "E-2"))
    assert name == "Café Müller retrofit"


def test_missing_required_columns_are_listed_with_the_columns_found(
    world: None, session: Session, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "d.csv", [["X", "Deal", "Won"]], ["id", "name", "stage"])

    assert _refused(session, path) == [
        "d.csv, line 1: missing required columns: external_id, amount, close_date. The columns "
        "found are: id, name, stage. Name the columns that hold them under columns: in a "
        "mapping file (e.g. external_id: Opp Ref)."
    ]
    sf = write_csv(tmp_path / "sf.csv", [["X"]], ["Opportunity Name"])
    (problem,) = _refused(session, sf, preset="salesforce")
    assert "external_id (as 'Opportunity ID')" in problem and "stage (as 'Stage')" in problem


def test_bad_values_each_name_their_line_and_column(
    world: None, session: Session, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        [
            deal("B-1"),
            deal("B-2", close_date="2024-02-30"),
            deal("B-3", amount="-5"),
            deal("B-4", amount="12,5"),
            deal("B-5", stage="Contracting"),
            deal("B-6", "Won", close_date=""),
            ["", " ", "Acme", "ann@example.com", "Won", "1", "USD", "2024-01-01", "new"],
            deal("B-8", currency="dollars", deal_type="upsell"),
            ["B-9", "too few values"],
        ],
    )

    assert _refused(session, path) == [
        "d.csv, line 3, column 'close_date': '2024-02-30' is not a date like 2024-03-05 "
        "(%Y-%m-%d); if the file writes dates another way, set date_format in a mapping file",
        "d.csv, line 4, column 'amount': amount must not be negative ('-5')",
        "d.csv, line 5, column 'amount': '12,5' is not a number like 12500.00 (a decimal comma "
        "is not read; export numbers with a decimal point)",
        f"d.csv, line 6, column 'stage': unknown stage 'Contracting'; our stages are {STAGES}. "
        'Map it in a mapping file under stages: (e.g. "Contracting": Engaging)',
        "d.csv, line 7, column 'close_date': is blank; a Won deal needs its close date",
        "d.csv, line 8, column 'external_id': is blank; every row needs its id",
        "d.csv, line 8, column 'name': is blank",
        "d.csv, line 9, column 'currency': 'DOLLARS' is not a three-letter currency code like USD",
        "d.csv, line 9, column 'deal_type': unknown deal type 'upsell'; ours are new, expansion, "
        "renewal. Map it in a mapping file under deal_types:",
        "d.csv, line 10: The row has 2 values; the header has 9 columns.",
    ]


def test_negative_and_zero_quantities(world: None, session: Session, tmp_path: Path) -> None:
    header = [*GENERIC_HEADER, "product", "quantity"]
    path = write_csv(
        tmp_path / "q.csv",
        [[*deal("Q-1"), "Widget", "-2"], [*deal("Q-2"), "Widget", "0"], [*deal("Q-3"), "", "x"]],
        header,
    )

    assert _refused(session, path) == [
        "q.csv, line 2, column 'quantity': quantity must not be negative ('-2')",
        "q.csv, line 3, column 'quantity': quantity must be more than 0",
        "q.csv, line 4, column 'quantity': 'x' is not a number",
        "q.csv, line 4, column 'quantity': a quantity needs a product on the row",
    ]


@pytest.mark.parametrize("batch_size", [2000, 2])
def test_a_duplicate_external_id_is_refused(
    world: None, session: Session, tmp_path: Path, batch_size: int
) -> None:
    rows = [deal("D-1"), deal("D-2"), deal("D-3"), deal("D-1", amount="5")]
    path = write_csv(tmp_path / "d.csv", rows)

    problems = _refused(session, path, batch_size=batch_size)

    where = "line 2" if batch_size > 4 else "an earlier row of this import"
    assert problems == [
        f"d.csv, line 5, column 'external_id': external_id 'D-1' appears more than once; "
        f"it is also on {where}"
    ]


def test_a_duplicate_of_a_deal_that_existed_before_is_refused_too(
    world: None, session: Session, tmp_path: Path
) -> None:
    run(session, write_csv(tmp_path / "v1.csv", [deal("D-1"), deal("D-2")]))
    path = write_csv(tmp_path / "v2.csv", [deal("D-1"), deal("D-2"), deal("D-1", "Won")])

    problems = _refused(session, path, batch_size=2)

    assert problems == [
        "v2.csv, line 4, column 'external_id': external_id 'D-1' appears more than once; "
        "it is also on an earlier row of this import"
    ]


def test_skip_invalid_imports_the_good_rows_and_writes_the_bad_ones(
    world: None, session: Session, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "d.csv",
        [deal("S-1"), deal("S-2", amount="-1"), deal("S-3", owner="nobody@example.com")],
    )
    rejects = tmp_path / "REJECTS.csv"

    report = run(session, path, rejects=rejects)

    assert report.written and (report.created, report.rejected) == (1, 2)
    assert report.rejects_files == [str(rejects)]
    assert session.scalars(select(Opportunity.external_id)).all() == ["S-1"]
    with rejects.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [*GENERIC_HEADER, "_file", "_line", "_problems"]
    assert rows[1] == [
        *deal("S-2", amount="-1"),
        "d.csv",
        "3",
        "amount: amount must not be negative ('-1')",
    ]
    assert rows[2][:9] == deal("S-3", owner="nobody@example.com")
    assert rows[2][9:11] == ["d.csv", "4"] and "is not a user" in rows[2][11]


def test_skip_invalid_does_not_skip_an_unreadable_file(
    world: None, session: Session, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "d.csv", [deal("S-1"), deal("S-2", name="Señor")], encoding="latin-1"
    )

    problems = _refused(session, path, rejects=tmp_path / "REJECTS.csv")

    assert problems[0].startswith("d.csv, line 3: The file is not valid utf-8 text")


def test_a_refused_import_leaves_the_committed_database_unchanged(
    world: None, session: Session, session_factory: sessionmaker[Session], tmp_path: Path
) -> None:
    run(session, write_csv(tmp_path / "ok.csv", [deal("C-1", amount="10")]))
    session.commit()
    bad = write_csv(tmp_path / "bad.csv", [deal("C-1", amount="20"), deal("C-2", stage="??")])

    report = run(session, bad)
    session.commit()

    assert not report.written and report.updated == 1  # done, then rolled back
    with session_factory() as other:
        amounts = other.execute(select(Opportunity.external_id, Opportunity.amount)).all()
    assert [(e, str(a)) for e, a in amounts] == [("C-1", "10.00")]


def test_rejects_from_files_with_other_columns_go_to_their_own_file(
    world: None, session: Session, tmp_path: Path
) -> None:
    first = write_csv(tmp_path / "a.csv", [deal("A-1"), deal("A-2", amount="x")])
    header = list(reversed(GENERIC_HEADER))
    second = write_csv(tmp_path / "b.csv", [list(reversed(deal("B-1", stage="?")))], header)
    rejects = tmp_path / "REJECTS.csv"

    report = run(session, first, second, rejects=rejects)

    assert report.written and (report.created, report.rejected) == (1, 2)
    assert report.rejects_files == [str(rejects), str(tmp_path / "REJECTS.2.csv")]
    with (tmp_path / "REJECTS.2.csv").open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == [*header, "_file", "_line", "_problems"]
    assert rows[1][:9] == list(reversed(deal("B-1", stage="?")))


def test_a_failure_while_writing_stops_the_import_and_changes_nothing(
    world: None, session: Session, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from valuescout.deals.importing.writer import OpportunityWriter

    calls = []
    write = OpportunityWriter.write

    def failing(self: OpportunityWriter, batch: list[object]) -> object:
        calls.append(len(batch))
        if len(calls) == 2:
            raise RuntimeError("the database went away")
        return write(self, batch)  # type: ignore[arg-type]

    monkeypatch.setattr(OpportunityWriter, "write", failing)
    path = write_csv(tmp_path / "d.csv", [deal(f"F-{i}") for i in range(10)])
    before = counts(session)

    with pytest.raises(RuntimeError, match="went away"):
        run(session, path, batch_size=3)

    assert counts(session) == before and calls[:2] == [3, 3]
