"""Pure row validation: one CSV row in, a validated record or its problems out.

No database here: the stages come in as plain data (`StageBook`), and owners, accounts and
products are resolved against the database by the writer. Each problem names the file, the
line and the file's own column, so the user can find it in their spreadsheet.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from valuescout.core.money import to_money
from valuescout.deals.importing.mapping import ImportMapping
from valuescout.deals.importing.presets import (
    DEAL_TYPES,
    FIELDS,
    REQUIRED,
    Preset,
    column_key,
    value_key,
)
from valuescout.deals.importing.readers import Problem

MAX_AMOUNT = Decimal("9999999999999999.99")  # NUMERIC(18, 2)
MAX_QUANTITY = Decimal("99999999999.999")  # NUMERIC(14, 3)
QUANTITY_STEP = Decimal("0.001")
LIMITS = {"external_id": 100, "name": 200, "account": 200, "owner": 320, "product": 200}


class Notes(Counter[str]):
    """Warnings with how many rows each applies to: 'account blank: imported without one'."""

    def lines(self) -> list[str]:
        return [f"{text} ({n:,} row{'s' if n != 1 else ''})" for text, n in self.items()]


@dataclass(frozen=True, slots=True)
class StageInfo:
    id: int
    name: str
    outcome: str  # open | won | lost


class StageBook:
    """Our stages, and what the preset and the mapping file say their names mean."""

    def __init__(
        self, stages: Iterable[StageInfo], preset: dict[str, str], mapped: dict[str, str]
    ) -> None:
        self.stages = list(stages)
        ours = {value_key(s.name): s for s in self.stages}
        self.by_key: dict[str, StageInfo] = dict(ours)
        self.unknown_targets: list[tuple[str, str]] = []  # (their value, target not ours)
        for theirs, target in [*preset.items(), *((value_key(k), v) for k, v in mapped.items())]:
            stage = ours.get(value_key(target))
            if stage is None:
                self.unknown_targets.append((theirs, target))
            else:
                self.by_key[theirs] = stage
        self.known = ", ".join(s.name for s in self.stages)

    def get(self, text: str) -> StageInfo | None:
        return self.by_key.get(value_key(text))

    def by_name(self, name: str) -> StageInfo:
        return self.by_key[value_key(name)]


class DateReader:
    """Parses dates in the given forms; ISO and M/D/Y take fast paths (no strptime)."""

    def __init__(self, formats: tuple[str, ...]) -> None:
        self.formats = formats
        self.example = date(2024, 3, 5).strftime(formats[0])
        self._parsers: list[Callable[[str], date]] = [self._parser(f) for f in formats]

    @staticmethod
    def _parser(fmt: str) -> Callable[[str], date]:
        if fmt == "%Y-%m-%d":
            return lambda t: date.fromisoformat(t) if len(t) == 10 else _bad(t)
        if fmt in ("%m/%d/%Y", "%d/%m/%Y", "%d.%m.%Y"):
            sep, month_first = fmt[2], fmt.startswith("%m")

            def split_date(t: str) -> date:
                a, b, y = t.split(sep)
                if len(y) != 4 or not (a.isdigit() and b.isdigit() and y.isdigit()):
                    raise ValueError(t)
                m, d = (a, b) if month_first else (b, a)
                return date(int(y), int(m), int(d))

            return split_date
        return lambda t: datetime.strptime(t, fmt).date()

    def __call__(self, text: str) -> date:
        for parse in self._parsers:
            try:
                return parse(text)
            except ValueError:
                continue
        raise ValueError(text)


def _bad(text: str) -> date:
    raise ValueError(text)


_THOUSANDS = re.compile(r"^-?\d{1,3}(,\d{3})+(\.\d+)?$")
_NOISE = str.maketrans("", "", "$€£¥ \u00a0\u202f")


def parse_money(text: str, label: str = "amount") -> tuple[Decimal, str | None]:
    """'USD 12,500.00', '$12,500', '12500' -> (12500.00, currency code or None)."""
    t, code = text.strip(), None
    if len(t) > 4 and t[:3].isalpha() and t[3] == " ":
        code, t = t[:3].upper(), t[4:]
    elif len(t) > 4 and t[-3:].isalpha() and t[-4] == " ":
        code, t = t[-3:].upper(), t[:-4]
    if t.startswith("(") and t.endswith(")"):
        raise ValueError(f"{label} must not be negative ({text!r})")
    t = t.translate(_NOISE)
    if "," in t:
        if not _THOUSANDS.match(t):
            raise ValueError(
                f"{text!r} is not a number like 12500.00 (a decimal comma is not read; "
                "export numbers with a decimal point)"
            )
        t = t.replace(",", "")
    try:
        value = Decimal(t)
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number like 12500.00") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a number like 12500.00")
    if value < 0:
        raise ValueError(f"{label} must not be negative ({text!r})")
    if value > MAX_AMOUNT:
        raise ValueError(f"{label} {text!r} is too large")
    return to_money(value), code


def parse_quantity(text: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", ""))
    except InvalidOperation:
        raise ValueError(f"{text!r} is not a number") from None
    if not value.is_finite():
        raise ValueError(f"{text!r} is not a number")
    if value < 0:
        raise ValueError(f"quantity must not be negative ({text!r})")
    if value == 0:
        raise ValueError("quantity must be more than 0")
    if value > MAX_QUANTITY:
        raise ValueError(f"quantity {text!r} is too large")
    return value.quantize(QUANTITY_STEP)


@dataclass(slots=True)
class Record:
    """A row that passed the file-level checks, in our terms (names still to be resolved)."""

    file: str
    line: int
    raw: list[str]
    external_id: str
    name: str
    stage: StageInfo
    amount: Decimal
    close_date: date | None
    currency: str | None = None  # None: not given (default on create, kept on update)
    deal_type: str | None = None
    account: str | None = None  # None: no account column; "": blank
    owner: str | None = None  # None: not given (the default owner / kept on update)
    product: str | None = None
    quantity: Decimal | None = None
    engaged_on: date | None = None
    # Stages the deal went through, with dates, when the file tells (Maven: engage, close).
    stage_path: tuple[tuple[str, date], ...] = ()


# Typo fixes per column index: their value (lower case) -> (our value, the warning to count).
Fixes = dict[int, dict[str, tuple[str, str]]]


def make_fixes(
    header: list[str], wanted: dict[str, dict[str, str]], origin: str, into: Fixes
) -> set[str]:
    """Add `{column: {typo: fix}}` for the columns this header has; returns those it lacks."""
    index = {" ".join(h.split()).lower(): i for i, h in enumerate(header)}
    missing = set()
    for column, pairs in wanted.items():
        i = index.get(" ".join(column.split()).lower())
        if i is None:
            missing.add(column)
            continue
        for theirs, ours in pairs.items():
            note = f"{header[i]} {theirs!r} read as {ours!r}: {origin}"
            into.setdefault(i, {})[theirs.strip().lower()] = (ours, note)
    return missing


def apply_fixes(fixes: Fixes, values: list[str], notes: Notes) -> list[str]:
    values = list(values)
    for index, pairs in fixes.items():
        if index < len(values):
            hit = pairs.get(values[index].strip().lower())
            if hit is not None:
                values[index] = hit[0]
                notes[hit[1]] += 1
    return values


@dataclass
class Layout:
    """One file's header, and which of its columns holds each of our fields."""

    file: str
    header: list[str]
    columns: dict[str, int]  # our field -> index in the row
    fixes: Fixes = field(default_factory=dict)

    def column(self, name: str) -> str:
        index = self.columns.get(name)
        return self.header[index] if index is not None else name


