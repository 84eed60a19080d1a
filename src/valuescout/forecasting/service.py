"""The forecast of a team (or a seller's own deals) for a quarter, by every method.

Which deals: the open deals in the caller's row scope, owned by someone in the team's subtree,
closing in the period — and, for the current period, open deals whose close date has already
passed (overdue: still expected, shown as such). Bookings already won in the period count in
every method. Each method's probabilities give the range (`distribution.forecast_range`:
exact or grid, P10/P50/P90), the commit and best-case totals and, with a quota, the chance of
making it. The learned methods are trained on the company's most recent closed deals (the model
holds no names), shared by the process until a closed deal changes (`model_cache`).

A forecast is shared for `FORECAST_MAX_AGE` seconds by the callers who would get the same one
(same deals in scope, team and period): at 100,000 deals the company's costs seconds of CPU
(reading and scoring every open deal of the quarter; bench/README.md, load test), and ten
people opening it within half a minute pay for it once. After that, for up to
`FORECAST_STALE_FOR` seconds, the next caller still gets it at once while a background thread
computes the new one (nobody waits seconds for a page of figures a minute old); older than that,
it is computed in the request. The page says when it was computed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from valuescout.core.errors import NotFound
from valuescout.core.shared_cache import SharedCache
from valuescout.deals.models import Opportunity, Stage
from valuescout.deals.valuecase_figures import deal_settings
from valuescout.forecasting import methods, model_cache
from valuescout.forecasting.distribution import Forecast, forecast_range
from valuescout.forecasting.models import ForecastQuota
from valuescout.forecasting.owner_deals import scored_open_deals
from valuescout.forecasting.periods import Period
from valuescout.forecasting.schemas import (
    DealOut,
    FactorOut,
    ForecastOut,
    MethodOut,
    TeamChoice,
    TeamTotalOut,
)
from valuescout.forecasting.scorecard import default_scorecard
from valuescout.forecasting.training import training_examples
from valuescout.identity.models import Team, User
from valuescout.identity.principal import Principal
from valuescout.identity.roles import Permission, Role
from valuescout.identity.scope import Scope, scope_for, team_member_ids

MAX_DEALS = 200
# The range's grid on a page: 16,384 steps over the uncertain total put P10/P50/P90 within
# about 0.01% of a 2^20-step reference (324 and 3,000 generated deals), at a quarter of the
# default grid's time (147 -> 34 ms per method for a seller's 324 deals); the mean is exact.
PAGE_GRID_CELLS = 1 << 14
FORECAST_MAX_AGE = 30.0
FORECAST_STALE_FOR = 300.0
FORECASTS: SharedCache[ForecastOut] = SharedCache(256, max_age=FORECAST_MAX_AGE, name="forecasts")
# An operator at the command line has no user account (as `deals.service` has it): they read
# the company's forecast as an executive does. Their snapshots go through
# `snapshots.take_scheduled` / `backfill_audited`, which need no user.
OPERATOR = Principal(
    user_id=0, email="cli", full_name="Operator", role=Role.EXECUTIVE, team_id=None
)


@dataclass(frozen=True)
class ForecastQuery:
    period: Period
    team_id: int | None = None  # None: the caller's own team (a seller: their own deals)
    today: date | None = None


def trained_models(session: Session, today: date) -> methods.Models:
    """The learned methods, trained on the most recent closed deals (`model_cache`: shared by
    the process, retrained when a closed deal changed)."""
    return model_cache.models(session, today, model_cache.closed_deals(session), _train)


def _train(session: Session, today: date) -> methods.Models:
    examples, weights = training_examples(session, today)
    return methods.train(default_scorecard(), examples, weights=weights)


def _team(session: Session, principal: Principal, team_id: int | None) -> Team | None:
    """The team to forecast, checked against what the caller may see."""
    if team_id is None:
        if principal.role in (Role.SELLER, Role.CONTRIBUTOR):
            return None
        if principal.role == Role.MANAGER:
            return session.get(Team, principal.team_id) if principal.team_id else None
        return session.scalar(select(Team).where(Team.parent_id.is_(None)).order_by(Team.id))
    team = session.get(Team, team_id)
    allowed = principal.role in (Role.PRICE_DESK, Role.EXECUTIVE, Role.ADMIN) or (
        principal.role == Role.MANAGER
        and principal.team_id is not None
        and team_id in _subtree(session, principal.team_id)
    )
    if team is None or not allowed:
        raise NotFound(f"Team {team_id} not found.")
    return team


def visible_teams(session: Session, principal: Principal) -> list[TeamChoice]:
    """The teams the caller may forecast (`_team`'s rules), as a tree in depth-first order:
    every team for price desk, executives and admins, a manager's subtree, none for others."""
    principal.require(Permission.SEE_MONEY)
    teams = {t.id: t for t in session.scalars(select(Team).order_by(Team.name))}
    if principal.role in (Role.PRICE_DESK, Role.EXECUTIVE, Role.ADMIN):
        roots = [t for t in teams.values() if t.parent_id is None or t.parent_id not in teams]
    elif principal.role == Role.MANAGER and principal.team_id in teams:
        roots = [teams[principal.team_id]]
    else:
        return []
    children: dict[int, list[Team]] = {}
    for t in teams.values():
        if t.parent_id is not None:
            children.setdefault(t.parent_id, []).append(t)
    out: list[TeamChoice] = []
    seen: set[int] = set()
    stack = [(t, 0) for t in reversed(roots)]
    while stack:
        team, depth = stack.pop()
        if team.id in seen:
            continue  # defensive: a cycle must not loop forever
        seen.add(team.id)
        out.append(TeamChoice(team_id=team.id, name=team.name, depth=depth))
        stack += [(c, depth + 1) for c in reversed(children.get(team.id, []))]
    return out


def team_named(session: Session, principal: Principal, text: str) -> int:
    """A team's id from its id or its name (any case), as the caller may see it."""
    if text.strip().isdigit():
        team_id = int(text.strip())
    else:
        found = session.scalar(select(Team.id).where(func.lower(Team.name) == text.strip().lower()))
        if found is None:
            raise NotFound(f"No team named {text.strip()!r}.", field="team")
        team_id = found
    _team(session, principal, team_id)  # NotFound outside the caller's view
    return team_id


def _subtree(session: Session, team_id: int) -> set[int]:
    from valuescout.identity.hierarchy import subtree_ids

    edges = [(t, p) for t, p in session.execute(select(Team.id, Team.parent_id))]
    return subtree_ids(edges, team_id)


def _owners(session: Session, scope: Scope, team: Team | None) -> set[int]:
    owners = team_member_ids(session, team.id) if team else {scope.principal.user_id}
    return owners if scope.owner_ids is None else owners & scope.owner_ids


def _won(session: Session, owners: set[int], period: Period, currency: str) -> Decimal:
    total = session.scalar(
        select(func.coalesce(func.sum(Opportunity.amount), 0))
        .join(Stage, Stage.id == Opportunity.stage_id)
        .where(
            Stage.outcome == "won",
            Opportunity.owner_id.in_(owners),
            Opportunity.currency == currency,
            Opportunity.close_date.between(period.start, period.end),
        )
    )
    return Decimal(total or 0)


def _method_out(
    method: str,
    models: methods.Models,
    scored: Sequence[methods.DealScore],
    won: Decimal,
    quota: Decimal | None,
) -> MethodOut:
    label = methods.LABELS[method]
    if method != "stage" and method not in models.models:
        reason = models.unavailable.get(method, "not trained")
        return MethodOut(
            method=method, label=label, available=False, reason=reason, expected=None,
            p10=None, p50=None, p90=None, sd=None, commit=None, best_case=None,
            chance_of_quota=None, coverage=None, distribution=None,
        )  # fmt: skip
    base = float(won)
    amounts = [float(s.deal.amount) for s in scored]
    ps = [float(s.probabilities[method] or 0.0) for s in scored]
    remaining = float(quota) - base if quota is not None else None
    fc: Forecast = forecast_range(
        amounts,
        ps,
        quota=remaining if remaining and remaining > 0 else None,
        grid_cells=PAGE_GRID_CELLS,
    )
    cats = fc.categories
    if quota is None:
        chance = None
    else:
        chance = (
            1.0 if remaining is not None and remaining <= 0 else fc.prob_at_least(remaining or 0)
        )
    return MethodOut(
        method=method,
        label=label,
        available=True,
        reason=None,
        expected=base + fc.expected,
        p10=base + fc.p10,
        p50=base + fc.p50,
        p90=base + fc.p90,
        sd=fc.sd,
        commit=base + cats.commit_amount,
        best_case=base + cats.commit_amount + cats.best_case_amount,
        chance_of_quota=chance,
        coverage=(base + fc.expected) / float(quota) if quota else None,
        distribution=fc.method,
    )


def _deal_out(s: methods.DealScore, names: dict[int, str], today: date) -> DealOut:
    d = s.deal
    factors = s.explanation.factors if s.explanation else ()
    return DealOut(
        opportunity_id=d.opportunity_id,
        name=d.name,
        account_name=d.account_name,
        owner_name=names.get(d.owner_id, ""),
        stage_name=d.stage_name,
        amount=float(d.amount),
        close_date=d.close_date,
        overdue=d.close_date is not None and d.close_date < today,
        fit=round(s.fit, 1),
        engagement=round(s.engagement, 1),
        probabilities=s.probabilities,
        factors=[
            FactorOut(column=f.column, value=f.value, contribution=f.contribution) for f in factors
        ],
    )


def forecast(session: Session, principal: Principal, query: ForecastQuery) -> ForecastOut:
    """Every method's forecast of the team's (or the seller's own) deals for the period."""
    principal.require(Permission.SEE_MONEY)
    today = query.today or date.today()
    scope = scope_for(session, principal)
    team = _team(session, principal, query.team_id)
    owners = _owners(session, scope, team)
    currency = deal_settings(session).currency
    key = (
        str(session.get_bind().engine.url),
        scope.owner_ids,
        frozenset(owners),
        team.id if team else ("own", principal.user_id),  # no team: named after the caller
        query.period,
        today,
        currency,
    )
    engine = session.get_bind().engine

    def recompute(in_session: Session) -> ForecastOut:
        return _forecast(in_session, principal, scope, team, owners, query.period, today)

    def refresh() -> ForecastOut:
        with Session(engine) as own:
            return recompute(own)

    return FORECASTS.get(
        key, lambda: recompute(session), refresh=refresh, stale_for=FORECAST_STALE_FOR
    )


def _forecast(
    session: Session,
    principal: Principal,
    scope: Scope,
    team: Team | None,
    owners: set[int],
    period: Period,
    today: date,
) -> ForecastOut:
    currency = deal_settings(session).currency
    models = trained_models(session, today)
    found = scored_open_deals(session, owners, period, today, currency, models)
    scored, figures_at = found.deals, found.taken_at
    deals = [s.deal for s in scored]
    won = _won(session, owners, period, currency)
    quota = _quota(session, team, period)
    names = _names(session, {d.owner_id for d in deals})
    largest = sorted(scored, key=lambda s: (-s.deal.amount, s.deal.opportunity_id))[:MAX_DEALS]
    return ForecastOut(
        period=period.label,
        start=period.start,
        end=period.end,
        as_of=today,
        figures_at=figures_at,
        team_id=team.id if team else None,
        team_name=team.name if team else names.get(principal.user_id, principal.full_name),
        currency=currency,
        won=float(won),
        open_amount=float(sum((d.amount for d in deals), Decimal(0))),
        quota=float(quota) if quota is not None else None,
        deal_count=len(deals),
        methods=[_method_out(m, models, scored, won, quota) for m in methods.METHODS],
        deals=[_deal_out(s, names, today) for s in largest],
        teams=_children(session, scope, team, scored, period, currency),
        closed_deals_learned_from=models.closed,
    )


def _quota(session: Session, team: Team | None, period: Period) -> Decimal | None:
    if team is None:
        return None
    return session.scalar(
        select(ForecastQuota.amount).where(
            ForecastQuota.team_id == team.id, ForecastQuota.period == period.label
        )
    )


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    rows = session.execute(select(User.id, User.full_name).where(User.id.in_(ids)))
    return {uid: name for uid, name in rows}


def _children(
    session: Session,
    scope: Scope,
    team: Team | None,
    scored: Sequence[methods.DealScore],
    period: Period,
    currency: str,
) -> list[TeamTotalOut]:
    """Each team one level down: won so far and every method's expected bookings."""
    if team is None:
        return []
    out: list[TeamTotalOut] = []
    for child in session.scalars(select(Team).where(Team.parent_id == team.id).order_by(Team.name)):
        owners = _owners(session, scope, child)
        if not owners:
            continue
        won = _won(session, owners, period, currency)
        mine = [s for s in scored if s.deal.owner_id in owners]
        expected: dict[str, float | None] = {}
        for m in methods.METHODS:
            ps = [s.probabilities[m] for s in mine]
            expected[m] = (
                None
                if any(p is None for p in ps)
                else float(won)
                + sum(float(s.deal.amount) * (p or 0.0) for s, p in zip(mine, ps, strict=True))
            )
        out.append(
            TeamTotalOut(team_id=child.id, name=child.name, won=float(won), expected=expected)
        )
    return out
