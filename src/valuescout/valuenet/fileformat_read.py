"""The located tree of a document -> a NetworkSpec, noting every field that is wrong.

Reading goes on after a problem, so one pass reports everything: a bad value falls back to
the field's default, and an item that cannot be used at all (no name, no link end) is left
out of the spec, which the Locator records so later problems still name the right item.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import TypeVar

from valuescout.valuenet.fileformat_problems import Problem, join
from valuescout.valuenet.fileformat_rules import Locator
from valuescout.valuenet.fileformat_tree import TRUE_WORDS, Map, Node, Scalar, Seq, describe
from valuescout.valuenet.spec import (
    Competitor,
    CompetitorMatch,
    Differentiator,
    DifferentiatorKind,
    Link,
    Match,
    NetworkSpec,
    Offer,
    OfferKind,
    Outcome,
    OutcomeKind,
    Persona,
    PersonaOutcome,
    Strength,
)

FORMAT_ID = "valuescout.value-network/1"

# Field names in canonical order, per kind of mapping (the writer uses the same order).
NETWORK_FIELDS = (
    "format",
    "name",
    "description",
    "offer",
    "differentiators",
    "outcomes",
    "links",
    "personas",
    "competitors",
)
OFFER_FIELDS = ("name", "kind", "description")
DIFFERENTIATOR_FIELDS = ("name", "kind", "description")
OUTCOME_FIELDS = ("name", "kind", "executive", "measure", "unit", "description")
LINK_FIELDS = ("from", "to", "two_way", "rationale")
PERSONA_FIELDS = ("name", "description", "outcomes")
PERSONA_OUTCOME_FIELDS = ("outcome", "strength")
COMPETITOR_FIELDS = ("name", "description", "matches")
MATCH_FIELDS = ("differentiator", "match")

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")
Fields = dict[str, tuple[Node, str]]  # field name -> (value, path)


def read_network(root: Node | None) -> tuple[NetworkSpec, Locator, list[Problem]]:
    reader = _Reader()
    return reader.network(root), reader.locator, reader.problems


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.locator = Locator()

    def add(self, line: int | None, path: str, message: str) -> None:
        self.problems.append(Problem(line, path, message))
        self.locator.reported.add(path)

    # --- generic fields -----------------------------------------------------------------

    def fields(
        self, node: Node, path: str, allowed: tuple[str, ...], required: tuple[str, ...]
    ) -> Fields | None:
        if not isinstance(node, Map):
            names = ", ".join(allowed)
            self.add(
                node.line, path, f"must be a mapping of fields ({names}), not {describe(node)}"
            )
            return None
        self.locator.lines[path] = node.line
        found: Fields = {}
        for entry in node.entries:
            field_path = join(path, entry.key)
            if entry.key not in allowed:
                message = f"unknown field '{entry.key}'; the fields here are {', '.join(allowed)}"
                self.add(entry.line, field_path, message)
                continue
            self.locator.lines[field_path] = entry.value.line
            found[entry.key] = (entry.value, field_path)
        for name in required:
            if name not in found:
                self.add(node.line, path, f"the required field '{name}' is missing")
                self.locator.reported.add(join(path, name))
        return found

    def _get(self, fields: Fields, key: str, required: bool) -> tuple[Node, str] | None:
        """The field's value, or None when it is absent or (optional and) empty."""
        got = fields.get(key)
        if got is None:
            return None
        node, path = got
        if isinstance(node, Scalar) and node.kind == "null":
            if required:
                self.add(node.line, path, "must not be empty")
            return None
        return got

    def text(self, fields: Fields, key: str, required: bool = False) -> str | None:
        got = self._get(fields, key, required)
        if got is None:
            return None
        node, path = got
        if isinstance(node, Scalar) and node.kind == "text":
            return node.value
        message = f"must be text, not {describe(node)}"
        if isinstance(node, Scalar) and node.kind in ("number", "bool", "date"):
            message += f' (put it in quotes, "{node.value}", if you mean the text)'
        self.add(node.line, path, message)
        return None

    def flag(self, fields: Fields, key: str) -> bool | None:
        got = self._get(fields, key, required=False)
        if got is None:
            return None
        node, path = got
        if isinstance(node, Scalar) and node.kind == "bool":
            return node.value.lower() in TRUE_WORDS
        self.add(node.line, path, f"must be true or false, not {describe(node)}")
        return None

    def choice(
        self, fields: Fields, key: str, kind: type[E], what: str, required: bool = False
    ) -> E | None:
        got = self._get(fields, key, required)
        if got is None:
            return None
        node, path = got
        allowed = ", ".join(member.value for member in kind)
        if isinstance(node, Scalar) and node.kind == "bool" and kind is Match:
            # Unquoted yes/no are booleans in YAML 1.1; for a match they mean "yes"/"no".
            return kind("yes" if node.value.lower() in TRUE_WORDS else "no")
        if isinstance(node, Scalar) and node.kind == "text":
            try:
                return kind(node.value)
            except ValueError:
                self.add(node.line, path, f"'{node.value}' is not a {what}; use one of {allowed}")
                return None
        self.add(node.line, path, f"must be one of {allowed}, not {describe(node)}")
        return None

    def items(self, fields: Fields, key: str, read: Callable[[Node, str], T | None]) -> list[T]:
        got = self._get(fields, key, required=False)
        if got is None:
            return []
        node, path = got
        if not isinstance(node, Seq):
            self.add(node.line, path, f"must be a list, not {describe(node)}")
            return []
        kept: list[T] = []
        positions: list[int] = []
        for position, item in enumerate(node.items):
            item_path = join(path, position)
            self.locator.lines[item_path] = item.line
            value = read(item, item_path)
            if value is not None:
                kept.append(value)
                positions.append(position)
        if len(positions) != len(node.items):
            self.locator.kept[path] = positions
        return kept

    # --- the format's parts -------------------------------------------------------------

    def network(self, root: Node | None) -> NetworkSpec:
        fields = None
        if root is None:
            self.add(1, "", "the document is empty; a value network needs at least a name")
        else:
            fields = self.fields(root, "", NETWORK_FIELDS, ("name",))
        if fields is None:  # nothing more to read, nor to check
            self.locator.reported.update(("name", "offer.name"))
            return NetworkSpec(name="", offer=Offer(name=""))
        version = self.text(fields, "format")
        if version is not None and version != FORMAT_ID:
            node, path = fields["format"]
            message = f"'{version}' is not a format this version reads (it reads {FORMAT_ID})"
            self.add(node.line, path, message)
        name = self.text(fields, "name", required=True) or ""
        offer_field = self._get(fields, "offer", required=False)
        offer = self.offer(*offer_field) if offer_field is not None else None
        if offer is None:  # the offer takes the network's name: check that name only once
            self.locator.reported.add("offer.name")
        return NetworkSpec(
            name=name,
            offer=offer or Offer(name=name),
            description=self.text(fields, "description") or "",
            differentiators=self.items(fields, "differentiators", self.differentiator),
            outcomes=self.items(fields, "outcomes", self.outcome),
            links=self.items(fields, "links", self.link),
            personas=self.items(fields, "personas", self.persona),
            competitors=self.items(fields, "competitors", self.competitor),
        )

    def offer(self, node: Node, path: str) -> Offer | None:
        fields = self.fields(node, path, OFFER_FIELDS, ("name",))
        if fields is None:
            return None
        return Offer(
            name=self.text(fields, "name", required=True) or "",
            kind=self.choice(fields, "kind", OfferKind, "kind of offer") or OfferKind.PRODUCT,
            description=self.text(fields, "description") or "",
        )

    def differentiator(self, node: Node, path: str) -> Differentiator | None:
        fields = self.fields(node, path, DIFFERENTIATOR_FIELDS, ("name",))
        if fields is None:
            return None
        name = self.text(fields, "name", required=True)
        what = "kind of differentiator"
        kind = self.choice(fields, "kind", DifferentiatorKind, what) or DifferentiatorKind.OTHER
        description = self.text(fields, "description") or ""
        return None if name is None else Differentiator(name, kind, description)

    def outcome(self, node: Node, path: str) -> Outcome | None:
        fields = self.fields(node, path, OUTCOME_FIELDS, ("name",))
        if fields is None:
            return None
        name = self.text(fields, "name", required=True)
        outcome = Outcome(
            name=name or "",
            kind=self.choice(fields, "kind", OutcomeKind, "kind of outcome")
            or OutcomeKind.BUSINESS,
            executive=self.flag(fields, "executive") or False,
            measure=self.text(fields, "measure") or "",
            unit=self.text(fields, "unit") or "",
            description=self.text(fields, "description") or "",
        )
        return None if name is None else outcome

    def link(self, node: Node, path: str) -> Link | None:
        fields = self.fields(node, path, LINK_FIELDS, ("from", "to"))
        if fields is None:
            return None
        source = self.text(fields, "from", required=True)
        target = self.text(fields, "to", required=True)
        two_way = self.flag(fields, "two_way") or False
        rationale = self.text(fields, "rationale") or ""
        if source is None or target is None:
            return None
        return Link(source, target, two_way, rationale)

    def persona(self, node: Node, path: str) -> Persona | None:
        fields = self.fields(node, path, PERSONA_FIELDS, ("name",))
        if fields is None:
            return None
        name = self.text(fields, "name", required=True)
        description = self.text(fields, "description") or ""
        outcomes = self.items(fields, "outcomes", self.persona_outcome)
        return None if name is None else Persona(name, description, outcomes)

    def persona_outcome(self, node: Node, path: str) -> PersonaOutcome | None:
        fields = self.fields(node, path, PERSONA_OUTCOME_FIELDS, ("outcome",))
        if fields is None:
            return None
        outcome = self.text(fields, "outcome", required=True)
        strength = self.choice(fields, "strength", Strength, "strength") or Strength.PRIMARY
        return None if outcome is None else PersonaOutcome(outcome, strength)

    def competitor(self, node: Node, path: str) -> Competitor | None:
        fields = self.fields(node, path, COMPETITOR_FIELDS, ("name",))
        if fields is None:
            return None
        name = self.text(fields, "name", required=True)
        description = self.text(fields, "description") or ""
        matches = self.items(fields, "matches", self.competitor_match)
        return None if name is None else Competitor(name, description, matches)

    def competitor_match(self, node: Node, path: str) -> CompetitorMatch | None:
        fields = self.fields(node, path, MATCH_FIELDS, ("differentiator", "match"))
        if fields is None:
            return None
        differentiator = self.text(fields, "differentiator", required=True)
        # A bad match is reported; the item stays (as "no") so its differentiator is checked.
        match = self.choice(fields, "match", Match, "match", required=True) or Match.NO
        return None if differentiator is None else CompetitorMatch(differentiator, match)
