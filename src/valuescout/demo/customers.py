"""The demo's sellers (with their discount habits), the product catalogue tied to the value
networks' offers, and the accounts with their buying teams."""

from __future__ import annotations

import math
import random
from collections.abc import Iterable
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from valuescout.core.models import Base
from valuescout.core.money import to_money
from valuescout.deals.models import Account, Contact, Product
from valuescout.demo import catalogue as cat
from valuescout.demo.world import (
    AccountFacts,
    ContactFacts,
    NetworkFacts,
    ProductFacts,
    SellerFacts,
)
from valuescout.identity.models import Team, User
from valuescout.identity.roles import Role

SEGMENTS = ("enterprise", "mid-market", "small")
# per segment: annual revenue (USD, log-uniform), employees, pumps installed, deal size factor
_SEGMENT_SIZE = {
    "enterprise": ((1e9, 3e10), (3_000, 60_000), (400, 3_000), 1.8),
    "mid-market": ((1e8, 1e9), (400, 3_000), (80, 600), 1.0),
    "small": ((2e7, 1e8), (80, 400), (15, 120), 0.45),
}
HEAVY_DISCOUNT = (0.21, 0.28)  # drawn inside the ranges the deals show, as deals add noise
USUAL_DISCOUNT = (0.055, 0.115)
SAM_SELLER = "seller@"  # the published seller login owns a bigger book, so the demo shows it


def log_uniform(rng: random.Random, low: float, high: float) -> float:
    return math.exp(rng.uniform(math.log(low), math.log(high)))


