"""The rules a value network must keep beyond field types: names, uniqueness and references.

`check_spec` works on a NetworkSpec, so the same rules apply to a network read from a file
(with a Locator that knows the lines) and to one built in code (no lines).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

from valuescout.valuenet.fileformat_problems import Problem, join
from valuescout.valuenet.spec import NetworkSpec

_LAST_STEP = re.compile(r"(\.[^.\[\]]+|\[\d+\])$")


@dataclass
class Locator:
    """Where the parts of a spec came from in a file.

    `lines` maps a path in the file ("links[3].to") to its 1-based line. `kept` maps a list's
    path to the file position of each item that made it into the spec, for lists where the
    reader had to leave an item out (e.g. one without a name). `reported` holds the paths the
    reader already found wrong, so the rules do not report them a second time.
    """

    lines: dict[str, int] = field(default_factory=dict)
    kept: dict[str, list[int]] = field(default_factory=dict)
    reported: set[str] = field(default_factory=set)

    def item(self, list_path: str, index: int) -> str:
        positions = self.kept.get(list_path)
        return join(list_path, positions[index] if positions is not None else index)

    def line(self, path: str) -> int | None:
        while True:
            if path in self.lines:
                return self.lines[path]
            if not path:
                return None
            path = _LAST_STEP.sub("", path) if _LAST_STEP.search(path) else ""


def name_problem(name: str) -> str | None:
    """Why `name` cannot name something, or None when it can."""
    if not name.strip():
        return "must not be empty"
    if name != name.strip():
        return "must not start or end with spaces"
    if any(unicodedata.category(char) in ("Cc", "Zl", "Zp") for char in name):
        return "must be one line without control characters"
    return None


def check_spec(spec: NetworkSpec, locator: Locator | None = None) -> list[Problem]:
    """Every broken rule in `spec`, in document order."""
    return _Checker(spec, locator or Locator()).run()


def _quote(name: str) -> str:
    return "'" + name.replace("'", "\\'") + "'"


class _Checker:
    def __init__(self, spec: NetworkSpec, locator: Locator) -> None:
        self.spec = spec
        self.loc = locator
        self.problems: list[Problem] = []
        self.differentiators = {d.name for d in spec.differentiators}
        self.outcomes = {o.name for o in spec.outcomes}

    def add(self, path: str, message: str) -> None:
        if path not in self.loc.reported:
            self.problems.append(Problem(self.loc.line(path), path, message))

    def run(self) -> list[Problem]:
        self.check_name("name", self.spec.name)
        self.check_name("offer.name", self.spec.offer.name)
        nodes = [("differentiators", d.name) for d in self.spec.differentiators]
        nodes += [("outcomes", o.name) for o in self.spec.outcomes]
        self.check_unique(nodes, "differentiators and outcomes share one set of names")
        self.check_unique([("personas", p.name) for p in self.spec.personas], "")
        self.check_unique([("competitors", c.name) for c in self.spec.competitors], "")
        self.check_links()
        self.check_personas()
        self.check_competitors()
        return self.problems

    def check_name(self, path: str, name: str) -> None:
        problem = name_problem(name)
        if problem is not None:
            self.add(path, problem)

    def check_unique(self, names: Sequence[tuple[str, str]], note: str) -> None:
        first: dict[str, str] = {}
        counters: dict[str, int] = {}
        for section, name in names:
            index = counters.get(section, 0)
            counters[section] = index + 1
            path = self.loc.item(section, index)
            self.check_name(join(path, "name"), name)
            folded = name.casefold()
            if folded not in first:
                first[folded] = path
                continue
            other = first[folded]
            line = self.loc.line(other)
            at = f"{other} (line {line})" if line is not None else other
            extra = f"; {note}" if note and section != other.split("[")[0] else ""
            self.add(
                join(path, "name"),
                f"the name {_quote(name)} is already used by {at}; names must differ in more "
                f"than upper and lower case{extra}",
            )

    @staticmethod
    def unknown(name: str, what: str, candidates: set[str]) -> str:
        guesses = sorted(c for c in candidates if c.casefold() == name.casefold())
        hint = f" (did you mean {_quote(guesses[0])}?)" if guesses else ""
        return f"{_quote(name)} is not {what} in this network{hint}"

    def check_links(self) -> None:
        nodes = self.differentiators | self.outcomes
        pairs: dict[frozenset[str], str] = {}
        for index, link in enumerate(self.spec.links):
            path = self.loc.item("links", index)
            known = True
            for end, name in (("from", link.source), ("to", link.target)):
                if name not in nodes:
                    self.add(
                        join(path, end), self.unknown(name, "a differentiator or outcome", nodes)
                    )
                    known = False
            if link.target in self.differentiators:
                known = False
                self.add(
                    join(path, "to"),
                    f"{_quote(link.target)} is a differentiator; links lead from a "
                    "differentiator or outcome to an outcome, never into a differentiator",
                )
            elif link.two_way and link.source in self.differentiators:
                known = False
                self.add(
                    join(path, "two_way"),
                    f"{_quote(link.source)} is a differentiator; a two-way link joins two "
                    "outcomes (nothing leads back into a differentiator)",
                )
            if link.source == link.target:
                self.add(path, f"a link from {_quote(link.source)} to itself says nothing")
                continue
            pair = frozenset((link.source, link.target))
            if known and pair in pairs:
                self.add(
                    path,
                    f"{_quote(link.source)} and {_quote(link.target)} are already linked by "
                    f"{pairs[pair]}; give one link per pair (two_way: true for links that "
                    "reinforce each other)",
                )
            pairs.setdefault(pair, path)

    def check_personas(self) -> None:
        for index, persona in enumerate(self.spec.personas):
            section = join(self.loc.item("personas", index), "outcomes")
            seen: dict[str, str] = {}
            for position, wanted in enumerate(persona.outcomes):
                path = self.loc.item(section, position)
                name = wanted.outcome
                if name in self.differentiators:
                    message = (
                        f"{_quote(name)} is a differentiator; personas are attached to outcomes"
                    )
                    self.add(join(path, "outcome"), message)
                elif name not in self.outcomes:
                    self.add(join(path, "outcome"), self.unknown(name, "an outcome", self.outcomes))
                elif name in seen:
                    message = f"{_quote(name)} is already listed for this persona at {seen[name]}"
                    self.add(join(path, "outcome"), message)
                seen.setdefault(name, path)

    def check_competitors(self) -> None:
        for index, competitor in enumerate(self.spec.competitors):
            section = join(self.loc.item("competitors", index), "matches")
            seen: dict[str, str] = {}
            for position, match in enumerate(competitor.matches):
                path = join(self.loc.item(section, position), "differentiator")
                name = match.differentiator
                if name in self.outcomes:
                    message = (
                        f"{_quote(name)} is an outcome; competitors are matched on differentiators"
                    )
                    self.add(path, message)
                elif name not in self.differentiators:
                    self.add(path, self.unknown(name, "a differentiator", self.differentiators))
                elif name in seen:
                    message = (
                        f"{_quote(name)} is already matched for this competitor at {seen[name]}"
                    )
                    self.add(path, message)
                seen.setdefault(name, path)