def resolve_layout(
    file: str, header: list[str], preset: Preset, mapping: ImportMapping
) -> Layout | list[Problem]:
    """Which column holds each field: the mapping file's word first, then the preset's names."""
    index = {column_key(h): i for i, h in enumerate(header) if h}
    problems: list[Problem] = []
    columns: dict[str, int] = {}
    for name in FIELDS:
        mapped = mapping.columns.get(name)
        if mapped is not None:
            i = index.get(column_key(mapped))
            if i is None:
                problems.append(
                    Problem(
                        file,
                        1,
                        mapped,
                        f"the mapping file names {mapped!r} as the {name} column, but the file "
                        f"has no such column; its columns are: {', '.join(header)}",
                        "columns",
                    )
                )
            else:
                columns[name] = i
            continue
        for candidate in preset.columns.get(name, ()):
            i = index.get(column_key(candidate))
            if i is not None:
                columns[name] = i
                break
    missing = [f for f in REQUIRED if f not in columns and f not in mapping.columns]
    if missing:
        expected = {f: preset.columns.get(f, (f,))[0] for f in missing}
        problems.append(
            Problem(
                file,
                1,
                "",
                "missing required columns: "
                + ", ".join(f"{f} (as {c!r})" if c != f else f for f, c in expected.items())
                + f". The columns found are: {', '.join(header) or '(none)'}. Name the columns "
                "that hold them under columns: in a mapping file (e.g. external_id: Opp Ref).",
                "columns",
            )
        )
    duplicates = sorted({h for h in header if h and header.count(h) > 1})
    if duplicates:
        problems.append(
            Problem(file, 1, "", f"the header repeats columns: {', '.join(duplicates)}", "columns")
        )
    if problems:
        return problems
    layout = Layout(file, header, columns)
    make_fixes(header, preset.values, "a known typo in this export", layout.fixes)
    make_fixes(header, mapping.values, "as the mapping file says", layout.fixes)
    for name, column in mapping.values.items():  # a fix may name our field instead
        if name.lower() in columns:
            make_fixes(
                header,
                {header[columns[name.lower()]]: column},
                "as the mapping file says",
                layout.fixes,
            )
    return layout