def make_sellers(
    rng: random.Random, users: list[User], teams: dict[str, Team], regions: dict[str, Team]
) -> list[SellerFacts]:
    """Every seller with a discount habit: most give 5-12% on average; two or three (one of
    them in the published manager's team) give 20-30%."""
    team_names = {t.id: name for name, t in teams.items()}
    region_of = {
        t.id: next((r for r, team in regions.items() if team.id == t.parent_id), "")
        for t in teams.values()
    }
    sellers = [u for u in users if u.role == Role.SELLER and u.team_id in team_names]
    first_team = next(iter(teams.values())).id if teams else None
    own_team = [u for u in sellers if u.team_id == first_team and SAM_SELLER not in u.email]
    others = [u for u in sellers if u.team_id != first_team]
    count = 3 if len(sellers) >= 12 else max(1, len(sellers) // 8)
    heavy = set()
    if own_team:
        heavy.add(rng.choice(own_team).id)
    pool = [u.id for u in (others or own_team) if u.id not in heavy]
    heavy.update(rng.sample(pool, min(len(pool), count - len(heavy))))
    result = []
    for user in sellers:
        is_heavy = user.id in heavy
        is_sam = SAM_SELLER in user.email
        assert user.team_id is not None
        result.append(
            SellerFacts(
                id=user.id,
                name=user.full_name,
                team_id=user.team_id,
                team=team_names[user.team_id],
                region=region_of[user.team_id],
                discount=rng.uniform(*(HEAVY_DISCOUNT if is_heavy else USUAL_DISCOUNT)),
                heavy=is_heavy,
                value_selling=1.25 if is_sam else (0.45 if is_heavy else rng.uniform(0.7, 1.3)),
                weight=2.0 if is_sam else rng.uniform(0.8, 1.2),
            )
        )
    return result


def seed_products(session: Session, networks: list[NetworkFacts]) -> int:
    rows = []
    for network in networks:
        for spec in cat.PRODUCTS.get(network.name, []):
            rows.append(
                {
                    "name": spec.name,
                    "name_key": spec.name.lower(),
                    "family": spec.family,
                    "list_price": Decimal(spec.list_price),
                    "unit_cost": Decimal(spec.unit_cost),
                    "currency": "USD",
                    "value_network_id": network.id,
                }
            )
    ids = insert_returning(session, Product, rows)
    specs = iter((n, s) for n in networks for s in cat.PRODUCTS.get(n.name, []))
    for product_id, (network, spec) in zip(ids, specs, strict=True):
        network.products.append(
            ProductFacts(product_id, spec, Decimal(spec.list_price), Decimal(spec.unit_cost))
        )
    return len(ids)


def table(model: type[Base]) -> Table:
    return cast(Table, model.__table__)


def insert_many(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> None:
    """Bulk insert into the model's table: the driver's executemany (sqlite3's own, psycopg's
    pipeline), measured 1.7-2.2 times faster here than batched multi-row VALUES lists."""
    if rows:
        session.execute(insert(table(model)), rows)


def insert_returning(session: Session, model: type[Base], rows: list[dict[str, Any]]) -> list[int]:
    """Bulk insert into the model's table (executemany, batched VALUES lists); the new ids in
    the rows' order. Core, not the ORM's bulk path: its per-batch result splicing grows with
    the square of the rows."""
    if not rows:
        return []
    stmt = insert(table(model)).returning(table(model).c.id, sort_by_parameter_order=True)
    return list(session.execute(stmt, rows).scalars())


def _spread(total: int, weights: list[float]) -> list[int]:
    """Whole numbers in proportion to weights that add up to total (largest remainder)."""
    if not weights:
        return []
    raw = [total * w / sum(weights) for w in weights]
    counts = [int(r) for r in raw]
    by_remainder = sorted(range(len(raw)), key=lambda i: raw[i] - counts[i], reverse=True)
    for i in by_remainder[: total - sum(counts)]:
        counts[i] += 1
    return counts


class AccountMaker:
    """Accounts per seller's territory, with unique names and a 3-6 person buying team."""

    def __init__(
        self,
        rng: random.Random,
        networks: list[NetworkFacts],
        history_start: date,
        first_names: list[str],
        last_names: list[str],
    ) -> None:
        self.rng = rng
        self.networks = networks
        self.history_start = history_start
        self.first_names, self.last_names = first_names, last_names
        self.taken: set[str] = set()

    def make(self, session: Session, sellers: list[SellerFacts], count: int) -> list[AccountFacts]:
        facts: list[AccountFacts] = []
        rows: list[dict[str, Any]] = []
        for seller, n in zip(sellers, _spread(count, [s.weight for s in sellers]), strict=True):
            for _ in range(n):
                fact, row = self._account(seller)
                facts.append(fact)
                rows.append(row)
        for fact, account_id in zip(facts, insert_returning(session, Account, rows), strict=True):
            fact.id = account_id
        contact_rows: list[dict[str, Any]] = []
        people: list[tuple[AccountFacts, str, str, str]] = []
        for fact, row in zip(facts, rows, strict=True):
            for name, persona, role, contact_row in self._buying_team(fact, row["created_at"]):
                contact_rows.append(contact_row)
                people.append((fact, name, persona, role))
        ids = insert_returning(session, Contact, contact_rows)
        for (fact, name, persona, role), contact_id in zip(people, ids, strict=True):
            fact.contacts.append(ContactFacts(contact_id, name, persona, role))
        return facts

    def _name(self, seller: SellerFacts, industry: str) -> tuple[str, str]:
        rng = self.rng
        for attempt in range(1000):
            short = f"{rng.choice(cat.NAME_STEMS)} {rng.choice(cat.INDUSTRIES[industry])}"
            if attempt > 20:  # a large demo runs out of names: number the sites
                short = f"{short} {rng.randint(2, 99)}"
            name = f"{short} {rng.choice(cat.LEGAL_FORMS.get(seller.region, ['Ltd']))}"
            if name.lower() not in self.taken:
                self.taken.add(name.lower())
                return name, short
        raise RuntimeError("no unique account name left")

    def _account(self, seller: SellerFacts) -> tuple[AccountFacts, dict[str, Any]]:
        rng = self.rng
        focus = cat.TEAM_FOCUS.get(seller.team) or list(cat.INDUSTRIES)
        industry = rng.choice(focus)
        segment = rng.choices(SEGMENTS, weights=cat.TEAM_SEGMENTS.get(seller.team, (1, 1, 1)))[0]
        revenue, employees, fleet, size = _SEGMENT_SIZE[segment]
        name, short = self._name(seller, industry)
        places = cat.TERRITORIES.get(seller.region) or [("United States", "US West")]
        country, territory = rng.choices(places, [1 / (i + 2) for i in range(len(places))])[0]
        pumps = round(log_uniform(rng, *fleet))
        oem = industry == "Machine builders (OEM)"
        services = industry in ("Water & wastewater", "Power generation")
        smartflow = 0.95 if oem else (0.45 if services else 0.6)
        network = 0 if rng.random() < smartflow or len(self.networks) < 2 else 1
        growth = rng.choices(["growing", "flat", "declining"], weights=(5, 4, 1))[0]
        sustainability = rng.random() < (0.65 if segment == "enterprise" else 0.35)
        fit_points = (segment != "small") + (growth == "growing") + sustainability + (pumps > 150)
        customer_since = None
        if rng.random() < 0.35:
            customer_since = date(self.history_start.year - rng.randint(1, 12), 1, 1)
        created = datetime.combine(
            self.history_start - timedelta(days=rng.randint(30, 400)), time(9), UTC
        )
        attributes: dict[str, Any] = {
            "segment": segment,
            "pump_fleet": pumps,
            "installed_base": rng.choice(["Hydrix Pumps", "ValuFlo Industrial", "Mixed brands"]),
            "maintenance_model": rng.choice(["in-house", "outsourced", "mixed"]),
            "sustainability_target": sustainability,
            "growth": growth,
            "icp_fit": "A" if fit_points >= 3 else ("B" if fit_points == 2 else "C"),
            "customer_since": customer_since.year if customer_since else None,
        }
        row = {
            "name": name,
            "name_key": name.lower(),
            "industry": industry,
            "annual_revenue": to_money(int(round(log_uniform(rng, *revenue), -5))),
            "employees": round(log_uniform(rng, *employees), -1),
            "region": seller.region,
            "territory": territory,
            "country": country,
            "year_established": rng.randint(1890, 2015),
            "parent_name": rng.choice(cat.PARENT_GROUPS) if rng.random() < 0.12 else "",
            "owner_id": seller.id,
            "attributes": attributes,
            "created_at": created,
            "updated_at": created,
        }
        fact = AccountFacts(
            id=0,
            name=name,
            short=short,
            industry=industry,
            segment=segment,
            size=size * math.exp(rng.gauss(0, 0.3)),
            owner=seller,
            network=network,
            fleet=pumps,
            customer_since=customer_since,
        )
        return fact, row

    def _buying_team(
        self, account: AccountFacts, created: datetime
    ) -> Iterable[tuple[str, str, str, dict[str, Any]]]:
        rng = self.rng
        network = self.networks[account.network]
        personas = list(network.personas)
        if "OEM" not in account.industry:
            personas = [p for p in personas if not p.startswith("OEM")] or personas
        domain = "".join(ch for ch in account.short.lower() if ch.isalnum())[:30] + ".example"
        chosen = rng.sample(personas, min(len(personas), rng.randint(3, 6)))
        roles = [rng.choice(cat.PERSONA_ROLES.get(p, ["influencer"])) for p in chosen]
        if "economic_buyer" not in roles:
            roles[0] = "economic_buyer"
        for persona, role in zip(chosen, roles, strict=True):
            first, last = rng.choice(self.first_names), rng.choice(self.last_names)
            name = f"{first} {last}"
            prefix = rng.choice(cat.CONTACT_TITLE_PREFIX) if persona in cat.SENIOR_TITLES else ""
            title = f"{prefix}{persona[:1].lower()}{persona[1:]}" if prefix else persona
            ally = role == "champion" or (role != "blocker" and rng.random() < 0.2)
            yield (
                name,
                persona,
                role,
                {
                    "account_id": account.id,
                    "name": name,
                    "title": title,
                    "email": f"{first}.{last}@{domain}".lower(),
                    "buying_role": role,
                    "is_ally": ally,
                    "persona_id": network.personas[persona],
                    "created_at": created,
                    "updated_at": created,
                },
            )
