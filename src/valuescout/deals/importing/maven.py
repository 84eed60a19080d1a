"""The Maven CRM export: four related files, each recognised by its header (pure).

- sales_teams (sales_agent, manager, regional_office): the organisation. Regional offices
  become region teams under the company, each manager a team in their region, agents sellers.
- products (product, series, sales_price): products with their list price.
- accounts (account, sector, year_established, revenue in USD millions, employees,
  office_location, subsidiary_of): accounts; the export's known typos are corrected (and said).
- sales_pipeline (opportunity_id, sales_agent, product, account, deal_stage, engage_date,
  close_date, close_value): one opportunity per row with one line item (quantity 1).

Open deals have no close_value and lost ones carry 0 ("no quoted value kept"): their amount is
the product's list price, which the import reports once per case with its row count.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from valuescout.core.money import to_money
from valuescout.deals.accounts import name_key
from valuescout.deals.importing.layout import Fixes, Layout, apply_fixes
from valuescout.deals.importing.parsing import parse_money
from valuescout.deals.importing.presets import column_key
from valuescout.deals.importing.problems import Notes, Problem, quoted
from valuescout.deals.importing.products import ProductBook
from valuescout.deals.importing.validate import Record, StageBook

PIPELINE = "sales_pipeline"
TEAMS = "sales_teams"
PRODUCTS = "products"
ACCOUNTS = "accounts"
DICTIONARY = "data_dictionary"
HEADERS = {
    PIPELINE: (
        "opportunity_id",
        "sales_agent",
        "product",
        "account",
        "deal_stage",
        "engage_date",
        "close_date",
        "close_value",
    ),
    TEAMS: ("sales_agent", "manager", "regional_office"),
    PRODUCTS: ("product", "series", "sales_price"),
    ACCOUNTS: (
        "account",
        "sector",
        "year_established",
        "revenue",
        "employees",
        "office_location",
        "subsidiary_of",
    ),
    DICTIONARY: ("table", "field", "description"),
}
# Which of our fields a pipeline column carries (for problems and the rejects file).
PIPELINE_FIELDS = {
    "external_id": "opportunity_id",
    "owner": "sales_agent",
    "product": "product",
    "account": "account",
    "stage": "deal_stage",
    "engaged_on": "engage_date",
    "close_date": "close_date",
    "amount": "close_value",
}
MILLION = Decimal(1_000_000)


def kind_of(header: list[str]) -> str | None:
    """Which Maven file this is, by its set of columns (their order does not matter)."""
    columns = {column_key(h) for h in header}
    for kind, expected in HEADERS.items():
        if columns == set(expected):
            return kind
    return None


def describe_kinds() -> str:
    return "; ".join(f"{kind} ({', '.join(cols)})" for kind, cols in HEADERS.items())


def _index(header: list[str]) -> dict[str, int]:
    return {column_key(h): i for i, h in enumerate(header)}


@dataclass(frozen=True, slots=True)
class Seat:
    """An agent's place in the organisation."""

    agent: str
    manager: str
    region: str


def read_teams(
    file: str, header: list[str], rows: Iterable[tuple[int, list[str]]]
) -> tuple[list[Seat], list[Problem]]:
    ix = _index(header)
    seats: dict[str, Seat] = {}
    problems: list[Problem] = []
    for line, values in rows:
        agent, manager, region = (
            " ".join(values[ix[c]].split()) for c in ("sales_agent", "manager", "regional_office")
        )
        blank = [c for c, v in zip(HEADERS[TEAMS], (agent, manager, region), strict=True) if not v]
        if blank:
            problems.append(Problem(file, line, blank[0], "is blank", "required"))
            continue
        seat = Seat(agent, manager, region)
        before = seats.get(name_key(agent))
        if before is not None and before != seat:
            problems.append(
                Problem(
                    file,
                    line,
                    "sales_agent",
                    f"{quoted(agent)} is listed twice with different managers or offices",
                    "duplicate",
                )
            )
            continue
        seats[name_key(agent)] = seat
    managers = {name_key(s.manager): s.region for s in seats.values()}
    for seat in seats.values():
        if managers[name_key(seat.manager)] != seat.region:
            problems.append(
                Problem(
                    file,
                    None,
                    "manager",
                    f"manager {quoted(seat.manager)} has agents in more than one regional office",
                )
            )
            break
    return list(seats.values()), problems


def read_products(
    file: str, header: list[str], rows: Iterable[tuple[int, list[str]]]
) -> tuple[list[dict[str, Any]], list[Problem]]:
    ix = _index(header)
    products: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for line, values in rows:
        name = " ".join(values[ix["product"]].split())
        if not name:
            problems.append(Problem(file, line, "product", "is blank", "required"))
            continue
        try:
            price, _code = parse_money(values[ix["sales_price"]], "sales_price")
        except ValueError as exc:
            problems.append(Problem(file, line, "sales_price", str(exc), "amount"))
            continue
        family = values[ix["series"]].strip()
        products.append({"name": name, "family": family, "list_price": price})
    return products, problems


