"""Pure row validation: one CSV row in, a validated record or its problems out.

No database here: the stages come in as plain data (`StageBook`), and owners, accounts and
products are resolved against the database by the writer. Each problem names the file, the
line and the file's own column, so the user can find it in their spreadsheet.

This runs once per row of files with a million rows, so the common path is written flat:
direct indexing, cached stage and type look-ups, and objects built only for problems.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from valuescout.deals.importing.layout import Layout, apply_fixes
from valuescout.deals.importing.mapping import ImportMapping
from valuescout.deals.importing.parsing import DateReader, parse_money, parse_quantity
from valuescout.deals.importing.presets import DEAL_TYPES, Preset, value_key
from valuescout.deals.importing.problems import SHOWN_CHARS, Notes, Problem, quoted

LIMITS = {"external_id": 100, "name": 200, "account": 200, "owner": 320, "product": 200}
_CACHE_LIMIT = 10_000
_ZERO = Decimal("0.00")


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
        self._seen: dict[str, StageInfo | None] = {}
        self.missed: Counter[str] = Counter()  # stage names that matched nothing

    def get(self, text: str) -> StageInfo | None:
        found = self._seen.get(text, _MISSING)
        if found is _MISSING:
            found = self.by_key.get(value_key(text))
            if len(self._seen) < _CACHE_LIMIT:
                self._seen[text] = found
        return found if isinstance(found, StageInfo) else None


_MISSING = StageInfo(-1, "", "")


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
        c = layout.columns
        self.required = (c["external_id"], c["name"], c["stage"], c["amount"], c["close_date"])
        self.optional = {name: c.get(name) for name in LIMITS.keys() | {"currency"}}

    def __call__(self, line: int, values: list[str]) -> Record | list[Problem]:
        if len(values) != self.width:
            message = f"The row has {len(values)} values; the header has {self.width} columns."
            return [Problem(self.layout.file, line, "", message, "columns")]
        original = values
        if self.layout.fixes:
            values = apply_fixes(self.layout.fixes, values, self.notes)
        i_id, i_name, i_stage, i_amount, i_close = self.required
        external_id = values[i_id].strip()
        name = values[i_name].strip()
        stage_text = values[i_stage].strip()
        amount_text = values[i_amount].strip()
        close_text = values[i_close].strip()
        problems: list[Problem] = []
        if not external_id or not name or len(external_id) > 100 or len(name) > 200:
            self._texts(line, external_id, name, problems)
        stage = self.stages.get(stage_text) if stage_text else None
        if stage is None:
            self._stage(line, stage_text, problems)
        amount, code = _ZERO, None
        if amount_text:
            try:
                amount, code = parse_money(amount_text)
            except ValueError as exc:
                self._fail(problems, line, "amount", str(exc), "amount")
        else:
            self.notes["amount blank: imported as 0.00"] += 1
        close_date = None
        if close_text:
            close_date = self._date(line, close_text, "close_date", problems)
        elif stage is not None and stage.outcome != "open":
            self._fail(
                problems,
                line,
                "close_date",
                f"is blank; a {stage.name} deal needs its close date",
                "date",
            )
        if "\x00" in "".join(values):
            self._fail(problems, line, "", "contains a NUL character", "invalid")
        record = Record(
            self.layout.file,
            line,
            original,
            external_id,
            name,
            stage or _MISSING,
            amount,
            close_date,
        )
        if len(self.layout.columns) > 5:
            self._optional(record, values, problems, code)
        return problems or record

    # --- the optional fields -------------------------------------------------------------

    def _optional(
        self, record: Record, values: list[str], problems: list[Problem], code: str | None
    ) -> None:
        line = record.line
        ix = self.optional
        i = ix["currency"]
        currency = values[i].strip().upper() if i is not None else ""
        if currency and not (len(currency) == 3 and currency.isalpha() and currency.isascii()):
            message = f"{quoted(currency)} is not a three-letter currency code like USD"
            self._fail(problems, line, "currency", message)
        record.currency = currency or code or None
        i = self.layout.columns.get("deal_type")
        if i is not None and (raw_type := values[i].strip()):
            record.deal_type = self.deal_types.get(raw_type) or self.deal_types.get(
                value_key(raw_type)
            )
            if record.deal_type is None:
                message = (
                    f"unknown deal type {quoted(raw_type)}; ours are {', '.join(DEAL_TYPES)}. "
                    "Map it in a mapping file under deal_types:"
                )
                self._fail(problems, line, "deal_type", message, "deal_type")
        for name in ("account", "owner", "product"):
            i = ix[name]
            if i is None:
                continue
            text = values[i].strip()
            if len(text) > LIMITS[name]:
                self._fail(problems, line, name, f"longer than {LIMITS[name]} characters")
            if name == "account":
                record.account = text
            elif name == "owner":
                record.owner = text or None
            else:
                record.product = text or None
        i = self.layout.columns.get("quantity")
        if i is not None and (quantity := values[i].strip()):
            try:
                record.quantity = parse_quantity(quantity)
            except ValueError as exc:
                self._fail(problems, line, "quantity", str(exc), "quantity")
            if record.product is None:
                self._fail(problems, line, "quantity", "a quantity needs a product on the row")
        i = self.layout.columns.get("engaged_on")
        if i is not None and (engaged := values[i].strip()):
            record.engaged_on = self._date(line, engaged, "engaged_on", problems)

    # --- problems --------------------------------------------------------------------------

    def _fail(
        self, problems: list[Problem], line: int, field: str, message: str, code: str = "invalid"
    ) -> None:
        column = self.layout.column(field) if field else ""
        problems.append(Problem(self.layout.file, line, column, message, code))

    def _texts(self, line: int, external_id: str, name: str, problems: list[Problem]) -> None:
        if not external_id:
            self._fail(
                problems, line, "external_id", "is blank; every row needs its id", "required"
            )
        elif len(external_id) > LIMITS["external_id"]:
            self._fail(problems, line, "external_id", "longer than 100 characters")
        if not name:
            self._fail(problems, line, "name", "is blank", "required")
        elif len(name) > LIMITS["name"]:
            self._fail(problems, line, "name", "longer than 200 characters")

    def _stage(self, line: int, text: str, problems: list[Problem]) -> None:
        if not text:
            self._fail(problems, line, "stage", "is blank", "required")
            return
        if text in self.stages.missed or len(self.stages.missed) < _CACHE_LIMIT:
            self.stages.missed[text] += 1
        example = f' (e.g. "{text}": Engaging)' if len(text) <= SHOWN_CHARS else ""
        message = (
            f"unknown stage {quoted(text)}; our stages are {self.stages.known}. Map it in a "
            f"mapping file under stages:{example}"
        )
        self._fail(problems, line, "stage", message, "stage")

    def _date(self, line: int, text: str, field: str, problems: list[Problem]) -> date | None:
        try:
            return self.dates(text)
        except ValueError:
            message = (
                f"{quoted(text)} is not a date like {self.dates.example} "
                f"({' or '.join(self.dates.formats)}); if the file writes dates another way, "
                "set date_format in a mapping file"
            )
            self._fail(problems, line, field, message, "date")
            return None
