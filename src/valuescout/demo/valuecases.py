"""A demo deal's value case: the outcomes in play from the deal's value network, valued in
money, each as far along (hypothesised -> confirmed) as the deal is, with evidence; and on
some deals negative differentiation, where the alternative is better for the customer.

Value cases are more common the further a deal got, more common on won deals, and rarer for
sellers who discount heavily instead of selling value.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from valuescout.core.money import to_money
from valuescout.demo import catalogue as cat
from valuescout.demo.world import AccountFacts, ContactFacts, NetworkFacts, SellerFacts

STATES = ("hypothesised", "discussed", "envisioned", "quantified", "confirmed")
CONFIDENCE = (0.3, 0.45, 0.6, 0.75, 0.9)
RESULT_CHANCE = {"won": 1.1, "lost": 0.85, "open": 1.0}
VALUE_TO_PRICE = {"won": 2.4, "open": 1.9, "lost": 1.4}  # median unadjusted value / price
UNIT_RANGES = (  # plausible measured amounts per unit, for evidence notes
    ("%", (5, 40)),
    ("hours", (20, 400)),
    ("kWh", (50_000, 2_000_000)),
    ("t CO2e", (20, 2_000)),
)
NOTES = {
    "hypothesised": "From the {network} value network; not raised with the customer yet.",
    "discussed": "The customer agreed this matters; no figures yet.",
    "envisioned": "The customer described this outcome in their own words.",
}


@dataclass(frozen=True, slots=True)
class CaseInput:
    network: NetworkFacts
    account: AccountFacts
    owner: SellerFacts
    price: Decimal
    result: str  # open | won | lost
    progress: float  # furthest open stage reached, 0 (first) to 1 (last)
    years: int
    alternative: str
    started: datetime
    updated: datetime
    discount_rate: Decimal
    target_share: Decimal


def plan_value_case(
    rng: random.Random, deal: CaseInput
) -> tuple[dict[str, Any], list[dict[str, Any]]] | None:
    chance = (0.04 + 0.66 * deal.progress**0.8) * RESULT_CHANCE[deal.result]
    if rng.random() >= min(0.95, chance * deal.owner.value_selling) or not deal.network.outcomes:
        return None
    maturity = 0.2 + 2.4 * deal.progress + {"won": 0.5, "lost": -0.5}.get(deal.result, 0.0)
    chosen = _choose_outcomes(rng, deal, 2 + int(deal.progress * 3) + rng.randint(0, 1))
    ratio = math.exp(rng.gauss(math.log(VALUE_TO_PRICE[deal.result]), 0.35))
    total = float(deal.price) * ratio
    weights = [(2.0 if o.executive else 1.0) * rng.uniform(0.5, 1.5) for o, _ in chosen]
    outcomes = []
    for position, ((outcome, contact), weight) in enumerate(zip(chosen, weights, strict=True)):
        value = total * weight / sum(weights)
        one_time = outcome.unit == "USD"  # e.g. capital released from spares, once
        years = 1 if one_time else deal.years
        state = STATES[min(4, max(0, round(rng.gauss(maturity, 0.9))))]
        yearly = to_money(int(value / years))
        outcomes.append(
            {
                "network_outcome_id": outcome.id,
                "name": outcome.name,
                "direction": "for",
                "yearly_value": yearly,
                "recurrence": "one_time" if one_time else "recurring",
                "years": years,
                "confidence": _confidence(rng, state),
                "state": state,
                **_evidence(rng, deal, state, contact, outcome.measure, outcome.unit, yearly),
                "persona_id": deal.network.personas.get(contact.persona) if contact else None,
                "contact_id": contact.id if contact else None,
                "position": position,
            }
        )
    if rng.random() < (0.4 if deal.result == "lost" else 0.22):
        name, one_time = rng.choice(cat.AGAINST_OUTCOMES.get(deal.network.kind, [("", True)]))
        if name:
            state = STATES[min(4, max(1, round(rng.gauss(maturity, 0.9))))]
            contact = rng.choice(deal.account.contacts) if deal.account.contacts else None
            years = 1 if one_time else 2
            yearly = to_money(int(total * rng.uniform(0.04, 0.15) / years))
            outcomes.append(
                {
                    "network_outcome_id": None,
                    "name": name,
                    "direction": "against",
                    "yearly_value": yearly,
                    "recurrence": "one_time" if one_time else "recurring",
                    "years": years,
                    "confidence": _confidence(rng, state),
                    "state": state,
                    **_evidence(rng, deal, state, contact, "", "", yearly),
                    "persona_id": deal.network.personas.get(contact.persona) if contact else None,
                    "contact_id": contact.id if contact else None,
                    "position": len(outcomes),
                }
            )
    share = deal.target_share
    if rng.random() < 0.15:
        share = rng.choice((Decimal("0.4000"), Decimal("0.6000")))
    case = {
        "discount_rate": deal.discount_rate,
        "target_share": share,
        "assumptions": (
            f"{deal.years}-year horizon against "
            f"{deal.alternative or 'the customer doing nothing'}; yearly values from the "
            "customer's own figures where quantified, risk-adjusted by confidence."
        ),
        "internal_notes": rng.choice(cat.INTERNAL_NOTES),
        "created_at": deal.started,
        "updated_at": max(deal.started, deal.updated),
    }
    return case, outcomes


def _choose_outcomes(
    rng: random.Random, deal: CaseInput, count: int
) -> list[tuple[Any, ContactFacts | None]]:
    """Outcomes the buying team's personas want first, a few others from the network."""
    network = deal.network
    wanted: dict[int, ContactFacts] = {}
    for contact in deal.account.contacts:
        for outcome_id in network.wants.get(network.personas.get(contact.persona, -1), [])[:6]:
            wanted.setdefault(outcome_id, contact)
    by_id = {o.id: o for o in network.outcomes}
    pool = [i for i in wanted if i in by_id]
    others = [o.id for o in network.outcomes if o.id not in wanted]
    chosen: list[int] = []
    while len(chosen) < min(count, len(by_id)):
        source = pool if pool and (rng.random() < 0.75 or not others) else others
        pick = source.pop(rng.randrange(len(source)))
        chosen.append(pick)
    return [(by_id[i], wanted.get(i)) for i in chosen]


def _confidence(rng: random.Random, state: str) -> Decimal:
    value = CONFIDENCE[STATES.index(state)] + rng.gauss(0, 0.05)
    return Decimal(str(round(min(1.0, max(0.05, round(value * 20) / 20)), 2)))


def _evidence(
    rng: random.Random,
    deal: CaseInput,
    state: str,
    contact: ContactFacts | None,
    measure: str,
    unit: str,
    yearly: Decimal,
) -> dict[str, str]:
    who = contact.name if contact else "the customer"
    source = rng.choice(cat.EVIDENCE_SOURCES[state]).format(contact=who)
    if state in NOTES:
        note = NOTES[state].format(network=deal.network.name)
    elif measure and unit in ("USD", "USD/year"):
        note = f"{measure[:1].upper()}{measure[1:]}: ${yearly:,.0f}."
    elif measure and not unit.startswith("USD"):
        low, high = next((r for u, r in UNIT_RANGES if unit.startswith(u)), (1, 12))
        amount = f"{rng.randint(low, high):,} {unit}"
        note = f"{measure[:1].upper()}{measure[1:]}: {amount}, valued at ${yearly:,.0f}."
    else:
        note = f"Worth ${yearly:,.0f} a year to the customer by their own estimate."
    return {"evidence_source": source[:200], "evidence_note": note}
