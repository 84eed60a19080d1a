"""The demo company: Kestrel Flow Systems, a B2B maker of industrial pumps and flow control.

Deterministic for a given seed. Built as a list of steps over one shared `DemoCompany`, so
each capability appends a step that adds its own data (offers, deals, value cases, ...).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.core.audit import Actor
from valuescout.core.security import hash_password
from valuescout.demo.assessments import seed_maturity
from valuescout.demo.catalogue import FIRST_NAMES, LAST_NAMES
from valuescout.demo.coaching import seed_coaching
from valuescout.demo.conversations import seed_conversations
from valuescout.demo.deals import DealCounts, DealScale, build_deals
from valuescout.demo.discoveries import seed_discoveries
from valuescout.demo.forecasts import ForecastCounts, seed_forecasts
from valuescout.demo.pricing import PricingCounts, seed_price_requests
from valuescout.demo.rfps import seed_rfps
from valuescout.demo.willingness import seed_willingness
from valuescout.identity import service
from valuescout.identity.models import Team, User
from valuescout.identity.roles import Role
from valuescout.identity.schemas import TeamCreate, UserCreate
from valuescout.valuenet import service as valuenet_service
from valuescout.valuenet.fileformat import load_yaml
from valuescout.valuenet.models import ValueNetwork

COMPANY_NAME = "Kestrel Flow Systems"
EMAIL_DOMAIN = "kestrelflow.example"
DEMO_PASSWORD = "valuescout-demo"  # noqa: S105 - published on purpose: demo logins only
DEMO_ACTOR = Actor(id=None, email="demo-generator")

REGIONS = {
    "North America": ["NA Enterprise", "NA Industrial Mid-Market"],
    "EMEA": ["EMEA Process Industries", "EMEA Water & Utilities"],
    "Asia Pacific": ["APAC Enterprise", "APAC Channel & OEM"],
}
SELLERS_PER_TEAM = 4


@dataclass
class DemoCompany:
    """What earlier steps made, for later steps to build on."""

    rng: random.Random
    seed: int = 7  # what `rng` was seeded with; side streams (deal engagement) derive from it
    company: Team | None = None
    regions: dict[str, Team] = field(default_factory=dict)
    teams: dict[str, Team] = field(default_factory=dict)
    users: list[User] = field(default_factory=list)
    logins: dict[Role, str] = field(default_factory=dict)  # one sign-in per role, for the README
    value_networks: list[ValueNetwork] = field(default_factory=list)
    # Deals are dated back from this day: closed ones before it, open ones closing after it.
    today: date = field(default_factory=date.today)
    deal_scale: DealScale = field(default_factory=DealScale)
    deals: DealCounts = field(default_factory=DealCounts)
    heavy_discounters: list[int] = field(default_factory=list)  # sellers' user ids
    price_requests: PricingCounts = field(default_factory=PricingCounts)
    forecasts: ForecastCounts = field(default_factory=ForecastCounts)
    # The price desk's shared discount samples (`pricing.history.SAMPLES`) while asking: off,
    # so the same seed gives the same demo; bench/load_data.py turns it on at 100,000 deals.
    shared_history: bool = False
    _used_names: set[str] = field(default_factory=set)

    def person(self) -> tuple[str, str]:
        """A unique (full name, email)."""
        while True:
            first, last = self.rng.choice(FIRST_NAMES), self.rng.choice(LAST_NAMES)
            if f"{first} {last}" not in self._used_names:
                self._used_names.add(f"{first} {last}")
                email = f"{first}.{last}@{EMAIL_DOMAIN}".lower()
                return f"{first} {last}", email


Step = Callable[[Session, DemoCompany], None]


@cache
def _demo_password_hash() -> str:
    """Every demo user shares the published password; hashing it once saves ~10 s of argon2."""
    return hash_password(DEMO_PASSWORD)


def _add_user(
    session: Session,
    demo: DemoCompany,
    role: Role,
    team: Team | None,
    *,
    name: str | None = None,
    email: str | None = None,
) -> User:
    if name is None or email is None:
        name, email = demo.person()
    user = service.create_user(
        session,
        DEMO_ACTOR,
        UserCreate(
            email=email,
            full_name=name,
            role=role,
            team_id=team.id if team else None,
            password=DEMO_PASSWORD,
        ),
        password_hash=_demo_password_hash(),
    )
    demo.users.append(user)
    demo.logins.setdefault(role, user.email)
    return user


def _team(session: Session, name: str, kind: str, parent: Team | None) -> Team:
    return service.create_team(
        session,
        DEMO_ACTOR,
        TeamCreate(name=name, kind=kind, parent_id=parent.id if parent else None),
    )


def seed_organisation(session: Session, demo: DemoCompany) -> None:
    """Company -> 3 regions -> 6 teams, and ~40 people in every role."""
    demo.company = _team(session, COMPANY_NAME, "company", None)
    for region_name, team_names in REGIONS.items():
        region = _team(session, region_name, "region", demo.company)
        demo.regions[region_name] = region
        for team_name in team_names:
            demo.teams[team_name] = _team(session, team_name, "team", region)

    _add_user(
        session, demo, Role.ADMIN, demo.company, name="Alex Admin", email=f"admin@{EMAIL_DOMAIN}"
    )
    _add_user(
        session,
        demo,
        Role.EXECUTIVE,
        demo.company,
        name="Evelyn Carter",
        email=f"cso@{EMAIL_DOMAIN}",
    )
    _add_user(
        session, demo, Role.EXECUTIVE, demo.company, name="Frank Osei", email=f"cfo@{EMAIL_DOMAIN}"
    )
    _add_user(
        session,
        demo,
        Role.PRICE_DESK,
        demo.company,
        name="Paula Reyes",
        email=f"pricing@{EMAIL_DOMAIN}",
    )
    _add_user(session, demo, Role.PRICE_DESK, demo.company)
    for index, team in enumerate(demo.teams.values()):
        if index == 0:
            _add_user(
                session,
                demo,
                Role.MANAGER,
                team,
                name="Marco Lindqvist",
                email=f"manager@{EMAIL_DOMAIN}",
            )
        else:
            _add_user(session, demo, Role.MANAGER, team)
        for seat in range(SELLERS_PER_TEAM):
            if index == 0 and seat == 0:
                _add_user(
                    session,
                    demo,
                    Role.SELLER,
                    team,
                    name="Sam Seller",
                    email=f"seller@{EMAIL_DOMAIN}",
                )
            else:
                _add_user(session, demo, Role.SELLER, team)
    for region in demo.regions.values():
        _add_user(session, demo, Role.MANAGER, region)  # regional VP: sees the whole region
    _add_user(
        session,
        demo,
        Role.CONTRIBUTOR,
        demo.teams["NA Enterprise"],
        name="Chris Field",
        email=f"service@{EMAIL_DOMAIN}",
    )
    _add_user(session, demo, Role.CONTRIBUTOR, demo.regions["EMEA"])
    _add_user(session, demo, Role.CONTRIBUTOR, demo.regions["Asia Pacific"])


def seed_value_networks(session: Session, demo: DemoCompany) -> None:
    """Kestrel's two offers and their value networks, shipped as files in the package."""
    folder = resources.files("valuescout.valuenet") / "data" / "demo"
    for name in sorted(p.name for p in folder.iterdir() if p.name.endswith(".yaml")):
        spec = load_yaml((folder / name).read_text(encoding="utf-8"))
        demo.value_networks.append(valuenet_service.import_as(session, DEMO_ACTOR, spec))


