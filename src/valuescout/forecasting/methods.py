"""The four forecasting methods, each giving every open deal a win probability.

1. **stage** — the deal's own probability, else its stage's (configurable per stage).
2. **fit_engagement** — the scorecard's fit and engagement scores (0..100 each), mapped to a
   probability by the win model (`winmodel`: logistic regression, calibrated) trained on the
   company's closed deals.
3. **value** — method 2 plus the value case (preference relative to price, value-to-price,
   confirmed share; missing where a deal has none, which the model sees as such).
4. **trained** — the win model over the CRM fields of the deals (deal type, amount, the
   alternative, RFP, industry, segment, region), as CRM predictive scoring does.

Methods 2-4 need enough closed deals (`winmodel.MIN_PER_CLASS` wins and losses); without them
the method is unavailable and says why. A closed deal is described as of its close date
(`features`), so the models learn from what was known when the outcome fell.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from valuescout.core.errors import Invalid
from valuescout.forecasting.features import DealFeatures
from valuescout.forecasting.scorecard import (
    Scorecard,
    score_engagement,
    score_fit,
    value_features,
)
from valuescout.forecasting.winmodel import Explanation, WinModel, train_win_model

METHODS = ("stage", "fit_engagement", "value", "trained")
LABELS = {
    "stage": "Stage-weighted",
    "fit_engagement": "Fit + engagement",
    "value": "Value-informed",
    "trained": "History-trained",
}
ID = "opportunity_id"  # in every training row, so identical deals are not taken for duplicates
LEARNED = ("fit_engagement", "value", "trained")


@dataclass
class Models:
    """The learned methods' models (None where unavailable) and why one is unavailable."""

    card: Scorecard
    models: dict[str, WinModel] = field(default_factory=dict)
    unavailable: dict[str, str] = field(default_factory=dict)
    closed: int = 0
    wins: int = 0


@dataclass(frozen=True)
class DealScore:
    deal: DealFeatures
    fit: float
    engagement: float
    probabilities: dict[str, float | None]  # per method
    explanation: Explanation | None  # the trained model's factors


def rows_for(
    method: str,
    card: Scorecard,
    deals: Sequence[DealFeatures],
    scored: tuple[Sequence[float], Sequence[float]] | None = None,
) -> list[dict[str, Any]]:
    """Each deal as the method's model reads it; `scored`: the deals' fit and engagement
    totals when already computed (scoring them is most of the cost of a page's forecast)."""
    if scored is None and method != "trained":
        scored = _fit_and_engagement(card, deals)
    out: list[dict[str, Any]] = []
    for i, d in enumerate(deals):
        row: dict[str, Any] = {ID: d.opportunity_id}
        if method == "trained":
            row.update(d.crm)
        else:
            assert scored is not None
            row["fit"] = scored[0][i]
            row["engagement"] = scored[1][i]
            if method == "value":
                row.update(value_features(card, d.value))
        out.append(row)
    return out


def _fit_and_engagement(
    card: Scorecard, deals: Sequence[DealFeatures]
) -> tuple[list[float], list[float]]:
    return (
        [score_fit(card, d.account).total for d in deals],
        [score_engagement(card, d.engagement).total for d in deals],
    )


def train(
    card: Scorecard,
    closed: Sequence[DealFeatures],
    seed: int = 0,
    weights: Sequence[float] | None = None,
) -> Models:
    """Every learned method's model, trained on closed deals (`training.training_examples`:
    seen on days of their open life, weighted so each deal counts once)."""
    won = [d.outcome == "won" for d in closed]
    deals = len({d.opportunity_id for d in closed})
    wins = len({d.opportunity_id for d in closed if d.outcome == "won"})
    out = Models(card, closed=deals, wins=wins)
    for method in LEARNED:
        try:
            out.models[method] = train_win_model(
                rows_for(method, card, closed),
                won,
                never={ID: "the deal's id"},
                seed=seed,
                weights=weights,
            )
        except Invalid as exc:
            out.unavailable[method] = exc.message
    return out


def score(models: Models, deals: Sequence[DealFeatures]) -> list[DealScore]:
    """Every method's probability for each deal, and the trained model's factors."""
    card = models.card
    fit, engagement = _fit_and_engagement(card, deals)
    learned: dict[str, list[float]] = {}
    explanations: list[Explanation] | None = None
    for method, model in models.models.items():
        rows = rows_for(method, card, deals, (fit, engagement))
        if method == "trained":
            explanations = model.explain(rows, top=6)
            learned[method] = [e.probability for e in explanations]
        else:
            learned[method] = [float(p) for p in model.predict(rows)]
    out: list[DealScore] = []
    for i, d in enumerate(deals):
        probabilities: dict[str, float | None] = {"stage": float(d.p_stage)}
        for method in LEARNED:
            found = learned.get(method)
            probabilities[method] = found[i] if found is not None else None
        out.append(
            DealScore(
                deal=d,
                fit=fit[i],
                engagement=engagement[i],
                probabilities=probabilities,
                explanation=explanations[i] if explanations is not None else None,
            )
        )
    return out
