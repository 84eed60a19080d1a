"""One demo deal from its first day to today: what is sold, to whom, against which
alternative, how it walked through the stages (with the history a user's edits would have
left), its price after the seller's usual discount, and how it ended.

Times are offsets in days from the deal's creation until they are stamped; every stamp falls
inside office hours of its day, and nothing happens on or after `cutoff` (today, 00:00 UTC),
so closed deals closed in the past and open deals close in the future.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from valuescout.core.money import to_money
from valuescout.demo import baskets
from valuescout.demo import catalogue as cat
from valuescout.demo.baskets import OEM
from valuescout.demo.deal_timeline import Timeline, TimelineMaker, stamper
from valuescout.demo.engagement import Engagement, deal_days, draw_engagement, history_rows
from valuescout.demo.valuecases import CaseInput, plan_value_case
from valuescout.demo.world import (
    AccountFacts,
    NetworkFacts,
    SellerFacts,
    Stages,
)

WIN_BASE = {"new": 0.3, "expansion": 0.52, "renewal": 0.82}
RFP_WIN = {"none": 0.0, "shaped": 0.15, "contents": 0.05, "known": -0.03, "unknown": -0.12}
RFP_CLASSES = (("shaped", 0.2), ("contents", 0.25), ("known", 0.3), ("unknown", 0.25))
ALTERNATIVES = {  # deal type -> (kind, weight)
    "new": (("competitor", 55), ("status_quo", 20), ("diy", 10), ("unknown", 15)),
    "expansion": (("competitor", 30), ("status_quo", 45), ("diy", 15), ("unknown", 10)),
    "renewal": (("competitor", 35), ("diy", 35), ("status_quo", 20), ("unknown", 10)),
}
ONE = Decimal(1)


def _share(value: float) -> Decimal:
    return Decimal(str(round(min(0.6, max(0.0, value)), 4)))


@dataclass(slots=True)
class DealPlan:
    opportunity: dict[str, Any]
    lines: list[dict[str, Any]]
    changes: list[dict[str, Any]]
    case: dict[str, Any] | None
    outcomes: list[dict[str, Any]] = field(default_factory=list)
    result: str = "open"  # open | won | lost
    wins: bool = False  # the eventual outcome, known to the generator for open deals too


class DealMaker:
    def __init__(
        self,
        rng: random.Random,
        stages: Stages,
        networks: list[NetworkFacts],
        sellers: list[SellerFacts],
        today: date,
        cutoff: datetime,
        discount_rate: Decimal,
        target_share: Decimal,
        engagement: random.Random,
        history: random.Random,
    ) -> None:
        self.rng = rng
        self.engagement = engagement  # its own stream: `rng` draws exactly what it did before
        self.history = history  # the engagement's history: `engagement` draws what it did too
        self.stages = stages
        self.networks = networks
        self.team_sellers: dict[str, list[SellerFacts]] = {}
        for seller in sellers:
            self.team_sellers.setdefault(seller.team, []).append(seller)
        self.today = today
        self.cutoff = cutoff
        self.discount_rate = discount_rate
        self.target_share = target_share
        self.timelines = TimelineMaker(rng, stages, today, cutoff)

    # --- the deal ------------------------------------------------------------------------

    def plan(self, account: AccountFacts, created: datetime) -> DealPlan:
        rng = self.rng
        owner = account.owner
        if rng.random() < 0.15:
            owner = rng.choice(self.team_sellers.get(owner.team, [owner]))
        index = account.network
        if len(self.networks) > 1 and rng.random() < 0.25 and account.industry != OEM:
            index = 1 - account.network if len(self.networks) == 2 else rng.randrange(2)
        network = self.networks[index]
        customer = account.customer_since is not None or (
            account.first_win is not None and account.first_win < created.date()
        )
        deal_type = "new"
        if customer and network.kind == "service":
            deal_type = rng.choices(("renewal", "expansion", "new"), (4, 4, 2))[0]
        elif customer:
            deal_type = rng.choices(("expansion", "new"), (7, 3))[0]
        basket, main = baskets.basket(rng, network, account, deal_type)
        list_total = sum((p.list_price * q for p, q in basket), Decimal(0))

        rfp_chance = {"new": 0.3, "expansion": 0.12, "renewal": 0.25}[deal_type]
        rfp = "none"
        if rng.random() < rfp_chance + (0.15 if account.segment == "enterprise" else 0):
            rfp = rng.choices([c for c, _ in RFP_CLASSES], [w for _, w in RFP_CLASSES])[0]
        kinds = ALTERNATIVES[deal_type]
        alt_kind = rng.choices([k for k, _ in kinds], [w for _, w in kinds])[0]
        competitor = rng.choice(network.competitors) if network.competitors else None
        if alt_kind == "competitor" and competitor is None:
            alt_kind = "status_quo"

        p_win = WIN_BASE[deal_type] + RFP_WIN[rfp] + (0.03 if owner.heavy else 0.0)
        if alt_kind == "status_quo":
            p_win -= 0.05
        elif alt_kind == "competitor" and competitor and competitor[1].startswith("ValuFlo"):
            p_win -= 0.04
        line = self.timelines.timeline(
            account, network, deal_type, min(0.95, max(0.05, p_win)), created
        )
        reached = range(line.reached)
        furthest = max(line.path[j] for j in reached)
        if furthest < 2 and alt_kind != "competitor" and rng.random() < 0.5:
            alt_kind = "unknown"  # not found out yet

        discount = rng.gauss(owner.discount, max(0.015, owner.discount * 0.3))
        discount += {"renewal": -0.02, "expansion": -0.005}.get(deal_type, 0.0)
        discount += 0.015 if rfp != "none" else 0.0
        if alt_kind == "competitor" and competitor and competitor[1].startswith("ValuFlo"):
            discount += 0.02
        discount = min(0.45, max(0.0, discount))
        quote_discount = discount * rng.uniform(0.45, 0.7)

        quote = self.stages.quote_at
        t_quote = next((line.entries[j] for j in reached if line.path[j] >= quote), None)
        last_open = len(self.stages.open) - 1
        t_final = None
        if last_open > quote:
            t_final = next((line.entries[j] for j in reached if line.path[j] == last_open), None)
        if line.closed and line.won and t_final is None:
            t_final = t_quote

        lines: list[dict[str, Any]] = []
        quoted = final = Decimal(0)
        for product, quantity in basket:
            jitter = rng.gauss(0, 0.01)
            net_quote = to_money(product.list_price * (ONE - _share(quote_discount + jitter)))
            net_final = to_money(product.list_price * (ONE - _share(discount + jitter)))
            quoted += net_quote * quantity
            final += net_final * quantity
            lines.append(
                {
                    "product_id": product.id,
                    "quantity": Decimal(quantity),
                    "list_price": product.list_price,
                    "net_price": net_final if t_final is not None else net_quote,
                    "unit_cost": product.unit_cost,
                }
            )
        guess = float(list_total) * (1 - discount) * rng.uniform(0.7, 1.4)
        estimate = to_money(max(1000, int(round(guess, -3))))
        amounts: list[tuple[float, Decimal]] = [(0.0, estimate)]
        if t_quote is not None and basket:
            amounts = (
                [(0.0, to_money(quoted))]
                if t_quote == 0
                else [*amounts, (t_quote, to_money(quoted))]
            )
            if t_final is not None:
                amounts.append((t_final, to_money(final)))
        else:
            lines = []
        amount = amounts[-1][1]

        alt_name, competitor_id, alt_price = "", None, None
        if alt_kind == "competitor" and competitor is not None:
            competitor_id, alt_name = competitor
            low, high = cat.COMPETITOR_PRICE.get(alt_name, (0.8, 1.0))
            alt_price = to_money(int(round(float(list_total) * rng.uniform(low, high), -3)))
        elif alt_kind == "diy":
            alt_name = cat.DIY_ALTERNATIVE.get(network.kind, "Do it themselves")
            alt_price = to_money(int(round(float(list_total) * rng.uniform(0.5, 0.85), -3)))
        elif alt_kind == "status_quo":
            alt_name = cat.STATUS_QUO_ALTERNATIVE.get(network.kind, "Do nothing")

        stamp = stamper(created)
        changes, close_date = self.timelines.history(line, amounts, owner.id, created)
        if line.closed:
            stage = self.stages.won if line.won else self.stages.lost
        else:
            stage = self.stages.open[line.path[line.reached - 1]]
        engaged = next(
            (line.entries[j] for j in reached if line.path[j] >= self.stages.engaged_at), None
        )
        probability = None
        if not line.closed and rng.random() < 0.08:
            probability = _share(float(stage.probability) + rng.choice((-0.1, 0.1, 0.15)))
        description = baskets.describe(rng, network, account, deal_type, main)
        last_change = changes[-1]["changed_at"]
        signals = self._engagement(line, furthest, created, close_date)
        opportunity = {
            "external_id": None,
            "name": f"{account.short}: {description}"[:200],
            "account_id": account.id,
            "owner_id": owner.id,
            "team_id": owner.team_id,
            "stage_id": stage.id,
            "probability": probability,
            "close_date": close_date,
            "engaged_on": stamp(engaged).date() if engaged is not None else None,
            "deal_type": deal_type,
            "currency": "USD",
            "amount": amount,
            "value_network_id": network.id,
            "alternative_kind": alt_kind,
            "alternative_name": alt_name,
            "competitor_id": competitor_id if alt_kind == "competitor" else None,
            "alternative_price": alt_price,
            "rfp_class": rfp,
            "last_meeting_on": signals.last_meeting_on,
            "mutual_plan": signals.mutual_plan,
            "description": f"{description}. {account.industry}, {account.fleet} pumps installed.",
            "created_at": stamp(0.0),
            "updated_at": last_change,
        }
        result = "open" if not line.closed else ("won" if line.won else "lost")
        if result == "won":
            first = account.first_win
            account.first_win = close_date if first is None else min(first, close_date)
        plan = DealPlan(opportunity, lines, changes, None, result=result, wins=line.won)
        case_input = CaseInput(
            network=network,
            account=account,
            owner=owner,
            price=amount,
            result=result,
            progress=furthest / max(1, len(self.stages.open) - 1),
            years=cat.FLOWCARE_TERM_YEARS
            if network.kind == "service"
            else cat.SMARTFLOW_HORIZON_YEARS,
            alternative=alt_name,
            started=stamp(min(line.entries[min(1, line.reached - 1)], line.end)),
            updated=last_change,
            discount_rate=self.discount_rate,
            target_share=self.target_share,
        )
        case = plan_value_case(rng, case_input)
        if case is not None:
            plan.case, plan.outcomes = case
        self._engagement_history(plan, line, furthest, signals, created, close_date)
        return plan

    # --- pieces --------------------------------------------------------------------------

    def _engagement(
        self, line: Timeline, furthest: int, created: datetime, close_date: date
    ) -> Engagement:
        """Last meeting (before the close, or before today for an open deal) and mutual
        plan, drawn from the deal's eventual outcome on the engagement stream."""
        last = close_date if line.closed else self.today
        signals = draw_engagement(
            self.engagement,
            won=line.won,
            closed=line.closed,
            progress=furthest / max(1, len(self.stages.open) - 1),
            first=created.date(),
            last=last - timedelta(days=1),
        )
        return signals

    def _engagement_history(
        self,
        plan: DealPlan,
        line: Timeline,
        furthest: int,
        signals: Engagement,
        created: datetime,
        close_date: date,
    ) -> None:
        """The meetings, mutual plan and confirmed outcomes behind the final fields, dated
        inside the deal's life, added to its history (kept in time order)."""
        stamp = stamper(created)
        days = deal_days(
            stamp,
            created,
            entries=line.entries[: line.reached],
            eligible=[s >= min(self.stages.quote_at, furthest) for s in line.path[: line.reached]],
            end=datetime.combine(close_date, time(0), UTC) if line.closed else self.cutoff,
            closed_at=line.end if line.closed else None,
        )
        confirmed = sum(o["state"] == "confirmed" for o in plan.outcomes)
        owner = plan.opportunity["owner_id"]
        rows = history_rows(self.history, days, signals, confirmed, stamp, owner)
        if not rows:
            return
        plan.changes.extend(rows)
        plan.changes.sort(key=lambda row: row["changed_at"])  # stable: same-time rows keep order
        plan.opportunity["updated_at"] = plan.changes[-1]["changed_at"]
        if plan.case is not None and confirmed:
            last = max(r["changed_at"] for r in rows if r["field"] == "confirmed")
            plan.case["updated_at"] = max(plan.case["updated_at"], last)
