"""The role matrix's rows for the maturity assessment (JSON API and pages).

Everyone signed in (contributors too) reads the content and the rounds, answers the open round
and sees their own answers; executives and admins (Permission.RUN_ASSESSMENTS) open and close
rounds; the company's result, the report and the journey need Permission.VIEW_MATURITY_RESULTS
(manager, executive, admin). Rows that need a round find the open one or open it; the close
rows open a fresh round per role, so each allowed role has one to close. Answers are those of
the org's manager, so a result has something to show (and names nobody: it carries none).
`cases()` takes the matrix's own `case` factory and `Expect`, so this module imports nothing
from it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.web.test_role_matrix import Case, Expect, World

API = "/api/v1/assessments/maturity"
EVERYONE = frozenset({"seller", "manager", "price_desk", "executive", "admin", "contributor"})
RUNNERS = frozenset({"executive", "admin"})
RESULTS = frozenset({"manager", "executive", "admin"})
FIRST = "align-one-lead-definition"


def _round(world: World, *, fresh: bool) -> int:
    from sqlalchemy import select

    from valuescout.assessments import service
    from valuescout.assessments.models import MaturityRound
    from valuescout.identity.models import User
    from valuescout.identity.service import principal_of

    with world.session_factory() as s:
        admin = principal_of(s.get(User, world.org.user("admin").id))  # type: ignore[arg-type]
        current = s.scalar(select(MaturityRound).where(MaturityRound.status == "open"))
        if current is not None and fresh:
            service.close_round(s, admin, current.id)
            current = None
        if current is None:
            current = service.start_round(s, admin, "Matrix round")
            manager = principal_of(s.get(User, world.org.user("manager").id))  # type: ignore[arg-type]
            service.save_domain(s, manager, current.id, "alignment", {FIRST: 3})
        s.commit()
        return current.id


def open_round(world: World, role: str) -> dict[str, Any]:
    return {"round_id": _round(world, fresh=False)}


def fresh_round(world: World, role: str) -> dict[str, Any]:
    return {"round_id": _round(world, fresh=True)}


def no_open_round(world: World, role: str) -> dict[str, Any]:
    """Close whatever is open, so an allowed role may open a new round."""
    _round(world, fresh=True)
    from sqlalchemy import update

    from valuescout.assessments.models import MaturityRound

    with world.session_factory() as s:
        s.execute(update(MaturityRound).values(status="closed"))
        s.commit()
    return {}


def cases(case: Callable[..., Case], *, expect: type[Expect]) -> list[Case]:
    title = lambda w, r: {"title": f"Round by {r}"}  # noqa: E731
    rows: list[Case] = [
        case("GET", f"{API}/content", EVERYONE, 200),
        case("GET", f"{API}/rounds", EVERYONE, 200, params=open_round),
        case("POST", f"{API}/rounds", RUNNERS, 201, params=no_open_round, body=title),
        case("POST", f"{API}/rounds/{{round_id}}/close", RUNNERS, 200, params=fresh_round),
        case("GET", f"{API}/rounds/{{round_id}}/progress", EVERYONE, 200, params=open_round),
        case(
            "PUT", f"{API}/rounds/{{round_id}}/answers/{{domain}}", EVERYONE, 200,
            params=lambda w, r: {**open_round(w, r), "domain": "alignment"},
            body=lambda w, r: {"answers": {FIRST: 2}},
        ),
        case("GET", f"{API}/rounds/{{round_id}}/result", RESULTS, 200, params=open_round),
        case("GET", f"{API}/journey", RESULTS, 200, params=fresh_round),
        case("GET", "/assessments", EVERYONE, 200, params=open_round),
        case(
            "POST", "/assessments/maturity/rounds", RUNNERS, expect(303, "/assessments"),
            params=no_open_round, body=title,
        ),
        case(
            "POST", "/assessments/maturity/{round_id}/close", RUNNERS,
            expect(303, "/assessments/maturity/"), params=fresh_round,
        ),
        case("GET", "/assessments/maturity/{round_id}/answer", EVERYONE, 200, params=open_round),
        case(
            "POST", "/assessments/maturity/{round_id}/answer", EVERYONE,
            expect(303, "/assessments/maturity/"), params=open_round,
            body=lambda w, r: {"domain": "alignment", f"a:{FIRST}": "3"},
        ),
        case("GET", "/assessments/maturity/{round_id}", EVERYONE, 200, params=open_round),
        case("GET", "/assessments/maturity/journey", RESULTS, 200, params=fresh_round),
    ]  # fmt: skip
    for report in ("report.html", "report.pdf"):
        path = f"/assessments/maturity/{{round_id}}/{report}"
        rows.append(case("GET", path, RESULTS, 200, params=open_round))
    return rows