def read_accounts(
    file: str, header: list[str], rows: Iterable[tuple[int, list[str]]], fixes: Fixes, notes: Notes
) -> tuple[dict[str, dict[str, Any]], dict[str, str], list[Problem]]:
    """Accounts as {name key: fields}, their names, and problems."""
    ix = _index(header)
    details: dict[str, dict[str, Any]] = {}
    names: dict[str, str] = {}
    problems: list[Problem] = []
    for line, raw in rows:
        values = apply_fixes(fixes, raw, notes)

        def cell(column: str, values: list[str] = values) -> str:
            return values[ix[column]].strip()

        name = " ".join(cell("account").split())
        if not name:
            problems.append(Problem(file, line, "account", "is blank", "required"))
            continue
        row_problems: list[Problem] = []
        year = _whole(cell("year_established"), 1000, 2200)
        employees = _whole(cell("employees"), 0, 10_000_000)
        revenue: Decimal | None = None
        if cell("revenue"):
            try:
                revenue = to_money(parse_money(cell("revenue"), "revenue")[0] * MILLION)
            except ValueError as exc:
                row_problems.append(Problem(file, line, "revenue", str(exc), "amount"))
        for column, value in (("year_established", year), ("employees", employees)):
            if isinstance(value, str):
                row_problems.append(Problem(file, line, column, value))
        if row_problems:
            problems.extend(row_problems)
            continue
        key = name_key(name)
        names[key] = name
        details[key] = {
            "industry": cell("sector")[:100],
            "annual_revenue": revenue,
            "employees": employees,
            "country": cell("office_location")[:100],
            "year_established": year,
            "parent_name": " ".join(cell("subsidiary_of").split())[:200],
        }
    return details, names, problems


def _whole(text: str, low: int, high: int) -> int | str | None:
    """A whole number within bounds, None when blank, or the problem as text."""
    if not text:
        return None
    try:
        value = int(Decimal(text.replace(",", "")))
    except (InvalidOperation, ValueError):
        return f"{quoted(text)} is not a whole number"
    if not low <= value <= high:
        return f"{quoted(text)} is outside {low}..{high}"
    return value


class PipelineRows:
    """One sales_pipeline row -> a record with its product line, amount and stage path."""

    def __init__(
        self, layout: Layout, stages: StageBook, products: ProductBook, notes: Notes
    ) -> None:
        self.layout = layout
        self.stages = stages
        self.products = products
        self.notes = notes
        self.ix = {c: layout.header.index(h) for c, h in _by_key(layout.header).items()}
        self.engaging = stages.get("Engaging")

    def __call__(self, line: int, raw: list[str]) -> Record | list[Problem]:
        file, problems = self.layout.file, []
        if len(raw) != len(self.layout.header):
            message = f"The row has {len(raw)} values; the header has {len(self.layout.header)}."
            return [Problem(file, line, "", message, "columns")]
        values = apply_fixes(self.layout.fixes, raw, self.notes) if self.layout.fixes else raw

        def cell(column: str) -> str:
            return values[self.ix[column]].strip()

        def fail(column: str, message: str, code: str = "invalid") -> None:
            problems.append(Problem(file, line, column, message, code))

        external_id, agent = cell("opportunity_id"), " ".join(cell("sales_agent").split())
        for column, text in (("opportunity_id", external_id), ("sales_agent", agent)):
            if not text:
                fail(column, "is blank", "required")
        if len(external_id) > 100:
            fail("opportunity_id", "longer than 100 characters")
        stage = self.stages.get(cell("deal_stage"))
        if stage is None and cell("deal_stage"):
            self.stages.missed[cell("deal_stage")] += 1
        if stage is None:
            fail(
                "deal_stage",
                f"unknown stage {quoted(cell('deal_stage'))}; our stages are {self.stages.known}. "
                "Map it in a mapping file under stages:",
                "stage",
            )
        product = self.products.resolve(cell("product")) if cell("product") else None
        if product is None:
            message = self.products.unknown(cell("product")) if cell("product") else "is blank"
            fail("product", message, "product")
        engaged = self._date(cell("engage_date"), "engage_date", fail)
        closed = self._date(cell("close_date"), "close_date", fail)
        value: Decimal | None = None
        if cell("close_value"):
            try:
                value = parse_money(cell("close_value"), "close_value")[0]
            except ValueError as exc:
                fail("close_value", str(exc), "amount")
        needs_close = stage is not None and stage.outcome != "open"
        if needs_close and stage is not None and closed is None and not cell("close_date"):
            fail("close_date", f"is blank; a {stage.name} deal needs its close date", "date")
        if problems or stage is None or product is None:
            return problems
        amount = self._amount(stage.outcome, value, product.list_price)
        account = " ".join(cell("account").split())
        path: list[tuple[str, date]] = []
        if engaged is not None and self.engaging is not None:
            path.append((self.engaging.name, engaged))
        if closed is not None and stage.outcome != "open":
            path.append((stage.name, closed))
        return Record(
            file=file,
            line=line,
            raw=raw,
            external_id=external_id,
            name=f"{product.name} for {account}" if account else f"{product.name} ({external_id})",
            stage=stage,
            amount=amount,
            close_date=closed,
            currency="USD",
            deal_type="new",
            account=account,
            owner=agent,
            product=product.name,
            quantity=Decimal(1),
            engaged_on=engaged,
            stage_path=tuple(path),
        )

    def _amount(self, outcome: str, value: Decimal | None, list_price: Decimal) -> Decimal:
        if outcome == "lost" and not value:
            self.notes[
                "close_value 0 or blank on lost deals (no quoted value kept): amount set to the "
                "product's list price"
            ] += 1
            return list_price
        if value is None:
            self.notes[
                f"close_value blank on {outcome} deals: amount set to the product's list price"
            ] += 1
            return list_price
        return value

    def _date(self, text: str, column: str, fail: Any) -> date | None:
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            fail(column, f"{quoted(text)} is not a date like 2017-03-01", "date")
            return None


def _by_key(header: list[str]) -> dict[str, str]:
    return {column_key(h): h for h in header}
