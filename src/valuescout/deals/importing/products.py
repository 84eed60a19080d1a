"""Matching a file's product names to our products (pure: the products come in as data)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from valuescout.deals.accounts import name_key
from valuescout.deals.importing.problems import SHOWN_CHARS, Notes, quoted


@dataclass(frozen=True, slots=True)
class ProductInfo:
    id: int
    name: str
    list_price: Decimal
    unit_cost: Decimal | None


class ProductBook:
    """Products by name: the mapping file first, then exact (ignoring case and surrounding
    spaces), then ignoring every space ("GTXPro" is "GTX Pro"), which is reported."""

    def __init__(self, products: list[ProductInfo], mapped: dict[str, str], notes: Notes) -> None:
        self.notes = notes
        self.mapped = {name_key(k): v for k, v in mapped.items()}
        self.by_key = {name_key(p.name): p for p in products}
        compact: dict[str, list[ProductInfo]] = {}
        for p in products:
            compact.setdefault(_compact(p.name), []).append(p)
        self.compact = compact
        self.known = ", ".join(sorted(p.name for p in products)) or "(none yet)"

    def resolve(self, text: str) -> ProductInfo | None:
        key = name_key(text)
        target = self.mapped.get(key)
        if target is not None:
            return self.by_key.get(name_key(target))
        found = self.by_key.get(key)
        if found is not None:
            return found
        near = self.compact.get(_compact(text), [])
        if len(near) == 1:
            self.notes[
                f"product {quoted(text)} matched {near[0].name!r} ignoring spaces and case"
            ] += 1
            return near[0]
        return None

    def unknown(self, text: str) -> str:
        target = self.mapped.get(name_key(text))
        if target is not None:
            return f"the mapping file maps {quoted(text)} to {target!r}, which is not a product"
        first = self.known.split(", ")[0]
        example = f' (e.g. "{text}": {first})' if len(text) <= SHOWN_CHARS else ""
        return (
            f"unknown product {quoted(text)}; our products are {self.known}. Map it in a mapping "
            f"file under products:{example}"
        )


def _compact(name: str) -> str:
    return "".join(name.split()).lower()
