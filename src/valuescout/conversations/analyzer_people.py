"""People and titles mentioned as possible stakeholders.

A title is a known acronym (CFO, COO, ...), `VP/Head/Director of X`, or a role noun
(manager, director, engineer, lead, buyer, ...) with up to three qualifiers before it
("plant manager", "senior reliability engineer"). A name is two or three capitalised words
that are not common sentence words. A name and a title in the same clause, side by side
("Maria Lopez, the plant manager", "VP of Operations Tom Reed", "Tom Reed (CFO)"), make one
person; a title alone ("their CFO") is a person without a name; a name alone is kept too.
"""

from __future__ import annotations

import re

from valuescout.conversations.analyzer_types import FoundPerson
from valuescout.conversations.transcript import Sentence

_ACRONYM = r"(?:CEO|CFO|COO|CTO|CIO|CPO|CISO|CSO|MD|GM|EHS manager|HSE manager)"
_QUALIFIER = (
    r"(?:chief|senior|ops|qa|qc|junior|lead|deputy|assistant|acting|general|regional|global|site|plant|"
    r"maintenance|operations|operational|procurement|purchasing|finance|financial|energy|"
    r"reliability|project|production|process|quality|safety|engineering|technical|IT|OT|EHS|HSE|"
    r"automation|utilities|utility|facilities|facility|supply chain|category|commercial|sales|"
    r"service|mechanical|electrical|controls|instrumentation|environmental|sustainability|"
    r"shift|works|asset|capital|water|wastewater|treatment|business|unit|area|line)"
)
_ROLE = (
    r"(?:manager|director|engineer|lead|supervisor|officer|controller|buyer|head|president|"
    r"owner|planner|coordinator|superintendent|specialist|analyst|foreman|technician|"
    r"administrator|accountant|treasurer|chairman|chair)"
)
_TITLE = re.compile(
    rf"\b(?:{_ACRONYM}|(?:VP|vice president|head|director|chief \w+ officer) (?:of|for) "
    r"(?:the )?[\w&-]+(?: (?:and|&) [\w&-]+)?|(?-i:VP [A-Z][\w&-]*)|"
    rf"(?:{_QUALIFIER} ){{1,3}}{_ROLE}s?)\b",
    re.IGNORECASE,
)
_NAME = re.compile(r"\b[A-Z][a-z]+(?:[- ](?:van |de |von |da )?[A-Z][a-z'-]+)+\b")
# capitalised words that start sentences or name things, not people
_NOT_NAMES_TEXT = """
a after all also an and any april are as at august before but can could dcs dear december
did director do does each east energy engineer every february first flowcare for friday good
great had has have he head hello her hey hi his how i if in is it january july june just
kestrel last lead let let's maintenance manager march may maybe might monday most must new
next no north not november october ok on once one only operations our per perhaps plant
please q1 q2 q3 q4 right saturday scada september shall she should since smartflow so some
south sunday sure thanks that the their then they this thursday tuesday two vp was we
wednesday well were west what when where which who why will with would yes
"""
_NOT_NAMES = frozenset(_NOT_NAMES_TEXT.split())


def find_people(
    sentences: tuple[Sentence, ...], speakers: tuple[str, ...]
) -> tuple[FoundPerson, ...]:
    found: list[FoundPerson] = []
    seen: set[tuple[str | None, str | None]] = set()
    for sentence in sentences:
        for person in _in_sentence(sentence.text, speakers):
            key = (person.name, person.title.lower() if person.title else None)
            if key not in seen:
                seen.add(key)
                found.append(person)
    named = {p.name for p in found}
    for speaker in speakers:
        if speaker not in named and _is_personal(speaker):
            first = next((s.text for s in sentences if s.speaker == speaker), "")
            # a speaker labelled by role ("Ops manager:") is a title, not a name
            as_title = _TITLE.fullmatch(speaker)
            found.append(
                FoundPerson(None, speaker, first) if as_title else FoundPerson(speaker, None, first)
            )
    return tuple(found)


def _in_sentence(text: str, speakers: tuple[str, ...]) -> list[FoundPerson]:
    titles = [m for m in _TITLE.finditer(text)]
    names = [n for m in _NAME.finditer(text) if (n := _trimmed_name(text, m, titles))]
    people: list[FoundPerson] = []
    used_titles: set[int] = set()
    for name in names:
        title = _nearest_title(text, name, titles, used_titles)
        if title is not None:
            used_titles.add(title.start())
        people.append(FoundPerson(name.group(0), title.group(0) if title else None, text))
    for title in titles:
        if title.start() not in used_titles:
            people.append(FoundPerson(None, title.group(0), text))
    return people


def _nearest_title(
    text: str, name: re.Match[str], titles: list[re.Match[str]], used: set[int]
) -> re.Match[str] | None:
    """A title right before or after the name, joined only by `, the`, `(`, `our`, `is` ..."""
    for title in titles:
        if title.start() in used:
            continue
        if title.end() <= name.start():
            between = text[title.end() : name.start()]
        elif title.start() >= name.end():
            between = text[name.end() : title.start()]
        else:
            continue
        if re.fullmatch(
            r"\s*(?:,|\(|-|\u2013|:)?\s*(?:(?:is|was|as|their|our|his|her|the|a|an|who is|"
            r"who's|from|of|and)\s+){0,2}",
            between,
        ):
            return title
    return None


def _trimmed_name(
    text: str, run: re.Match[str], titles: list[re.Match[str]]
) -> re.Match[str] | None:
    """The run of capitalised words without leading common words or title words, when two or
    three words remain ("VP of Operations Tom Reed" -> "Tom Reed")."""
    start = run.start()
    for word in re.finditer(r"[A-Z][\w'-]*", run.group(0)):
        at = run.start() + word.start()
        in_title = any(t.start() <= at < t.end() for t in titles)
        if word.group(0).lower() in _NOT_NAMES or in_title:
            start = run.start() + word.end() + 1
        else:
            break
    name = _NAME.match(text, start, run.end()) if start < run.end() else None
    if name is None or name.end() != run.end() or len(name.group(0).split()) > 4:
        return None
    if any(w.lower() in _NOT_NAMES for w in re.split(r"[- ]", name.group(0))):
        return None
    return name


def _is_personal(speaker: str) -> bool:
    generic = (
        r"(?:speaker|person|participant|customer|client|seller|rep|sales|buyer|me|us|them|"
        r"interviewer|host|guest|unknown|moderator|q|a)(?: ?\d+)?"
    )
    return re.fullmatch(generic, speaker.lower()) is None
