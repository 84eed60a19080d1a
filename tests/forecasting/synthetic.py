"""Generated closed deals whose win probabilities are KNOWN, written the way a CRM exports them.

log-odds = -0.4 + product effect + region effect + stage effect + 0.8 * (log(amount) - 10):
product GTXPro +1.0, MG Special -0.6, "None" 0, "N/A" -1.0 (strings a real export means
something by); region East +0.3, West -0.3, empty 0; stage Discovery -0.8, Proposal 0,
Negotiation +0.8. `noise` (a number) and `created` (a date) carry no signal, `source` has one
value, `opportunity_id` and `ticket` are ids.
"""

from __future__ import annotations

import csv
from datetime import date, timedelta
from pathlib import Path

import numpy as np

PRODUCTS = {"GTXPro": 1.0, "MG Special": -0.6, "None": 0.0, "N/A": -1.0}
REGIONS = {"East": 0.3, "West": -0.3, "": 0.0}
STAGES = {"Discovery": -0.8, "Proposal": 0.0, "Negotiation": 0.8}
COLUMNS = [
    "opportunity_id",
    "ticket",
    "product",
    "region",
    "stage",
    "amount",
    "noise",
    "created",
    "source",
    "outcome",
]
START = date(2017, 1, 1)


def known_deals(
    n: int, seed: int = 1, *, start: int = 0
) -> tuple[list[dict[str, str]], np.ndarray, np.ndarray]:
    """`n` rows of text, their true win probabilities, and the drawn outcomes (True = won)."""
    rng = np.random.default_rng(seed)
    products = rng.choice(list(PRODUCTS), n)
    regions = rng.choice(list(REGIONS), n)
    stages = rng.choice(list(STAGES), n)
    amounts = rng.lognormal(10.0, 1.0, n)
    log_odds = (
        -0.4
        + np.array([PRODUCTS[p] for p in products])
        + np.array([REGIONS[r] for r in regions])
        + np.array([STAGES[s] for s in stages])
        + 0.8 * (np.log(amounts) - 10.0)
    )
    truth = 1.0 / (1.0 + np.exp(-log_odds))
    won = rng.random(n) < truth
    noise = rng.normal(0.0, 1.0, n)
    days = rng.integers(0, 365, n)
    rows = [
        {
            "opportunity_id": f"OPP-{start + i:06d}",
            "ticket": f"T{rng.integers(10**9)}-{start + i}",
            "product": str(products[i]),
            "region": str(regions[i]),
            "stage": str(stages[i]),
            "amount": f"${amounts[i]:,.2f}",
            "noise": f"{noise[i]:.4f}",
            "created": (START + timedelta(days=int(days[i]))).isoformat(),
            "source": "CRM",
            "outcome": "Closed Won" if won[i] else "Closed Lost",
        }
        for i in range(n)
    ]
    return rows, truth, won


def features(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    """The rows without their outcome (what a model may see)."""
    return [{k: v for k, v in row.items() if k != "outcome"} for row in rows]


def write_csv(path: Path, rows: list[dict[str, str]], columns: list[str] | None = None) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns or COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path
