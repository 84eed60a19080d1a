"""Figures that quantify: money, percentages, time and volumes, with the parsed value.

Numbers are digits (`1,200`, `3.5`, `40k`, `$1.2M`) or words (`two`, `twenty-five`,
`half a`, `a dozen`, `two million`). Money needs a currency sign or word; a percentage `%`,
`percent` or `per cent`; time a unit from seconds to years (with `a day`/`per year`
kept in the unit: `hours/day`); a volume a counted noun from a short list of things plants
count (units, trucks, pumps, tonnes, m3, ...). Years such as 2024 and clock times are skipped.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from valuescout.conversations.analyzer_types import FoundFigure
from valuescout.conversations.transcript import Sentence

_SMALL: dict[str, int | Decimal] = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a dozen": 12,
    "dozen": 12,
    "a couple of": 2,
    "a couple": 2,
    "couple of": 2,
    "half a": Decimal("0.5"),
    "half an": Decimal("0.5"),
}
_SCALE = {
    "k": 1000,
    "thousand": 1000,
    "m": 10**6,
    "mm": 10**6,
    "mn": 10**6,
    "mio": 10**6,
    "million": 10**6,
    "bn": 10**9,
    "b": 10**9,
    "billion": 10**9,
    "hundred": 100,
}
_WORD_NUMBER = (
    r"(?:(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|"
    r"five|six|seven|eight|nine))?|a couple of|a couple|couple of|half an?|a dozen|dozen|one|two|"
    r"three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|"
    r"seventeen|eighteen|nineteen)"
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_NUMBER = (
    rf"(?P<num>{_DIGITS}|{_WORD_NUMBER})"
    r"(?:\s?(?P<scale>k|m|mm|mn|mio|bn|thousand|million|billion|hundred)\b)?"
)
_CURRENCY_SIGN = {"$": "USD", "\u20ac": "EUR", "\u00a3": "GBP"}
_CURRENCY_WORD = {
    "usd": "USD",
    "dollar": "USD",
    "dollars": "USD",
    "bucks": "USD",
    "eur": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "gbp": "GBP",
    "pound": "GBP",
    "pounds": "GBP",
    "chf": "CHF",
    "francs": "CHF",
    "sek": "SEK",
    "kronor": "SEK",
}
_MONEY_BEFORE = re.compile(
    r"(?P<cur>[$\u20ac\u00a3]|\b(?:USD|EUR|GBP|CHF|SEK)\s?)" + rf"(?P<num>{_DIGITS})"
    r"(?:\s?(?P<scale>k|m|mm|mn|mio|bn|thousand|million|billion)\b)?",
    re.IGNORECASE,
)
_MONEY_AFTER = re.compile(
    rf"\b{_NUMBER}\s?(?P<cur>usd|eur|gbp|chf|sek|dollars?|bucks|euros?|pounds|francs|kronor)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(rf"(?<![\w.]){_NUMBER}\s?(?:%|percent\b|per cent\b)", re.IGNORECASE)
_TIME_UNITS = {
    "second": "seconds",
    "minute": "minutes",
    "min": "minutes",
    "mins": "minutes",
    "hour": "hours",
    "hr": "hours",
    "hrs": "hours",
    "h": "hours",
    "day": "days",
    "week": "weeks",
    "wk": "weeks",
    "month": "months",
    "year": "years",
    "yr": "years",
    "shift": "shifts",
    "quarter": "quarters",
}
_TIME = re.compile(
    rf"(?<![\w.$\u20ac\u00a3]){_NUMBER}[\s-]?(?P<unit>seconds?|minutes?|mins?|hours?|hrs?|h|days?|weeks?|"
    r"wks?|months?|years?|yrs?|shifts?|quarters?)\b"
    r"(?:\s(?:a|an|per|each|every)\s(?P<per>day|week|month|year|shift|night|pump|failure|repair))?",
    re.IGNORECASE,
)
_VOLUME_NOUNS = (
    r"units?|trucks?|pumps?|motors?|valves?|seals?|bearings?|skids?|machines?|lines?|sites?|"
    r"plants?|tonnes?|tons?|litres?|liters?|gallons?|barrels?|m3|cubic met(?:er|re)s?|kwh|mwh|gwh|"
    r"kw|mw|batches|batch|orders?|technicians?|operators?|people|employees|staff|engineers?|"
    r"call-?outs?|failures?|breakdowns?|trips?|leaks?|incidents?|spares?|parts?|"
    r"pallets?|containers?|vehicles?|customers?|suppliers?|vendors?|contracts?|stations?|"
    r"wells?|tanks?|compressors?|assets?|kg|kilos?|kilograms?|pieces?|bottles?|cans?"
)
_VOLUME = re.compile(
    rf"(?<![\w.$\u20ac\u00a3:]){_NUMBER}\s(?:(?:[a-z-]+)\s)?(?P<noun>{_VOLUME_NOUNS})\b",
    re.IGNORECASE,
)


def find_figures(sentences: tuple[Sentence, ...]) -> tuple[FoundFigure, ...]:
    found: list[FoundFigure] = []
    for sentence in sentences:
        found.extend(_in_sentence(sentence.text))
    return tuple(found)


def _in_sentence(text: str) -> list[FoundFigure]:
    taken: list[tuple[int, int]] = []
    out: list[tuple[int, FoundFigure]] = []

    def add(match: re.Match[str], kind: str, unit: str) -> None:
        span = match.span()
        if any(span[0] < end and start < span[1] for start, end in taken):
            return
        value = _value(match.group("num"), match.groupdict().get("scale"))
        if value is None:
            return
        if kind != "money" and _looks_like_year(match.group("num"), match.groupdict().get("scale")):
            return
        taken.append(span)
        out.append((span[0], FoundFigure(match.group(0).strip(), kind, value, unit, text)))

    for match in _MONEY_BEFORE.finditer(text):
        add(
            match,
            "money",
            _CURRENCY_SIGN.get(match.group("cur"), match.group("cur").strip().upper()),
        )
    for match in _MONEY_AFTER.finditer(text):
        add(match, "money", _CURRENCY_WORD[match.group("cur").lower()])
    for match in _PERCENT.finditer(text):
        add(match, "percent", "%")
    for match in _TIME.finditer(text):
        unit = _TIME_UNITS.get(match.group("unit").lower().rstrip("s")) or _TIME_UNITS.get(
            match.group("unit").lower(), match.group("unit").lower()
        )
        per = match.group("per")
        add(match, "time", f"{unit}/{per.lower()}" if per else unit)
    for match in _VOLUME.finditer(text):
        noun = match.group("noun").lower()
        add(match, "volume", noun)
    return [figure for _, figure in sorted(out, key=lambda pair: pair[0])]


def _value(number: str, scale: str | None) -> Decimal | None:
    lowered = number.lower().replace("-", " ")
    try:
        if lowered in _SMALL:
            base = Decimal(_SMALL[lowered])
        elif lowered.split(" ")[0] in _SMALL and len(lowered.split(" ")) == 2:
            tens, ones = lowered.split(" ")
            base = Decimal(_SMALL[tens]) + Decimal(_SMALL.get(ones, 0))
        else:
            base = Decimal(number.replace(",", ""))
    except (InvalidOperation, KeyError):
        return None
    if scale:
        base *= _SCALE[scale.lower()]
    return Decimal(int(base)) if base == base.to_integral() else base.normalize()


def _looks_like_year(number: str, scale: str | None) -> bool:
    return scale is None and re.fullmatch(r"(?:19|20)\d\d", number) is not None