class RowValidator:
    """Checks one row of an opportunity file (generic, Salesforce, HubSpot layouts)."""

    def __init__(
        self,
        layout: Layout,
        preset: Preset,
        mapping: ImportMapping,
        stages: StageBook,
        notes: Notes,
    ) -> None:
        self.layout = layout
        self.stages = stages
        self.notes = notes
        self.dates = DateReader(
            (mapping.date_format,) if mapping.date_format else preset.date_formats
        )
        self.deal_types = {value_key(t): t for t in DEAL_TYPES} | preset.deal_types
        self.deal_types |= {value_key(k): v for k, v in mapping.deal_types.items()}
        self.width = len(layout.header)
        self.index = {f: layout.columns.get(f) for f in (*REQUIRED, *LIMITS, "currency")}

    def __call__(self, line: int, values: list[str]) -> Record | list[Problem]:
        problems: list[Problem] = []
        layout = self.layout

        def fail(field_name: str, message: str, code: str = "invalid") -> None:
            problems.append(Problem(layout.file, line, layout.column(field_name), message, code))

        if len(values) != self.width:
            problems.append(
                Problem(
                    layout.file,
                    line,
                    "",
                    f"The row has {len(values)} values; the header has {self.width} columns.",
                    "columns",
                )
            )
            return problems
        original = values
        if layout.fixes:
            values = apply_fixes(layout.fixes, values, self.notes)

        def text(field_name: str) -> str:
            index = layout.columns.get(field_name)
            if index is None:
                return ""
            value = values[index].strip()
            limit = LIMITS.get(field_name)
            if limit is not None and len(value) > limit:
                fail(field_name, f"longer than {limit} characters")
            if "\x00" in value:
                fail(field_name, "contains a NUL character")
            return value

        external_id, name = text("external_id"), text("name")
        if not external_id:
            fail("external_id", "is blank; every row needs its CRM id", "required")
        if not name:
            fail("name", "is blank", "required")
        stage_text = text("stage")
        stage = self.stages.get(stage_text) if stage_text else None
        if stage is None:
            if not stage_text:
                fail("stage", "is blank", "required")
            else:
                fail(
                    "stage",
                    f"unknown stage {stage_text!r}; our stages are {self.stages.known}. Map it "
                    f'in a mapping file under stages: (e.g. "{stage_text}": Engaging)',
                    "stage",
                )
        amount, code = Decimal(0), None
        amount_text = text("amount")
        if not amount_text:
            fail("amount", "is blank", "required")
        else:
            try:
                amount, code = parse_money(amount_text)
            except ValueError as exc:
                fail("amount", str(exc), "amount")
        close_date = self._date(text("close_date"), "close_date", fail)
        closing = stage is not None and stage.outcome != "open"
        if closing and stage is not None and close_date is None and not text("close_date"):
            fail("close_date", f"is blank; a {stage.name} deal needs its close date", "date")
        record = Record(
            file=layout.file,
            line=line,
            raw=original,
            external_id=external_id,
            name=name,
            stage=stage or _NO_STAGE,
            amount=amount,
            close_date=close_date,
        )
        self._optional(record, text, fail, code)
        return problems or record

    def _date(self, value: str, field_name: str, fail: Callable[..., None]) -> date | None:
        if not value:
            return None
        try:
            return self.dates(value)
        except ValueError:
            fail(
                field_name,
                f"{value!r} is not a date like {self.dates.example} "
                f"({' or '.join(self.dates.formats)}); if the file writes dates another way, "
                "set date_format in a mapping file",
                "date",
            )
            return None

    def _optional(
        self,
        record: Record,
        text: Callable[[str], str],
        fail: Callable[..., None],
        amount_currency: str | None,
    ) -> None:
        columns = self.layout.columns
        currency = text("currency").upper() if "currency" in columns else ""
        if currency and not (len(currency) == 3 and currency.isalpha() and currency.isascii()):
            fail("currency", f"{currency!r} is not a three-letter currency code like USD")
        record.currency = currency or amount_currency or None
        if "deal_type" in columns:
            raw_type = text("deal_type")
            if raw_type:
                record.deal_type = self.deal_types.get(value_key(raw_type))
                if record.deal_type is None:
                    fail(
                        "deal_type",
                        f"unknown deal type {raw_type!r}; ours are {', '.join(DEAL_TYPES)}. "
                        "Map it in a mapping file under deal_types:",
                        "deal_type",
                    )
        if "account" in columns:
            record.account = text("account")
        if "owner" in columns:
            record.owner = text("owner") or None
        if "product" in columns:
            record.product = text("product") or None
        if "quantity" in columns:
            quantity = text("quantity")
            if quantity:
                try:
                    record.quantity = parse_quantity(quantity)
                except ValueError as exc:
                    fail("quantity", str(exc), "quantity")
                if record.product is None:
                    fail("quantity", "a quantity needs a product on the same row")
        if "engaged_on" in columns:
            record.engaged_on = self._date(text("engaged_on"), "engaged_on", fail)


_NO_STAGE = StageInfo(0, "", "open")
