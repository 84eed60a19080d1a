"""Opening transaction-line files: canonical types, bad values by line and column, no drops."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from valuescout.analytics.lines import LinesRefused, connect, open_lines
from valuescout.analytics.mapping import load_mapping
from valuescout.analytics.schema import NAMES, REQUIRED
from valuescout.core.errors import Invalid

HEADER = [*REQUIRED, "currency"]


def _row(i: int, **changes: str) -> dict[str, str]:
    row = {
        "line_id": f"L{i}",
        "invoice_date": "2024-03-05",
        "customer_id": f"C{i % 3}",
        "product_id": "P1",
        "rep_id": "R1",
        "manager_id": "M1",
        "region": "North",
        "segment": "smb",
        "deal_type": "new",
        "quantity": "2",
        "list_price": "100",
        "invoice_price": "90",
        "unit_cost": "40",
        "off_invoice": "5",
        "currency": "USD",
    }
    row.update(changes)
    return row


def _csv(
    path: Path, rows: list[dict[str, str]], header: list[str] = HEADER, delim: str = ","
) -> Path:
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=header, delimiter=delim, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _parquet(path: Path, rows: list[dict[str, object]]) -> Path:
    pq.write_table(pa.Table.from_pylist(rows), path)
    return path


def _refused(path: Path, **kwargs: object) -> LinesRefused:
    with pytest.raises(LinesRefused) as caught:
        open_lines(path, **kwargs)  # type: ignore[arg-type]
    return caught.value


def test_a_good_csv_opens_with_canonical_names_and_types(tmp_path: Path) -> None:
    path = _csv(tmp_path / "lines.csv", [_row(1), _row(2, quantity="1.5", currency=" eur ")])
    lines = open_lines(path)
    assert (lines.format, lines.rows, lines.bad_rows, lines.problems) == ("csv", 2, 0, [])
    rel = lines.relation()
    assert rel.columns == list(NAMES)
    types = dict(zip(rel.columns, map(str, rel.types), strict=True))
    assert types["invoice_date"] == "DATE" and types["quantity"] == "DOUBLE"
    assert types["line_id"] == "VARCHAR" and types["approver_id"] == "VARCHAR"
    got = lines.con.execute(
        "SELECT line_id, invoice_date, quantity, list_price, approver_id, currency "
        "FROM lines ORDER BY line_id"
    ).fetchall()
    assert got == [
        ("L1", date(2024, 3, 5), 2.0, 100.0, None, "USD"),
        ("L2", date(2024, 3, 5), 1.5, 100.0, None, "EUR"),
    ]


def test_a_good_parquet_opens_with_its_own_types_cast(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {**_row(1), "invoice_date": date(2024, 1, 2), "quantity": 3, "list_price": 10.5,
         "invoice_price": 9.0, "unit_cost": 4, "off_invoice": 0.0, "customer_id": 17},
    ]  # fmt: skip
    lines = open_lines(_parquet(tmp_path / "lines.parquet", rows), view="mine")
    assert (lines.format, lines.view, lines.rows, lines.bad_rows) == ("parquet", "mine", 1, 0)
    got = lines.con.execute("SELECT invoice_date, quantity, customer_id FROM mine").fetchall()
    assert got == [(date(2024, 1, 2), 3.0, "17")]


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("line_id", " ", "missing"),
        ("customer_id", "", "missing"),
        ("deal_type", "", "missing"),
        ("invoice_date", "05.03.2024", "not a date like 2024-03-05: 05.03.2024"),
        ("invoice_date", "2024-02-30", "not a date like 2024-03-05: 2024-02-30"),
        ("invoice_date", "1850-01-01", "date outside 1900-2199: 1850-01-01"),
        ("invoice_date", "", "missing"),
        ("quantity", "0", "must be more than 0: 0"),
        ("quantity", "-2", "must be more than 0: -2"),
        ("quantity", "two", "not a number: two"),
        ("quantity", "1e13", "too large: 1e13"),
        ("list_price", "0", "must be more than 0: 0"),
        ("list_price", "nan", "not a finite number: nan"),
        ("list_price", "12,50", "not a number: 12,50"),
        ("invoice_price", "-1", "must be at least 0: -1"),
        ("invoice_price", "inf", "not a finite number: inf"),
        ("invoice_price", "1001", "more than 10 times the list price 100.0"),
        ("unit_cost", "-0.01", "must be at least 0: -0.01"),
        ("off_invoice", "-5", "must be at least 0: -5"),
        ("off_invoice", "", "missing"),
        ("currency", "EURO", "not a three-letter currency code: EURO"),
    ],
)
def test_each_bad_value_is_reported_at_its_line_and_column(
    tmp_path: Path, column: str, value: str, message: str
) -> None:
    path = _csv(tmp_path / "lines.csv", [_row(1), _row(2), _row(3, **{column: value}), _row(4)])
    refused = _refused(path)
    assert [(p.line, p.column) for p in refused.problems] == [(4, column)]
    assert message in refused.problems[0].message
    assert str(refused.problems[0]).startswith(f"lines.csv, line 4, column '{column}': ")
    assert (refused.rows, refused.bad_rows, refused.problem_count) == (4, 1, 1)


def test_ten_times_list_is_still_accepted(tmp_path: Path) -> None:
    path = _csv(tmp_path / "lines.csv", [_row(1, invoice_price="1000", off_invoice="0")])
    assert open_lines(path).bad_rows == 0


def test_parquet_problems_name_the_row(tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [
        {**_row(i), "quantity": -1.0 if i == 3 else 1.0} for i in range(1, 6)
    ]
    refused = _refused(_parquet(tmp_path / "lines.parquet", rows))
    assert [str(p) for p in refused.problems] == [
        "lines.parquet, row 3, column 'quantity': must be more than 0: -1.0"
    ]


def test_refusal_lists_the_first_problems_and_the_totals(tmp_path: Path) -> None:
    rows = [_row(i, quantity="0" if i % 2 else "1", unit_cost="-1" if i == 3 else "1")
            for i in range(1, 21)]  # fmt: skip
    refused = _refused(_csv(tmp_path / "lines.csv", rows), max_problems=3)
    assert [(p.line, p.column) for p in refused.problems] == [
        (2, "quantity"), (4, "quantity"), (4, "unit_cost"),
    ]  # fmt: skip
    assert (refused.rows, refused.bad_rows, refused.problem_count) == (20, 10, 11)
    assert "10 of 20 lines have bad values (11 problems); nothing was used" in refused.message
    assert refused.details == [str(p) for p in refused.problems]


def test_excluding_drops_exactly_the_reported_rows(tmp_path: Path) -> None:
    rows = [_row(i, quantity="x" if i in (2, 7) else "1") for i in range(1, 11)]
    rows[4]["invoice_date"] = "never"
    lines = open_lines(_csv(tmp_path / "lines.csv", rows), on_bad="exclude")
    assert (lines.rows, lines.bad_rows, lines.good_rows, lines.problem_count) == (10, 3, 7, 3)
    assert lines.by_column == {"quantity": 2, "invoice_date": 1}
    assert [p.line for p in lines.problems] == [3, 6, 8]
    kept = [r[0] for r in lines.con.execute("SELECT line_id FROM lines").fetchall()]
    assert sorted(kept) == sorted(f"L{i}" for i in (1, 3, 4, 6, 8, 9, 10))
    assert len(kept) + lines.bad_rows == lines.rows


def test_line_numbers_hold_across_a_parallel_scan(tmp_path: Path) -> None:
    """300,000 rows: DuckDB reads the CSV in parallel chunks; the numbers stay the file's."""
    path = tmp_path / "big.csv"
    con = duckdb.connect()
    cols = ", ".join(
        f"'{v}' AS {k}" for k, v in _row(0).items() if k not in ("line_id", "quantity")
    )
    con.execute(
        f"COPY (SELECT 'L' || i AS line_id, {cols}, "  # noqa: S608 - constants only
        f"CASE WHEN i IN (3, 123456, 299999) THEN '-1' ELSE '1' END AS quantity "
        f"FROM range(300000) t(i) ORDER BY i) TO '{path}' (HEADER)"
    )
    lines = open_lines(path, on_bad="exclude", con=connect(threads=2))
    assert [p.line for p in lines.problems] == [5, 123458, 300001]
    assert (lines.rows, lines.good_rows) == (300_000, 299_997)
    count = lines.con.execute("SELECT count(*) FROM lines").fetchone()
    assert count == (299_997,)


