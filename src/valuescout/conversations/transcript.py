"""Turn notes or a pasted transcript into sentences, each with its speaker when known.

Transcript lines look like `Speaker: text`, `[00:01:02] Speaker: text`, `00:01 Speaker: text`
or `Speaker (00:01): text` (the text may also start on the next line). A label only counts as
a speaker when at least two lines use the form (or one label in a `Speaker (00:01)` form), so
a lone `Note: ...` line in free notes is not mistaken for a speaker; headings such as
`Next steps:` never are. Lines without a label continue the previous speaker's turn.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_STAMP = r"(?:\[?\(?\d{1,2}:\d{2}(?::\d{2})?\)?\]?\s*)"
_LABEL = r"(?P<label>[A-Za-z][\w.'&-]*(?: [A-Za-z0-9][\w.'&-]*){0,3})"
_SPEAKER_LINE = re.compile(
    rf"^\s*{_STAMP}?{_LABEL}\s*(?:(?P<stamp>\(\d{{1,2}}:\d{{2}}(?::\d{{2}})?\))|"
    r"(?P<role>\([^():\d]{1,30}\)))?\s*:\s*(?P<text>.*)$"
)
# Labels that head a section of notes rather than name a speaker.
_NOT_SPEAKERS = {
    "note",
    "notes",
    "next steps",
    "next step",
    "action items",
    "actions",
    "summary",
    "agenda",
    "attendees",
    "participants",
    "date",
    "subject",
    "re",
    "todo",
    "to do",
    "follow up",
    "follow-up",
    "outcome",
    "outcomes",
    "decision",
    "decisions",
    "question",
    "questions",
    "context",
    "background",
    "result",
    "results",
    "goal",
    "goals",
    "pain",
    "pains",
    "budget",
    "timeline",
    "risks",
    "risk",
    "call notes",
    "meeting notes",
    "ps",
    "p.s",
    "update",
    "fyi",
    "http",
    "https",
    "tip",
    "ask",
    "asks",
    "key points",
    "notes from call",
    "objective",
}
_BULLET = re.compile(r"^\s*(?:[-*\u2022\u2013>]+|\d+[.)])\s+")
_ABBREVIATIONS = {
    "mr",
    "mrs",
    "ms",
    "dr",
    "prof",
    "st",
    "vs",
    "etc",
    "e.g",
    "i.e",
    "approx",
    "inc",
    "ltd",
    "co",
    "corp",
    "no",
    "nr",
    "fig",
    "dept",
    "jr",
    "sr",
    "mt",
    "eg",
    "ie",
    "cf",
    "ca",
}
# A sentence ends at . ! ? (and any closing quotes/brackets) followed by space and a capital,
# digit, quote or bracket; the start of the next sentence is kept.
_BOUNDARY = re.compile(
    r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9$\u20ac\u00a3])"
)


@dataclass(frozen=True)
class Sentence:
    text: str
    speaker: str | None


@dataclass(frozen=True)
class Transcript:
    sentences: tuple[Sentence, ...]
    speakers: tuple[str, ...]


def parse(text: str) -> Transcript:
    """Split the text into sentences and attach each to its speaker (None in free notes)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    labels = _speaker_labels(lines)
    turns: list[tuple[str | None, str]] = []
    speaker: str | None = None
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        match = _SPEAKER_LINE.match(line)
        if match and _speaker(match) in labels:
            speaker = _speaker(match)
            line = match.group("text").strip()
            if not line:
                continue
        else:
            line = _strip_stamp(line)
        turns.append((speaker, _BULLET.sub("", line)))
    sentences = tuple(
        Sentence(part, who) for who, line in turns for part in split_sentences(line) if part
    )
    ordered: list[str] = []
    for sentence in sentences:
        if sentence.speaker and sentence.speaker not in ordered:
            ordered.append(sentence.speaker)
    return Transcript(sentences, tuple(ordered))


def split_sentences(line: str) -> list[str]:
    """Sentence split within one line, not after abbreviations such as `Dr.` or `e.g.`."""
    parts: list[str] = []
    start = 0
    for boundary in _BOUNDARY.finditer(line):
        before = line[start : boundary.start()].rstrip()
        last_word = before.rsplit(" ", 1)[-1].rstrip(".").lower()
        if before.endswith(".") and (last_word in _ABBREVIATIONS or len(last_word) == 1):
            continue
        parts.append(line[start : boundary.end()].strip())
        start = boundary.end()
    parts.append(line[start:].strip())
    return [p for p in parts if p]


def _speaker_labels(lines: list[str]) -> set[str]:
    counts: dict[str, int] = {}
    stamped: set[str] = set()
    for line in lines:
        match = _SPEAKER_LINE.match(line)
        if not match:
            continue
        label = _speaker(match)
        if _clean_label(match.group("label")).lower() in _NOT_SPEAKERS:
            continue
        counts[label] = counts.get(label, 0) + 1
        if match.group("stamp") or re.match(rf"^\s*{_STAMP}", line):
            stamped.add(label)
    speaker_lines = sum(counts.values())
    return {
        label for label, n in counts.items() if label in stamped or (speaker_lines >= 2 and n >= 1)
    }


def _speaker(match: re.Match[str]) -> str:
    """The label as written, with a role in brackets kept: `Lena (Kestrel)`."""
    label = _clean_label(match.group("label"))
    return f"{label} {match.group('role')}" if match.group("role") else label


def _clean_label(label: str) -> str:
    return label.strip().rstrip(".")


def _strip_stamp(line: str) -> str:
    return re.sub(rf"^{_STAMP}", "", line).strip()
