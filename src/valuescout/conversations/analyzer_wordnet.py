"""General English word senses for outcome matching (see `analyzer_outcomes`), from a subset of
WordNet 3.0 shipped in `conversations/data/wordnet/` (origin, licence and how it was built:
the README there; the builder is `bench/lexicon/build_wordnet_subset.py`).

A sense group is one common meaning of a word and the words WordNet gives for it: its
synonyms, its derived forms ("fail" - "failure", "reliable" - "reliability") and, for
adjectives, similar and opposite words ("reliable" - "dependable" - "unreliable", so a
problem told as the opposite of an outcome meets it). Each word maps to the ids of its
groups, so "quit" and "stop", or "unreliable" and "reliability", share a sense term.

Words are brought to their dictionary form first, by WordNet's own rules (its exception
lists: went -> go, broke -> break; then suffix rules: pumps -> pump, seized -> seize,
leaking -> leak). Pure: the data files are read once, nothing else is touched.
"""

from __future__ import annotations

import gzip
from functools import cache, lru_cache
from importlib import resources

# WordNet's detachment rules, tried in order; a candidate counts only if it is a known word
_SUFFIXES = (
    ("ies", "y"),
    ("sses", "ss"),
    ("xes", "x"),
    ("ches", "ch"),
    ("shes", "sh"),
    ("ses", "s"),
    ("es", "e"),
    ("es", ""),
    ("s", ""),
    ("ied", "y"),
    ("ed", "e"),
    ("ed", ""),
    ("ing", "e"),
    ("ing", ""),
    ("er", ""),
    ("er", "e"),
    ("est", ""),
    ("est", "e"),
)


def _read(name: str) -> list[str]:
    folder = resources.files("valuescout.conversations") / "data" / "wordnet"
    data = gzip.decompress(folder.joinpath(f"{name}.txt.gz").read_bytes())
    return data.decode("utf-8").splitlines()


@cache
def _tables() -> tuple[dict[str, tuple[int, ...]], dict[str, str]]:
    groups: dict[str, list[int]] = {}
    for number, line in enumerate(_read("senses")):
        for word in line.split():
            groups.setdefault(word, []).append(number)
    irregular = dict(line.split() for line in _read("irregular") if line)
    return {w: tuple(g) for w, g in groups.items()}, irregular


def lemma(word: str) -> str | None:
    """The dictionary form of a lower-case word that WordNet knows, or None."""
    groups, irregular = _tables()
    # a word in -ing or -s that WordNet also knows as it is ("changing", "running", "pumps")
    # is read as its base form; other known words stay as they are ("feed" is no "fee")
    if word in groups and not word.endswith(("ing", "s")):
        return word
    if word in irregular:
        return irregular[word]
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            base = word[: len(word) - len(suffix)] + replacement
            if base in groups:
                return base
            doubled = suffix in ("ed", "ing") and len(base) > 3 and base[-1] == base[-2]
            if doubled and base[:-1] in groups:  # stopped -> stopp -> stop
                return base[:-1]
    return word if word in groups else None


@lru_cache(maxsize=16384)  # bounded: the words come from users' notes
def senses(word: str) -> tuple[int, ...]:
    """The sense groups of a lower-case word (line numbers of the data), () when WordNet does
    not know it."""
    base = lemma(word)
    return _tables()[0].get(base, ()) if base else ()