def test_missing_required_columns_are_named_with_the_columns_found(tmp_path: Path) -> None:
    header = [h for h in HEADER if h not in ("rep_id", "unit_cost")]
    refused = _refused(_csv(tmp_path / "lines.csv", [_row(1)], header=header))
    assert refused.message.startswith("lines.csv: required columns missing: rep_id, unit_cost.")
    assert f"The file has: {', '.join(header)}" in refused.message


def test_a_mapping_renames_columns_and_fills_constants(tmp_path: Path) -> None:
    renames = {"rep_id": "Sales Rep", "invoice_date": "Datum", "quantity": "Menge"}
    header = [renames.get(h, h) for h in HEADER if h != "currency"]
    rows = [{renames.get(k, k): v for k, v in _row(i, invoice_date="05.03.2024").items()}
            for i in (1, 2)]  # fmt: skip
    rows[1]["Menge"] = "0"
    path = _csv(tmp_path / "export.csv", rows, header=header, delim=";")
    mapping = load_mapping(
        "columns:\n  rep_id: Sales Rep\n  invoice_date: Datum\n  quantity: menge\n"
        'constants:\n  currency: eur\ndate_format: "%d.%m.%Y"\ndelimiter: ";"\n'
    )
    refused = _refused(path, mapping=mapping)
    assert [str(p) for p in refused.problems] == [
        "export.csv, line 3, column 'Menge': must be more than 0: 0"
    ]
    lines = open_lines(path, mapping=mapping, on_bad="exclude")
    got = lines.con.execute("SELECT rep_id, invoice_date, quantity, currency FROM lines")
    assert got.fetchall() == [("R1", date(2024, 3, 5), 2.0, "EUR")]


