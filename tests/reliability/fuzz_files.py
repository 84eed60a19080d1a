"""Hypothesis strategies for broken input files: a valid CSV table, then damage.

`broken_csv(rows)` takes a strategy of valid rows (header first) and returns file bytes with
some of: cells replaced by nasty values (broken quotes, NUL, lone surrogates, BOMs, numbers
like 1e309 / NaN / $1,2,3, dates out of range), rows with too few or too many cells, mixed line
endings, another encoding (Latin-1, CP1252, UTF-16, UTF-8 with BOM), bytes inserted, the file
cut short. `random_bytes()` is any bytes at all.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

# Settings for fuzz tests that take a test's fixtures (a database, a client): CI replays one
# fixed set (a landing must not hang on a new random find); locally, every run explores.
FUZZ = settings(
    max_examples=40,
    deadline=None,
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

NASTY_CELLS = (
    "",
    " ",
    '"',
    '"unterminated',
    'in"side',
    '""',
    "\x00",
    "a\x00b",
    "\ud800",  # a lone surrogate: not encodable as UTF-8 (written with surrogatepass)
    "\udfff tail",
    "\ufeff",
    "\ufeffbom inside",
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "Infinity",
    "-0",
    "-0.0",
    "$1,2,3",
    "1,2,3",
    "(500)",
    "USD 1e400",
    "9" * 40,
    "0.0000000000000000000000001",
    "0000-00-00",
    "9999-12-31",
    "10000-01-01",
    "0001-01-01",
    "2024-02-30",
    "2024-13-01",
    "31/12/1899",
    "-2024-01-01",
    "\r",
    "\n",
    "line\nbreak",
    "\u2028",
    "\u00e9t\u00e9",
    "Caf\u00e9 M\u00fcller",
    "\U0001f4a9",
    "=HYPERLINK(1)",
    "\t",
    ";",
    ",",
    "null",
    "None",
)

ENCODINGS = ("utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-16-le")
LINE_ENDS = ("\n", "\r\n", "\r")


@dataclass(frozen=True)
class Damage:
    """What was done to the file (shown by hypothesis when a property fails)."""

    description: list[str]


def _quote(cell: str) -> str:
    if any(ch in cell for ch in ',"\r\n'):
        return '"' + cell.replace('"', '""') + '"'
    return cell


@st.composite
def broken_csv(draw: st.DrawFn, rows: st.SearchStrategy[list[list[str]]]) -> bytes:
    """A valid table (header first), damaged in a few random ways, as bytes."""
    table = [list(r) for r in draw(rows)]
    done: list[str] = []
    for _ in range(draw(st.integers(0, 4))):
        row = draw(st.integers(0, len(table) - 1))
        kind = draw(st.sampled_from(["cell", "cell", "cell", "drop", "add", "raw"]))
        if kind == "cell" and table[row]:
            col = draw(st.integers(0, len(table[row]) - 1))
            value = draw(st.sampled_from(NASTY_CELLS) | st.text(max_size=12))
            table[row][col] = value
            done.append(f"row {row} col {col} = {value!r}")
        elif kind == "drop" and table[row]:
            table[row].pop()
            done.append(f"row {row}: a cell fewer")
        elif kind == "add":
            table[row].append(draw(st.sampled_from(NASTY_CELLS)))
            done.append(f"row {row}: a cell more")
        elif kind == "raw" and table[row]:
            # Written without quoting: a quote or a comma in it breaks the structure.
            col = draw(st.integers(0, len(table[row]) - 1))
            table[row][col] = "\x01RAW" + draw(st.sampled_from(['"x', 'a"b"', "x,y", '"', "\n"]))
            done.append(f"row {row} col {col} unquoted")
    ends = draw(st.sampled_from([*LINE_ENDS, "mixed"]))
    lines = []
    for i, r in enumerate(table):
        cells = [c[4:] if c.startswith("\x01RAW") else _quote(c) for c in r]
        end = ends if ends != "mixed" else LINE_ENDS[i % 3]
        lines.append(",".join(cells) + end)
    text = "".join(lines)
    if draw(st.booleans()) and text:
        text = text.rstrip("\r\n")  # no newline at the end
    encoding = draw(st.sampled_from(ENCODINGS))
    errors = "surrogatepass" if encoding.startswith("utf") else "replace"
    data = text.encode(encoding, errors=errors)
    for _ in range(draw(st.integers(0, 2))):
        at = draw(st.integers(0, len(data)))
        junk = draw(st.binary(min_size=1, max_size=4))
        data = data[:at] + junk + data[at:]
        done.append(f"bytes {junk!r} at {at}")
    if draw(st.integers(0, 9)) == 0:
        cut = draw(st.integers(0, len(data)))
        data = data[:cut]
        done.append(f"cut at byte {cut}")
    done.append(f"encoding {encoding}, line ends {ends!r}")
    return data


def random_bytes() -> st.SearchStrategy[bytes]:
    """Any bytes, with a bias to the ones that matter to CSV and text decoders."""
    special = st.sampled_from(
        [b",", b'"', b"\n", b"\r", b"\x00", b"\xff", b"\xfe", b"\xef\xbb\xbf", b"\xc3", b"a"]
    )
    return st.one_of(
        st.binary(max_size=300),
        st.lists(special, max_size=80).map(b"".join),
    )


def huge_cell(megabytes: int) -> str:
    """One cell of `megabytes` MB."""
    return "x" * (megabytes * 1024 * 1024)
