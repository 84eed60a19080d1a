"""A value network as a diagram: Mermaid flowchart text and Graphviz DOT.

Both are deterministic (same spec, same bytes) and draw the network the way the method does:
differentiators as rectangles, outcomes as ovals (rounded in Mermaid), cause -> effect
arrows, two-way arrows for mutual reinforcement, executive-worthy outcomes marked with a star
and a heavier border, and each outcome's personas next to it. Node ids are generated (d1, d2,
... for differentiators, o1, o2, ... for outcomes, in list order), so names never have to be
identifiers. Links whose ends are not in the network are left out of the drawing.
"""

from __future__ import annotations

import textwrap
import unicodedata
from dataclasses import dataclass

from valuescout.valuenet.spec import NetworkSpec, Outcome, Strength

__all__ = ["to_dot", "to_mermaid"]

STAR = "★"
_WRAP = 28  # characters per line in DOT labels (Mermaid wraps labels itself)

# Mermaid styles: colours only, no trailing ';' (Mermaid rewrites "classDef ...#...;" lines).
_MERMAID_CLASSES = (
    "classDef differentiator fill:#e8f0fe,stroke:#1d4ed8,stroke-width:1px,color:#0f172a",
    "classDef outcome fill:#ffffff,stroke:#475569,stroke-width:1px,color:#0f172a",
    "classDef executive fill:#fff7e6,stroke:#b45309,stroke-width:3px,color:#0f172a",
)

# Characters that could end a quoted label or be read as markup, written as Mermaid entity
# codes (#name; or #number;). '#' itself is escaped so no text can look like an entity code.
_MERMAID_ENTITIES = {
    "#": "#35;",
    '"': "#quot;",
    "&": "#amp;",
    "<": "#lt;",
    ">": "#gt;",
    "|": "#124;",
    "`": "#96;",
    ":": "#58;",
    "%": "#37;",
}


@dataclass(frozen=True)
class _Drawing:
    """The parts both formats draw, with ids assigned."""

    ids: dict[str, str]  # node name -> id
    differentiators: list[tuple[str, str]]  # (id, name)
    outcomes: list[tuple[str, Outcome]]  # (id, outcome)
    links: list[tuple[str, str, bool, str]]  # (from id, to id, two-way, rationale)
    personas: dict[str, tuple[list[str], list[str]]]  # outcome name -> (primary, secondary)


def _drawing(spec: NetworkSpec) -> _Drawing:
    ids: dict[str, str] = {}
    differentiators: list[tuple[str, str]] = []
    outcomes: list[tuple[str, Outcome]] = []
    for number, differentiator in enumerate(spec.differentiators, start=1):
        node_id = f"d{number}"
        ids.setdefault(differentiator.name, node_id)
        differentiators.append((node_id, differentiator.name))
    for number, outcome in enumerate(spec.outcomes, start=1):
        node_id = f"o{number}"
        ids.setdefault(outcome.name, node_id)
        outcomes.append((node_id, outcome))
    links = [
        (ids[link.source], ids[link.target], link.two_way, link.rationale)
        for link in spec.links
        if link.source in ids and link.target in ids
    ]
    personas: dict[str, tuple[list[str], list[str]]] = {}
    for persona in spec.personas:
        for wanted in persona.outcomes:
            primary, secondary = personas.setdefault(wanted.outcome, ([], []))
            bucket = primary if wanted.strength == Strength.PRIMARY else secondary
            if persona.name not in bucket:
                bucket.append(persona.name)
    return _Drawing(ids, differentiators, outcomes, links, personas)


def _one_line(text: str) -> str:
    """Text on one line: each line break or control character becomes a space."""
    text = text.replace("\r\n", "\n")
    return "".join(
        " " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char for char in text
    ).strip()


def _persona_note(personas: tuple[list[str], list[str]] | None) -> str:
    if personas is None:
        return ""
    primary, secondary = personas
    parts = [", ".join(primary)] if primary else []
    if secondary:
        parts.append("secondary: " + ", ".join(secondary))
    return "; ".join(parts)


def _outcome_label(outcome: Outcome) -> str:
    return f"{STAR} {outcome.name}" if outcome.executive else outcome.name


# --- Mermaid ----------------------------------------------------------------------------------


def _mermaid_text(text: str) -> str:
    return "".join(_MERMAID_ENTITIES.get(char, char) for char in _one_line(text))