def test_a_mapped_column_the_file_lacks_is_named(tmp_path: Path) -> None:
    path = _csv(tmp_path / "lines.csv", [_row(1)])
    refused = _refused(path, mapping=load_mapping("columns:\n  rep_id: Seller\n"))
    assert "required columns missing: rep_id (mapped to 'Seller')." in refused.message


def test_header_names_match_without_case(tmp_path: Path) -> None:
    header = [h.upper() for h in HEADER]
    rows = [{k.upper(): v for k, v in _row(1).items()}]
    assert open_lines(_csv(tmp_path / "lines.csv", rows, header=header)).rows == 1


def test_a_broken_csv_is_refused_with_its_lines_in_both_modes(tmp_path: Path) -> None:
    path = _csv(tmp_path / "lines.csv", [_row(i) for i in range(1, 6)])
    text = path.read_text().splitlines()
    text[2] = text[2].rsplit(",", 2)[0]  # line 3: two fields short
    text[4] += ",extra"  # line 5: one field too many
    path.write_text("\n".join(text) + "\n")
    for on_bad in ("refuse", "exclude"):
        refused = _refused(path, on_bad=on_bad)
        assert [(p.line, p.column) for p in refused.problems] == [
            (3, "off_invoice"), (3, "currency"), (5, ""),
        ]  # fmt: skip
        assert "missing columns" in refused.problems[0].message
        assert "too many columns" in refused.problems[2].message
        assert (refused.bad_rows, refused.problem_count) == (2, 3)
        assert refused.message.startswith("lines.csv: 2 lines cannot be read as CSV rows")
        assert "structure is broken" in refused.message


def test_header_problems(tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_text("")
    with pytest.raises(Invalid, match="empty"):
        open_lines(tmp_path / "empty.csv")
    (tmp_path / "twice.csv").write_text(",".join([*HEADER, "Rep_ID", ""]) + "\n")
    with pytest.raises(Invalid, match=r"line 1: column 17 has no name; named twice: Rep_ID"):
        open_lines(tmp_path / "twice.csv")
    with pytest.raises(Invalid, match="no such file"):
        open_lines(tmp_path / "nowhere.parquet")


def test_no_extension_is_installed_or_loaded_from_anywhere(tmp_path: Path) -> None:
    con = connect()
    settings = dict(
        con.execute(
            "SELECT name, value FROM duckdb_settings() WHERE name IN ("
            "'autoinstall_known_extensions', 'autoload_known_extensions', "
            "'allow_community_extensions', 'enable_progress_bar')"
        ).fetchall()
    )
    assert settings == {
        "autoinstall_known_extensions": "false",
        "autoload_known_extensions": "false",
        "allow_community_extensions": "false",
        "enable_progress_bar": "false",
    }
    csv_lines = open_lines(_csv(tmp_path / "a.csv", [_row(1)]), con=con, view="a")
    rows: list[dict[str, object]] = [{**_row(2), "quantity": 1.0}]
    pq_lines = open_lines(_parquet(tmp_path / "b.parquet", rows), con=con, view="b")
    assert (csv_lines.rows, pq_lines.rows) == (1, 1)
    loaded = con.execute(
        "SELECT extension_name, install_mode FROM duckdb_extensions() WHERE loaded"
    ).fetchall()
    assert loaded and all(mode == "STATICALLY_LINKED" for _, mode in loaded), loaded
    with pytest.raises(duckdb.Error):  # httpfs is not built in: not fetched, not loaded
        con.execute("SELECT * FROM read_parquet('https://example.invalid/x.parquet')")
