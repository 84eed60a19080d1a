"""Buyer engagement as of a day: from the deal's history where it has one, else from its
current values only when they are its state on that day; and the history the deals services
now keep."""

from __future__ import annotations

from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_api_basics import _headers, _worked_example
from tests.factories import seeded_org
from valuescout.forecasting.engagement_history import Trail, engagement_on


def _at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=11, tzinfo=UTC)


TRAIL = Trail(
    meetings=[(_at("2026-03-02"), date(2026, 3, 2)), (_at("2026-04-10"), date(2026, 4, 10))],
    plan=[(_at("2026-04-10"), True)],
    confirmed=[(_at("2026-03-20"), 1), (_at("2026-05-01"), 2)],
)


def _on(day: str, trail: Trail | None = TRAIL, final: bool = False) -> tuple[object, ...]:
    then = engagement_on(
        trail,
        date.fromisoformat(day),
        final=final,
        last_meeting=date(2026, 4, 10),
        mutual_plan=True,
        confirmed_now=2,
    )
    return then.meetings, then.mutual_plan, then.confirmed


def test_the_history_says_what_was_known_that_day() -> None:
    assert _on("2026-03-01") == ((), False, 0)
    assert _on("2026-03-25") == ((date(2026, 3, 2),), False, 1)
    assert _on("2026-04-10") == ((date(2026, 3, 2), date(2026, 4, 10)), True, 1)
    assert _on("2026-06-01") == ((date(2026, 3, 2), date(2026, 4, 10)), True, 2)


def test_without_history_the_current_values_count_only_when_final() -> None:
    assert _on("2026-03-25", trail=None) == ((), False, 0)
    assert _on("2026-04-20", trail=None) == ((date(2026, 4, 10),), False, 0)  # a dated meeting
    assert _on("2026-04-20", trail=None, final=True) == ((date(2026, 4, 10),), True, 2)


def test_the_deal_keeps_its_engagement_history(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    h = _headers(session_factory, org, "seller")
    case = _worked_example(client, h)
    path = f"/api/v1/opportunities/{case['opp_id']}"
    client.patch(path, json={"last_meeting_on": "2026-11-02", "mutual_plan": True}, headers=h)
    client.patch(path, json={"last_meeting_on": "2026-11-20"}, headers=h)
    outcomes = client.get(f"{path}/value-case", headers=h).json()["outcomes"]
    client.patch(
        f"{path}/value-case/outcomes/{outcomes[0]['id']}",
        json={"state": "confirmed"},
        headers=h,
    )
    history = client.get(path, headers=h).json()["history"]
    kept = [(c["field"], c["old_value"], c["new_value"]) for c in history[3:]]
    assert ("last_meeting", None, "2026-11-02") in kept
    assert ("last_meeting", "2026-11-02", "2026-11-20") in kept
    assert ("mutual_plan", None, "agreed") in kept
    assert any(f == "confirmed" and new == str(int(old) + 1) for f, old, new in kept)