def seed_deals(session: Session, demo: DemoCompany) -> None:
    """Products for both offers, ~300 accounts with buying teams, and ~2,000 deals over three
    years: stage histories, line items priced by each seller's discount habit (a few heavy
    discounters), next-best alternatives and value cases (demo/deals.py)."""
    demo.deals = build_deals(session, demo, demo.deal_scale, DEMO_ACTOR)


def seed_pricing(session: Session, demo: DemoCompany) -> None:
    """Nine months of price exceptions on the deals, asked and decided through the price
    desk's services by approvers of different leniency, then back-dated (demo/pricing.py)."""
    demo.price_requests = seed_price_requests(session, demo)


def seed_forecast_history(session: Session, demo: DemoCompany) -> None:
    """Forecast snapshots rebuilt at the start of the last four quarters and this one, and
    quotas per team (demo/forecasts.py)."""
    demo.forecasts = seed_forecasts(session, demo.today)


# Each capability appends its step here, in dependency order.
STEPS: list[Step] = [
    seed_organisation,
    seed_value_networks,
    seed_deals,
    seed_pricing,
    seed_forecast_history,
    seed_conversations,
    seed_coaching,
    seed_discoveries,
    seed_rfps,
    seed_maturity,
    seed_willingness,
]


def is_seeded(session: Session) -> bool:
    return (session.scalar(select(func.count()).select_from(User)) or 0) > 0


def seed_demo(
    session: Session, seed: int = 7, today: date | None = None, deals: DealScale | None = None
) -> DemoCompany:
    """The whole demo company; `today` dates the deals (default: today), `deals` sizes them."""
    demo = DemoCompany(
        rng=random.Random(seed),
        seed=seed,
        today=today or date.today(),
        deal_scale=deals or DealScale(),
    )
    for step in STEPS:
        step(session, demo)
    return demo


def demo_logins(session: Session) -> dict[Role, str]:
    """The first user of each role: the sign-ins to try the demo with."""
    logins: dict[Role, str] = {}
    for user in session.scalars(select(User).order_by(User.id)):
        logins.setdefault(user.role, user.email)
    return logins
