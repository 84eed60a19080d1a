"""Who and what an import's rows name, resolved a batch at a time: owners (users, or ones to
create), accounts (ours, or ones to create), products; names that match nothing are refused
with the way out and counted (spellings that differ only in case are one name)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from valuescout.deals.accounts import name_key
from valuescout.deals.importing.org import Accounts, People, Person
from valuescout.deals.importing.problems import Notes, Problem, quoted
from valuescout.deals.importing.products import ProductBook, ProductInfo
from valuescout.deals.importing.validate import Record
from valuescout.identity.roles import Role

UNKNOWN_VALUES_LIMIT = 200


@dataclass
class WriteOptions:
    create_missing: bool = False
    default_owner: str | None = None  # an email or full name, for rows without an owner
    owner_map: dict[str, str] = field(default_factory=dict)
    account_map: dict[str, str] = field(default_factory=dict)
    currency: str = "USD"


class BatchReferences:
    def __init__(
        self,
        people: People,
        book: Accounts,
        catalogue: ProductBook,
        options: WriteOptions,
        notes: Notes,
        unknown: Counter[str],
    ) -> None:
        self.people = people
        self.book = book
        self.catalogue = catalogue
        self.options = options
        self.notes = notes
        self.unknown = unknown
        self.unknown_names: dict[tuple[str, str], str] = {}
        self.owner_map = {name_key(k): v for k, v in options.owner_map.items()}
        self.account_map = {name_key(k): v for k, v in options.account_map.items()}

    def owners(
        self, batch: list[Record], existing: Mapping[str, object], fail: Any
    ) -> dict[int, Person | str | None]:
        """Person, or the text of an owner to create, or None to keep the existing owner."""
        found: dict[int, Person | str | None] = {}
        seen: dict[str, tuple[str, Person | list[Person] | None]] = {}
        for i, rec in enumerate(batch):
            text = rec.owner
            if text is None:
                if rec.external_id in existing:
                    found[i] = None
                    continue
                text = self.options.default_owner
                if text is None:
                    fail(
                        i,
                        rec,
                        "owner",
                        "no owner: the row has none and no default owner was given",
                        "owner",
                    )
                    continue
            known = seen.get(text)
            if known is None:
                target = self.owner_map.get(name_key(text), text) if self.owner_map else text
                known = seen[text] = (target, self.people.find(target))
            target, person = known
            if isinstance(person, Person):
                found[i] = person
            elif isinstance(person, list):
                fail(
                    i,
                    rec,
                    "owner",
                    f"owner {quoted(target)} matches {len(person)} users; map it to one user's "
                    "email under owners: in a mapping file",
                    "owner",
                )
            elif self.options.create_missing:
                found[i] = target
            else:
                self._unknown("owner", target)
                fail(
                    i,
                    rec,
                    "owner",
                    f"owner {quoted(target)} is not a user; add the user first, map the name to a "
                    "user's email under owners: in a mapping file, or let the import create "
                    "missing owners and accounts (--create-missing)",
                    "owner",
                )
        return found

    def create_missing_owners(
        self,
        batch: list[Record],
        owners: dict[int, Person | str | None],
        problems: dict[int, list[Problem]],
        fail: Any,
    ) -> None:
        for i, owner in list(owners.items()):
            if not isinstance(owner, str) or i in problems:
                continue
            person = self.people.find(owner)  # created by an earlier row
            if not isinstance(person, Person):
                try:
                    person = self.people.create(owner, Role.SELLER, None, "opportunity import")
                except ValueError as exc:
                    fail(i, batch[i], "owner", str(exc), "owner")
                    continue
            owners[i] = person

    def products(self, batch: list[Record], fail: Any) -> dict[int, ProductInfo]:
        found: dict[int, ProductInfo] = {}
        for i, rec in enumerate(batch):
            if rec.product is None:
                continue
            product = self.catalogue.resolve(rec.product)
            if product is None:
                self._unknown("product", rec.product)
                fail(i, rec, "product", self.catalogue.unknown(rec.product), "product")
            else:
                found[i] = product
        return found

    def accounts(self, batch: list[Record], fail: Any) -> dict[int, int | tuple[str, str] | None]:
        """Account id, or (key, name) to create, or None for no account."""
        wanted: dict[int, tuple[str, str]] = {}
        keys: dict[str, tuple[str, str]] = {}  # the file's name -> (key, our name)
        for i, rec in enumerate(batch):
            text = rec.account
            if text is None:
                continue
            if not text:
                self.notes[f"account blank on {rec.stage.outcome} deals: no account"] += 1
                continue
            pair = keys.get(text)
            if pair is None:
                target = self.account_map.get(name_key(text), text) if self.account_map else text
                pair = keys[text] = (name_key(target), target)
            wanted[i] = pair
        ids = self.book.lookup({key for key, _ in wanted.values()})
        result: dict[int, int | tuple[str, str] | None] = {}
        for i, rec in enumerate(batch):
            if rec.account is not None and not rec.account:
                result[i] = None
        for i, (key, name) in wanted.items():
            if key in ids:
                result[i] = ids[key]
            elif self.options.create_missing:
                result[i] = (key, name)
            else:
                self._unknown("account", name)
                fail(
                    i,
                    batch[i],
                    "account",
                    f"account {quoted(name)} does not exist; add it first, map the name to one of "
                    "ours under accounts: in a mapping file, or let the import create missing "
                    "owners and accounts (--create-missing)",
                    "account",
                )
        return result

    def account_id(self, found: int | tuple[str, str] | None) -> int | None:
        if isinstance(found, tuple):  # created above
            return self.book.cache[found[0]]
        return found

    def _unknown(self, kind: str, value: str) -> None:
        """Count a name that matched nothing (spellings that differ only in case are one)."""
        key = (kind, name_key(value))
        shown = self.unknown_names.get(key)
        if shown is None:
            if len(self.unknown_names) >= UNKNOWN_VALUES_LIMIT:
                return
            shown = self.unknown_names[key] = f"{kind} {quoted(value)}"
        self.unknown[shown] += 1
