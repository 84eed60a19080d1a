"""A backup's rows as JSON lines: values written as tagged JSON, read back and checked.

Each row is a JSON list of its table's stored columns, in the manifest's order. Values JSON
has no type for are tagged: `{"d": "12.50"}` a decimal, `{"t": ISO}` a moment, `{"day": ISO}`
a date, `{"b": base64}` bytes, `{"j": ...}` a JSON column's document.

Reading checks every value against its column before the database sees it (SQLite would
store a word in an integer column without complaint), so a damaged or hand-edited backup is
refused with the file, line and column, never restored as rows the app cannot read.
"""

from __future__ import annotations

import base64
import binascii
import json
import zipfile
import zlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import IO, Any

from sqlalchemy import JSON, Column, Table

from valuescout.core.errors import Invalid
from valuescout.core.models import UtcDateTime

BATCH = 1000
# What reading a damaged zip member raises (a bad header, CRC, deflate stream, method, or end).
ZIP_DAMAGE = (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, ValueError)
TAGS = frozenset({"d", "t", "day", "b", "j"})


def to_json(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"d": str(value)}
    if isinstance(value, datetime):
        return {"t": value.isoformat()}
    if isinstance(value, date):
        return {"day": value.isoformat()}
    if isinstance(value, bytes | memoryview):
        return {"b": base64.b64encode(bytes(value)).decode()}
    if isinstance(value, dict | list):
        return {"j": value}
    return value


def write_row(sink: IO[bytes], row: Any) -> None:
    sink.write(json.dumps([to_json(v) for v in row]).encode() + b"\n")


class _Refused(ValueError):
    pass


def from_json(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    if len(value) != 1 or next(iter(value)) not in TAGS:
        raise _Refused(f"an unknown tagged value {_short(value)}")
    tag, raw = next(iter(value.items()))
    if tag == "j":
        return raw
    if not isinstance(raw, str):
        raise _Refused(f"{tag!r} needs a string, found {_short(raw)}")
    try:
        if tag == "d":
            return Decimal(raw)
        if tag == "t":
            moment = datetime.fromisoformat(raw)
            return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
        if tag == "day":
            return date.fromisoformat(raw)
        return base64.b64decode(raw, validate=True)
    except (ValueError, InvalidOperation, binascii.Error) as exc:
        raise _Refused(f"{_short(raw)} is not a valid {_KIND[tag]}") from exc


_KIND = {"d": "decimal", "t": "moment", "day": "date", "b": "base64 value"}


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def _check(column: Column[Any], value: Any) -> None:
    """Refuse a value of another kind than the column holds (None: the database decides)."""
    if value is None or isinstance(column.type, JSON):
        return
    if isinstance(column.type, UtcDateTime):
        expected: type = datetime
    else:
        try:
            expected = column.type.python_type
        except NotImplementedError:
            return
    if expected is object:
        return
    if expected is Decimal or expected is float:
        ok = isinstance(value, int | float | Decimal) and not isinstance(value, bool)
        if ok and not isinstance(value, int) and not Decimal(value).is_finite():
            raise _Refused(f"{value} is not a finite number")
    elif expected is int:
        ok = isinstance(value, int) and not isinstance(value, bool)
        if ok and not -(2**63) <= value < 2**63:
            raise _Refused(f"{value} does not fit in 64 bits")
    elif expected is date:
        ok = isinstance(value, date) and not isinstance(value, datetime)
    elif issubclass(expected, str):  # an Enum column stores its value's text
        ok = isinstance(value, str)
        if ok:
            _check_text(value, getattr(column.type, "length", None))
    else:
        ok = isinstance(value, expected)
    if not ok:
        raise _Refused(f"expected {expected.__name__}, found {_short(to_json(value))}")


def _check_text(value: str, length: int | None) -> None:
    if length is not None and len(value) > length:
        raise _Refused(f"{len(value)} characters, longer than its {length}")
    if "\x00" in value:
        raise _Refused("a NUL character, which no text column holds")
    try:
        value.encode()
    except UnicodeEncodeError as exc:
        raise _Refused(f"a character UTF-8 cannot encode at {exc.start}") from exc


def batches(
    archive: zipfile.ZipFile, table: Table, names: list[str]
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """The table's rows in batches, each with the line number of its first row."""
    where = f"tables/{table.name}.jsonl"
    if where not in archive.NameToInfo:
        raise Invalid(f"The backup has no rows file for table {table.name}.")
    columns = [table.columns[n] for n in names]
    batch: list[dict[str, Any]] = []
    first = 1
    number = 0
    try:
        with archive.open(where) as source:
            for number, line in enumerate(source, start=1):
                batch.append(_row(line, columns, f"{where} line {number}"))
                if len(batch) >= BATCH:
                    yield first, batch
                    batch, first = [], number + 1
    except ZIP_DAMAGE as exc:
        raise Invalid(f"{where}: the file is damaged after line {number} ({exc}).") from exc
    if batch:
        yield first, batch


def _row(line: bytes, columns: list[Column[Any]], where: str) -> dict[str, Any]:
    try:
        values = json.loads(line)
    except (json.JSONDecodeError, UnicodeDecodeError, RecursionError) as exc:
        raise Invalid(f"{where}: not valid JSON.") from exc
    if not isinstance(values, list) or len(values) != len(columns):
        raise Invalid(f"{where}: expected {len(columns)} values.")
    row: dict[str, Any] = {}
    for column, raw in zip(columns, values, strict=True):
        try:
            value = from_json(raw)
            _check(column, value)
        except _Refused as exc:
            raise Invalid(f"{where}, column {column.name}: {exc}.") from exc
        row[column.name] = value
    return row
