"""Plain-English phrasing for value messages: deterministic rules, no language model.

Outcome names are usually noun phrases ("Less unplanned downtime") and sometimes start with a
verb ("Reduce scrap"). Both read naturally: "you get less unplanned downtime", "you can reduce
scrap", and later in a chain "which leads to reducing scrap".
"""

from __future__ import annotations

from valuescout.valuenet.spec import Outcome

# fmt: off
_VERBS = frozenset({
    "accelerate", "achieve", "attract", "avoid", "be", "beat", "become", "boost", "bring",
    "build", "capture", "close", "comply", "cut", "deliver", "differentiate", "earn", "eliminate",
    "enable", "ensure", "enter", "expand", "extend", "focus", "gain", "get", "grow", "hire",
    "hit", "improve", "increase", "keep", "launch", "lead", "look", "make", "maximise",
    "maximize", "meet", "minimise", "minimize", "optimise", "optimize", "pass", "prevent",
    "protect", "raise", "reach", "reduce", "retain", "run", "save", "scale", "secure", "sell",
    "serve", "ship", "shorten", "simplify", "sleep", "speed", "spend", "stay", "stop",
    "strengthen", "win",
})
# fmt: on
_DOUBLED = {"cut", "get", "hit", "run", "ship", "stop", "win"}
_NOT_PLURAL_ENDINGS = ("ss", "us", "is", "ous")
# fmt: off
_MASS_PLURALS = frozenset({
    "costs", "savings", "earnings", "revenues", "emissions", "expenses", "sales", "losses",
    "profits", "returns", "wages", "goods", "funds", "proceeds", "margins", "news", "its", "this",
    "across",
})
# fmt: on
_CURRENCIES = {"$", "€", "£", "¥", "usd", "eur", "gbp", "chf", "jpy", "money"}
_PREPOSITIONS = {"of", "per", "in", "on", "at", "by", "for", "to", "a", "each", "every"}


def gerund(verb: str) -> str:
    v = verb.casefold()
    if v == "be":
        return "being"
    if v.endswith("ie"):
        return v[:-2] + "ying"
    if v.endswith("e") and not v.endswith(("ee", "ye", "oe")):
        return v[:-1] + "ing"
    if v in _DOUBLED:
        return v + v[-1] + "ing"
    return v + "ing"


def clean(name: str) -> str:
    return " ".join(name.split()).rstrip(".!;:,")


def lower_first(phrase: str) -> str:
    """'Less downtime' -> 'less downtime'; 'ERP uptime' and 'Kestrel Cloud' stay as written."""
    words = phrase.split(" ")
    first = words[0]
    title_case = len(words) > 1 and words[1][:1].isupper()
    if first[:1].isupper() and (first[1:].islower() or len(first) == 1) and not title_case:
        return first[:1].lower() + phrase[1:]
    return phrase


def is_action(name: str) -> bool:
    return clean(name).split(" ")[0].casefold() in _VERBS


def noun(name: str) -> str:
    """The name as a noun phrase to follow 'leads to': verbs become '-ing' forms."""
    phrase = clean(name)
    if is_action(phrase):
        first, _, rest = phrase.partition(" ")
        return f"{gerund(first)} {rest}".rstrip()
    return lower_first(phrase)


def lead(name: str) -> str:
    """The first outcome of a chain: 'you can reduce scrap' or 'you get less scrap'."""
    if is_action(name):
        return f"you can {lower_first(clean(name))}"
    return f"you get {noun(name)}"


def hypothesis(differentiator: str, outcomes: list[str]) -> str:
    """'Because of <differentiator>, you get <outcome>, which leads to <outcome>.'"""
    start = f"Because of {noun(differentiator)}, {lead(outcomes[0])}"
    rest = [noun(o) for o in outcomes[1:]]
    if not rest:
        return f"{start}."
    if len(rest) == 1:
        return f"{start}, which leads to {rest[0]}."
    if len(rest) == 2:
        return f"{start}, which leads to {rest[0]} and, in turn, {rest[1]}."
    return f"{start}, which leads to {', then '.join(rest[:-1])}, and ultimately {rest[-1]}."


def singular(word: str) -> str:
    w = word.casefold()
    if w.endswith("ies") and len(w) > 4:
        return word[:-3] + "y"
    if w.endswith(("ches", "shes", "xes", "sses", "zes")):
        return word[:-2]
    if w.endswith("s") and not w.endswith(_NOT_PLURAL_ENDINGS):
        return word[:-1]
    return word


def _counted_thing(measure: str) -> str | None:
    """'hours of downtime per year' -> 'hour'; 'late deliveries per month' -> 'late delivery';
    None when the measure is not a count ('first-pass yield', 'maintenance costs')."""
    words = measure.split(" ")
    if len(words) > 2 and words[0].casefold() == "number" and words[1].casefold() == "of":
        words = words[2:]
    for i, word in enumerate(words[:3]):
        w = word.casefold()
        if w in _PREPOSITIONS:
            return None
        if w.endswith("s") and not w.endswith(_NOT_PLURAL_ENDINGS) and w not in _MASS_PLURALS:
            return " ".join([*words[:i], singular(word)])
    return None


def _unit_thing(unit: str) -> str | None:
    """'hours/year' -> 'hour', '%' -> 'percentage point'; None for money and odd units."""
    base = unit.split("/")[0].strip()
    if not base or any(c.isdigit() for c in base):
        return None
    if base.casefold() in _CURRENCIES or (len(base) == 3 and base.isupper()):
        return None
    if base in {"%", "percent", "pct"} or base.casefold().startswith("percentage"):
        return "percentage point"
    return singular(base.split(" ")[-1]) if base.isascii() else None


def discovery_question(outcome: Outcome) -> str:
    """A question that tests the hypothesis with the customer and starts to quantify it."""
    measure, unit = clean(outcome.measure), clean(outcome.unit)
    if not measure:
        return (
            f"How would you put a number on {noun(outcome.name)}, "
            "and what would it be worth to you?"
        )
    counted = _counted_thing(measure)
    if counted is not None:
        if measure.casefold().startswith("number of "):
            measure = measure[len("number of ") :]
        return (
            f"How many {measure} do you see today, "
            f"and what does each {counted} mean to you in money?"
        )
    thing = _unit_thing(unit) if unit else None
    where = f"Where do you stand today on {lower_first(measure)}"
    if unit and thing is None:
        where += f" (in {unit})"
    if thing is None:
        return f"{where}, and what would an improvement be worth to you?"
    return f"{where}, and what would each {thing} of improvement mean to you in money?"
