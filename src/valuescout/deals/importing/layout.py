"""Which column of a file holds each of our fields, and the typo fixes per column (pure)."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from valuescout.deals.importing.mapping import ImportMapping
from valuescout.deals.importing.presets import FIELDS, REQUIRED, Preset, column_key
from valuescout.deals.importing.problems import Notes, Problem, listed

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
                        f"has no such column; its columns are: {listed(header)}",
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
                + f". The columns found are: {listed(header) or '(none)'}. Name the columns "
                "that hold them under columns: in a mapping file (e.g. external_id: Opp Ref).",
                "columns",
            )
        )
    seen = Counter(header)  # header.count() per column took 30 s on 20,000 columns
    duplicates = sorted({h for h in header if h and seen[h] > 1})
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
