"""Bulk upsert of validated records by external id, with history for real changes.

Per batch: one query for the existing deals by external id, one for the accounts named, then
executemany inserts (new deals, their line items, their dated stage path) and updates (changed
deals; a history row per changed stage, amount and close date, stamped with the import's time).

Duplicate external ids in one import are found without holding every id: a deal found
"existing" whose id is above the highest id before the import began was created by this
import, and deals that existed before are marked in a bitmap (one bit per id) when touched.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Row, Table, bindparam, delete, func, select, update
from sqlalchemy.orm import Session

from valuescout.core.money import to_money
from valuescout.deals.importing.bulk import BulkInserter
from valuescout.deals.importing.layout import Layout
from valuescout.deals.importing.org import Accounts, People, Person
from valuescout.deals.importing.problems import Notes, Problem, quoted
from valuescout.deals.importing.products import ProductBook, ProductInfo
from valuescout.deals.importing.references import BatchReferences, WriteOptions
from valuescout.deals.importing.validate import Record, StageBook
from valuescout.deals.models import LineItem, Opportunity, OpportunityChange

OPP = cast(Table, Opportunity.__table__)
LINES = cast(Table, LineItem.__table__)
CHANGES = cast(Table, OpportunityChange.__table__)

# Columns read back for a deal that exists, to decide what changed.
# The columns an update may change, in this order; a deal that exists is read back as
# (id, external_id, *_UPDATED) to decide what changed.
_UPDATED = (
    "name",
    "account_id",
    "owner_id",
    "team_id",
    "stage_id",
    "amount",
    "close_date",
    "engaged_on",
    "deal_type",
    "currency",
)
_EXISTING = (OPP.c.id, OPP.c.external_id, *(OPP.c[name] for name in _UPDATED))
# A new deal: these columns per row, the rest the same for every row.
NEW_COLUMNS = (
    "external_id",
    "name",
    "account_id",
    "owner_id",
    "team_id",
    "stage_id",
    "close_date",
    "engaged_on",
    "deal_type",
    "currency",
    "amount",
)
NEW_CONSTANTS: dict[str, Any] = {
    "probability": None,
    "value_network_id": None,
    "alternative_kind": "unknown",
    "alternative_name": "",
    "competitor_id": None,
    "alternative_price": None,
    "rfp_class": "none",
    "description": "",
}
LINE_COLUMNS = ("opportunity_id", "product_id", "quantity", "list_price", "net_price", "unit_cost")
CHANGE_COLUMNS = ("opportunity_id", "field", "old_value", "new_value", "changed_at")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    history: int = 0
    lines: int = 0


class OpportunityWriter:
    def __init__(
        self,
        session: Session,
        *,
        actor_id: int | None,
        at: datetime,
        people: People,
        accounts: Accounts,
        products: ProductBook,
        stages: StageBook,
        options: WriteOptions,
        notes: Notes,
        unknown: Counter[str],
        layouts: dict[str, Layout],
    ) -> None:
        self.session = session
        self.actor_id = actor_id
        self.at = at
        self.accounts = accounts
        self.stage_names = {s.id: s.name for s in stages.stages}
        self.options = options
        self.layouts = layouts
        self.counts = Counts()
        self.bulk = BulkInserter(session)
        self.max_id = session.scalar(select(func.max(OPP.c.id))) or 0
        self.touched = bytearray(self.max_id // 8 + 1)
        self.refs = BatchReferences(people, accounts, products, options, notes, unknown)

    # --- the batch ---------------------------------------------------------------------

    def write(self, batch: list[Record]) -> list[tuple[Record, list[Problem]]]:
        """Write what is valid; return the records refused, each with its problems."""
        problems: dict[int, list[Problem]] = {}

        def fail(i: int, rec: Record, field_name: str, message: str, code: str) -> None:
            column = self.layouts[rec.file].column(field_name)
            problems.setdefault(i, []).append(Problem(rec.file, rec.line, column, message, code))

        first_line: dict[str, int] = {}
        for i, rec in enumerate(batch):
            seen = first_line.setdefault(rec.external_id, rec.line)
            if seen != rec.line:
                fail(i, rec, "external_id", _duplicate(rec.external_id, seen), "duplicate")
        existing = self._existing([r.external_id for r in batch])
        for i, rec in enumerate(batch):
            old = existing.get(rec.external_id)
            if old is not None and i not in problems and self._seen_before(old.id):
                fail(i, rec, "external_id", _duplicate(rec.external_id, None), "duplicate")
        owners = self.refs.owners(batch, existing, fail)
        products = self.refs.products(batch, fail)
        accounts = self.refs.accounts(batch, fail)
        if self.options.create_missing:
            self.refs.create_missing_owners(batch, owners, problems, fail)
        valid = [i for i in range(len(batch)) if i not in problems]
        if self.options.create_missing:
            self.accounts.create(
                {a[0]: a[1] for i in valid if isinstance(a := accounts.get(i), tuple)}
            )
        current_lines = self._lines_of(
            [
                existing[batch[i].external_id].id
                for i in valid
                if i in products and batch[i].external_id in existing
            ]
        )
        new: list[tuple[tuple[Any, ...], Record, ProductInfo | None]] = []
        changed: list[dict[str, Any]] = []
        history: list[tuple[Any, ...]] = []
        relined: list[tuple[int, Record, ProductInfo]] = []
        for i in valid:
            rec, owner, product = batch[i], owners.get(i), products.get(i)
            account_id = self.refs.account_id(accounts.get(i))
            old = existing.get(rec.external_id)
            if old is None:
                new.append((self._new_row(rec, owner, account_id), rec, product))
                continue
            self._mark(old.id)
            values = self._updated_values(rec, old, owner, account_id)
            lines_differ = product is not None and current_lines.get(old.id) != _line_key(
                _line(old.id, rec, product)
            )
            if values is None and not lines_differ:
                self.counts.unchanged += 1
                continue
            after = values or tuple(old)[2:]
            changed.append(
                {"_id": old.id, **dict(zip(_UPDATED, after, strict=True)), "updated_at": self.at}
            )
            if values is not None:
                history.extend(self._changes(old, values))
            if lines_differ and product is not None:
                relined.append((old.id, rec, product))
        self._insert(new)
        self._update(changed, history, relined)
        return [(batch[i], p) for i, p in sorted(problems.items())]

    # --- what exists -------------------------------------------------------------------

    def _existing(self, external_ids: list[str]) -> dict[str, Row[Any]]:
        """The deals that exist, as rows of _EXISTING (id, external_id, then _UPDATED)."""
        rows = self.session.execute(
            select(*_EXISTING).where(OPP.c.external_id.in_(set(external_ids)))
        ).all()
        return {row.external_id: row for row in rows}

    def _seen_before(self, opp_id: int) -> bool:
        """Created or already touched by this import: the id is in the file twice."""
        if opp_id > self.max_id:
            return True
        return bool(self.touched[opp_id >> 3] & (1 << (opp_id & 7)))

    def _mark(self, opp_id: int) -> None:
        if opp_id <= self.max_id:
            self.touched[opp_id >> 3] |= 1 << (opp_id & 7)

    def _lines_of(self, opp_ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
        """The line items of deals that exist, as comparable keys."""
        found: dict[int, list[tuple[Any, ...]]] = {}
        if not opp_ids:
            return found
        rows = self.session.execute(
            select(*(LINES.c[name] for name in LINE_COLUMNS))
            .where(LINES.c.opportunity_id.in_(opp_ids))
            .order_by(LINES.c.id)
        ).tuples()
        for row in rows:
            found.setdefault(row[0], []).extend(_line_key(row))
        return found

    # --- rows ----------------------------------------------------------------------------

    def _new_row(
        self, rec: Record, owner: Person | str | None, account_id: int | None
    ) -> tuple[Any, ...]:
        """The values of NEW_COLUMNS for a new deal."""
        assert isinstance(owner, Person)
        return (
            rec.external_id,
            rec.name,
            account_id,
            owner.id,
            owner.team_id,
            rec.stage.id,
            rec.close_date,
            rec.engaged_on,
            rec.deal_type or "new",
            rec.currency or self.options.currency,
            rec.amount,
        )

    def _updated_values(
        self, rec: Record, old: Row[Any], owner: Person | str | None, account_id: int | None
    ) -> tuple[Any, ...] | None:
        """The deal's new _UPDATED values, or None when nothing changed. Fields the file does
        not have (no column, or no owner given) keep their values."""
        moved = isinstance(owner, Person) and owner.id != old.owner_id
        values = (
            rec.name,
            old.account_id if rec.account is None else account_id,
            owner.id if moved and isinstance(owner, Person) else old.owner_id,
            owner.team_id if moved and isinstance(owner, Person) else old.team_id,
            rec.stage.id,
            rec.amount,
            rec.close_date,
            old.engaged_on if rec.engaged_on is None else rec.engaged_on,
            rec.deal_type or old.deal_type,
            rec.currency or old.currency,
        )
        return None if values == tuple(old)[2:] else values

    def _changes(self, old: Row[Any], values: tuple[Any, ...]) -> list[tuple[Any, ...]]:
        """History rows (CHANGE_COLUMNS) for the tracked fields that changed."""
        new = dict(zip(_UPDATED, values, strict=True))
        pairs = [
            ("stage", self.stage_names.get(old.stage_id), self.stage_names[new["stage_id"]]),
            ("amount", str(to_money(old.amount)), str(to_money(new["amount"]))),
            ("close_date", _iso(old.close_date), _iso(new["close_date"])),
        ]
        return [
            (old.id, name, before, after, self.at)
            for name, before, after in pairs
            if before != after
        ]

    # --- writes --------------------------------------------------------------------------

    def _insert(self, new: list[tuple[tuple[Any, ...], Record, ProductInfo | None]]) -> None:
        if not new:
            return
        constants = NEW_CONSTANTS | {"created_at": self.at, "updated_at": self.at}
        rows = [row for row, _, _ in new]
        if not any(product is not None or rec.stage_path for _, rec, product in new):
            self.bulk.insert(OPP, NEW_COLUMNS, rows, constants)
            self.counts.created += len(rows)
            return
        ids = self.bulk.new_ids(OPP, len(rows))
        if ids is not None:
            self.bulk.insert(
                OPP,
                ("id", *NEW_COLUMNS),
                [(i, *r) for i, r in zip(ids, rows, strict=True)],
                constants,
            )
        else:
            self.bulk.insert(OPP, NEW_COLUMNS, rows, constants)
            result = self.session.execute(
                select(OPP.c.external_id, OPP.c.id).where(
                    OPP.c.external_id.in_([rec.external_id for _, rec, _ in new])
                )
            )
            found = {external_id: opp_id for external_id, opp_id in result}
            ids = [found[rec.external_id] for _, rec, _ in new]
        lines: list[tuple[Any, ...]] = []
        history: list[tuple[Any, ...]] = []
        for opp_id, (_row, rec, product) in zip(ids, new, strict=True):
            if product is not None:
                lines.append(_line(opp_id, rec, product))
            previous: str | None = None
            for stage_name, on in rec.stage_path:
                at = datetime.combine(on, time(), tzinfo=UTC)
                history.append((opp_id, "stage", previous, stage_name, at))
                previous = stage_name
        self.counts.created += len(rows)
        self.bulk.insert(LINES, LINE_COLUMNS, lines)
        self.counts.lines += len(lines)
        self.bulk.insert(CHANGES, CHANGE_COLUMNS, history, {"actor_id": self.actor_id})
        self.counts.history += len(history)

    def _update(
        self,
        rows: list[dict[str, Any]],
        history: list[tuple[Any, ...]],
        lines: list[tuple[int, Record, ProductInfo]],
    ) -> None:
        if not rows:
            return
        stmt = (
            update(OPP)
            .where(OPP.c.id == bindparam("_id"))
            .values({f: bindparam(f) for f in (*_UPDATED, "updated_at")})
        )
        self.session.execute(stmt, rows)
        self.counts.updated += len(rows)
        self.bulk.insert(CHANGES, CHANGE_COLUMNS, history, {"actor_id": self.actor_id})
        self.counts.history += len(history)
        if lines:
            self.session.execute(
                delete(LINES).where(LINES.c.opportunity_id.in_([opp_id for opp_id, _, _ in lines]))
            )
            self.bulk.insert(LINES, LINE_COLUMNS, [_line(i, r, p) for i, r, p in lines])
            self.counts.lines += len(lines)


def _line(opp_id: int, rec: Record, product: ProductInfo) -> tuple[Any, ...]:
    """The values of LINE_COLUMNS: one line item per row, net price = amount / quantity."""
    quantity = rec.quantity or Decimal(1)
    net = to_money(rec.amount / quantity)
    return (opp_id, product.id, quantity, product.list_price, net, product.unit_cost)


def _line_key(line: Sequence[Any]) -> list[tuple[Any, ...]]:
    return [(line[1], Decimal(line[2]), Decimal(line[4]))]


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _duplicate(external_id: str, first_line: int | None) -> str:
    where = f"line {first_line}" if first_line is not None else "an earlier row of this import"
    return f"external_id {quoted(external_id)} appears more than once; it is also on {where}"