def to_mermaid(spec: NetworkSpec, *, rationale: bool = True, personas: bool = True) -> str:
    """A Mermaid `flowchart LR` of the network.

    Differentiators are rectangles, outcomes stadium shapes; executive-worthy outcomes carry a
    star and the `executive` class (heavier border). With `personas`, an outcome's personas
    appear in small type under its name; with `rationale`, a link's rationale is its label.
    """
    drawing = _drawing(spec)
    lines = ["flowchart LR", f"  %% Value network: {_one_line(spec.name)}"]
    lines.append(f"  %% Offer: {_one_line(spec.offer.name)} ({spec.offer.kind})")
    for node_id, name in drawing.differentiators:
        lines.append(f'  {node_id}["{_mermaid_text(name)}"]:::differentiator')
    for node_id, outcome in drawing.outcomes:
        label = _mermaid_text(_outcome_label(outcome))
        note = _persona_note(drawing.personas.get(outcome.name)) if personas else ""
        if note:
            label += f"<br><small>{_mermaid_text(note)}</small>"
        css = "executive" if outcome.executive else "outcome"
        lines.append(f'  {node_id}(["{label}"]):::{css}')
    for source, target, two_way, why in drawing.links:
        arrow = "<-->" if two_way else "-->"
        text = _mermaid_text(why) if rationale else ""
        label = f'|"{text}"|' if text else ""
        lines.append(f"  {source} {arrow}{label} {target}")
    lines.extend(f"  {line}" for line in _MERMAID_CLASSES)
    return "\n".join(lines) + "\n"


# --- Graphviz DOT -----------------------------------------------------------------------------


def _dot_string(text: str, *, multiline: bool = False, wrap: int = 0) -> str:
    """A DOT double-quoted string.

    With `multiline`, the text's line breaks are kept (as centred \\n breaks); with `wrap`,
    one-line text is broken into lines of about that many characters.
    """
    if multiline:
        lines = text.replace("\r\n", "\n").split("\n")
        text = "\n".join(_one_line(line) for line in lines).strip("\n")
    else:
        text = _one_line(text)
        if wrap:
            text = "\n".join(textwrap.wrap(text, wrap, break_long_words=False))
    # Graphviz reads "&name;" in any string as an HTML entity, so '&' is written as one too.
    escaped = text.replace("&", "&amp;").replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n")
    return f'"{escaped}"'


def _attributes(pairs: list[tuple[str, str]]) -> str:
    return "[" + ", ".join(f"{key}={value}" for key, value in pairs) + "]"


def to_dot(spec: NetworkSpec, *, rationale: bool = True, personas: bool = True) -> str:
    """A Graphviz digraph of the network, left to right.

    Differentiators are boxes, outcomes ellipses; executive-worthy outcomes are bold with a
    double border and a star. With `personas`, an outcome's personas are its xlabel (and in
    its tooltip); descriptions become tooltips; with `rationale`, a link's rationale is its
    label. Two-way links are drawn with arrowheads at both ends (dir=both).
    """
    drawing = _drawing(spec)
    descriptions = {d.name: d.description for d in spec.differentiators}
    lines = [
        "digraph value_network {",
        "  graph "
        + _attributes(
            [
                ("rankdir", "LR"),
                ("label", _dot_string(spec.name)),
                ("labelloc", "t"),
                ("forcelabels", "true"),
                ("fontname", '"Helvetica"'),
            ]
        )
        + ";",
        '  node [fontname="Helvetica", color="#475569"];',
        '  edge [fontname="Helvetica", fontsize=10, color="#475569"];',
    ]
    for node_id, name in drawing.differentiators:
        attrs = [
            ("label", _dot_string(name, wrap=_WRAP)),
            ("shape", "box"),
            ("style", '"filled"'),
            ("fillcolor", '"#e8f0fe"'),
        ]
        if descriptions.get(name):
            attrs.append(("tooltip", _dot_string(descriptions[name], multiline=True)))
        lines.append(f"  {node_id} {_attributes(attrs)};")
    for node_id, outcome in drawing.outcomes:
        label = _dot_string(_outcome_label(outcome), wrap=_WRAP)
        attrs = [("label", label), ("shape", "ellipse")]
        if outcome.executive:
            attrs += [("style", '"bold"'), ("peripheries", "2"), ("color", '"#b45309"')]
        note = _persona_note(drawing.personas.get(outcome.name)) if personas else ""
        if note:
            attrs.append(("xlabel", _dot_string(note, wrap=_WRAP + 10)))
        tooltip = "\n".join(
            part for part in (outcome.description, f"Personas: {note}" if note else "") if part
        )
        if tooltip:
            attrs.append(("tooltip", _dot_string(tooltip, multiline=True)))
        lines.append(f"  {node_id} {_attributes(attrs)};")
    for source, target, two_way, why in drawing.links:
        attrs = [("dir", "both")] if two_way else []
        if rationale and _one_line(why):
            attrs.append(("label", _dot_string(why, wrap=_WRAP + 10)))
        suffix = f" {_attributes(attrs)}" if attrs else ""
        lines.append(f"  {source} -> {target}{suffix};")
    lines.append("}")
    return "\n".join(lines) + "\n"
