"""Build the analyzer's WordNet subset (conversations/data/wordnet/senses.tsv.gz) from the
WordNet 3.0 database files (Debian: `apt-get install wordnet-base`, /usr/share/wordnet).

Kept: single-word, lower-case lemmas; for each lemma and part of speech only its common
senses - the senses tagged in the SemCor corpus (WordNet's own frequency counts), at most
`MAX_SENSES`, at least the first. Each kept sense (synset) becomes one line: a group of the
words that share it, plus the words WordNet links to it by a derivation ("fail" - "failure"),
and, for adjectives, the antonym pointer ("reliable" - "unreliable": a problem told as the
opposite of the outcome). A kept word that shares no sense stands on a line of its own, so the
lemmatiser knows it. Also written: the irregular forms
(went -> go) of WordNet's exception lists, for the lemmatiser.

    python bench/lexicon/build_wordnet_subset.py [/usr/share/wordnet]
"""

from __future__ import annotations

import gzip
import re
import sys
from pathlib import Path

MAX_SENSES = 3
# derivation (fail - failure) and, for adjectives only, antonym (reliable - unreliable); the
# similar-to and pertainym pointers were tried and left out: they join too loosely
RELATIONS = ("+", "!")
POS = {"n": "noun", "v": "verb", "a": "adj", "r": "adv"}
OUT = Path(__file__).resolve().parents[2] / "src/valuescout/conversations/data/wordnet"
_WORD = re.compile(r"^[a-z]+$")


def read_index(root: Path) -> dict[tuple[str, str], list[str]]:
    """(pos, synset offset) -> the lemmas for which it is a kept sense."""
    kept: dict[tuple[str, str], list[str]] = {}
    for pos, name in POS.items():
        for line in (root / f"index.{name}").read_text().splitlines():
            if line.startswith(" "):
                continue
            parts = line.split()
            lemma, n_ptr = parts[0], int(parts[3])
            if not _WORD.match(lemma):
                continue
            tagged = int(parts[5 + n_ptr])
            offsets = parts[6 + n_ptr :]
            for offset in offsets[: max(1, min(tagged, MAX_SENSES))]:
                kept.setdefault((pos, offset), []).append(lemma)
    return kept


Pointer = tuple[str, str, str, int]  # symbol, pos, offset, target word number (0: all)


def read_data(root: Path) -> dict[tuple[str, str], tuple[list[str], list[Pointer]]]:
    """(pos, offset) -> (its words, its pointers)."""
    synsets = {}
    for pos, name in POS.items():
        for line in (root / f"data.{name}").read_text(encoding="latin-1").splitlines():
            if line.startswith(" "):
                continue
            parts = line.split(" | ")[0].split()
            offset, n_words = parts[0], int(parts[3], 16)
            words = [parts[4 + 2 * i].lower() for i in range(n_words)]
            words = [re.sub(r"\(.*\)$", "", w) for w in words]
            i = 4 + 2 * n_words
            n_ptr = int(parts[i])
            pointers = []
            for k in range(n_ptr):
                symbol, target, tpos, words_at = parts[i + 1 + 4 * k : i + 5 + 4 * k]
                tpos = "a" if tpos == "s" else tpos
                pointers.append((symbol, tpos, target, int(words_at[2:], 16)))
            synsets[(pos, offset)] = (words, pointers)
    return synsets


def build(root: Path) -> tuple[list[str], list[str]]:
    kept = read_index(root)
    synsets = read_data(root)
    vocabulary = {lemma for lemmas in kept.values() for lemma in lemmas}
    groups = []
    for key in sorted(kept):
        # the words for which this synset is a common sense (not every rare member)
        group = set(kept[key])
        for symbol, pos, offset, target in synsets[key][1]:
            if symbol not in RELATIONS or (symbol == "!" and key[0] != "a"):
                continue
            words = synsets[(pos, offset)][0]
            linked = words if target == 0 else [words[target - 1]]
            group |= {w for w in linked if w in vocabulary}
        if len(group) > 1:
            groups.append(" ".join(sorted(group)))
    # a word that shares no sense still needs to be known, for its dictionary form
    grouped = {w for g in groups for w in g.split()}
    groups += sorted(vocabulary - grouped)
    irregular = []
    for name in ("noun", "verb", "adj"):
        for line in (root / f"{name}.exc").read_text().splitlines():
            form, *bases = line.split()
            bases = [b for b in bases if b in vocabulary]
            if _WORD.match(form) and bases:
                irregular.append(f"{form} {bases[0]}")
    return sorted(set(groups)), sorted(set(irregular))


def main() -> None:
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet")
    groups, irregular = build(root)
    OUT.mkdir(parents=True, exist_ok=True)
    for name, lines in (("senses", groups), ("irregular", irregular)):
        data = ("\n".join(lines) + "\n").encode("utf-8")
        # mtime 0: the same input gives the same bytes
        (OUT / f"{name}.txt.gz").write_bytes(gzip.compress(data, mtime=0))
    print(f"{len(groups)} sense groups, {len(irregular)} irregular forms -> {OUT}")


if __name__ == "__main__":
    main()
