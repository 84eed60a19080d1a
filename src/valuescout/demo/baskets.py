"""What a demo deal sells (products and quantities from the deal's offer, sized to the
account) and the words it is described with."""

from __future__ import annotations

import math
import random

from valuescout.demo import catalogue as cat
from valuescout.demo.world import AccountFacts, NetworkFacts, ProductFacts

OEM = "Machine builders (OEM)"


def basket(
    rng: random.Random, network: NetworkFacts, account: AccountFacts, deal_type: str
) -> tuple[list[tuple[ProductFacts, int]], int]:
    """What the deal sells and its headline quantity (systems, skids or pumps)."""
    size = account.size * (0.6 if deal_type == "expansion" else 1.0)
    items: list[tuple[ProductFacts, int]] = []
    main = 0
    if network.kind == "service":
        contracts = network.product("contract")
        if contracts:
            tier = contracts[-1] if rng.random() < 0.45 else contracts[0]
            share = rng.uniform(0.05, 0.3) * (0.5 if deal_type == "expansion" else 1.0)
            main = min(400, max(8, round(account.fleet * share)))  # one site's pumps
            items.append((tier, main * cat.FLOWCARE_TERM_YEARS))
        for role, chance, most in (("audit", 0.35, 3), ("training", 0.3, 4)):
            if network.product(role) and rng.random() < chance and deal_type != "renewal":
                items.append((network.product(role)[0], rng.randint(1, most)))
        return items, main
    skids, systems = network.product("skid"), network.product("system")
    if account.industry == OEM and skids:
        main = max(2, round(rng.uniform(3, 20) * size))
        items.append((skids[0], main))
    elif systems:
        pick = {"small": (0,), "mid-market": (0, 1), "enterprise": (1, 1, 2)}[account.segment]
        model = min(len(systems) - 1, rng.choice(pick))
        main = max(1, round(math.exp(rng.gauss(math.log(2 * size), 0.5))))
        items.append((systems[model], main))
        if model > 0 and rng.random() < 0.25:
            extra = max(1, main // 2)
            items.append((systems[model - 1], extra))
            main += extra
        if network.product("commissioning") and rng.random() < 0.8:
            items.append((network.product("commissioning")[0], main))
    if network.product("kit") and rng.random() < 0.25:
        items.append((network.product("kit")[0], max(2, round(rng.uniform(4, 30) * size))))
    return items, main


def describe(
    rng: random.Random, network: NetworkFacts, account: AccountFacts, deal_type: str, main: int
) -> str:
    if account.industry == OEM and network.kind == "product":
        template = rng.choice(cat.OEM_TEMPLATES)
    else:
        kind = "service" if network.kind == "service" else "product"
        template = rng.choice(cat.DEAL_TEMPLATES[(kind, deal_type)])
    return template.format(n=max(1, main), area=rng.choice(cat.PLANT_AREAS))
