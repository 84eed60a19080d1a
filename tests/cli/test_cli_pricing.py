"""`valuescout policy validate | apply` and `valuescout pricing replay` against a real database."""

from __future__ import annotations

import json
from collections.abc import Iterator
from decimal import Decimal
from importlib import resources
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.cli.test_cli import cli_configured, invoke
from tests.deals.test_service_builders import build_deal, principal
from tests.factories import Org, seeded_org
from valuescout.cli import context
from valuescout.core.audit import AuditEntry
from valuescout.pricing import service
from valuescout.pricing.fields import Reason
from valuescout.pricing.models import PricePolicy
from valuescout.pricing.schemas import PriceRequestIn

DEFAULT = resources.files("valuescout.pricing").joinpath("default_policy.yaml").read_text("utf-8")
BAD = """\
name: Broken
rules:
  - id: too-deep
    when:
      discount: {gt: lots}
    then: {route: [boss]}
  - id: too-deep
    when: {colour: blue}
    then: approve
"""
STRICT = """\
name: Strict desk
rules:
  - id: everything-to-the-desk
    when: {}
    then: {route: [price_desk]}
otherwise: {route: [price_desk]}
"""


@pytest.fixture(autouse=True)
def wide(monkeypatch: pytest.MonkeyPatch) -> None:
    # A wide console, so table cells are not wrapped in the middle of what the tests look for.
    monkeypatch.setattr(context.console, "width", 200)
    monkeypatch.setattr(context.err_console, "width", 200)


@pytest.fixture()
def cli_env(database_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    with cli_configured(database_url, monkeypatch):
        yield


@pytest.fixture()
def org(cli_env: None, session_factory: sessionmaker[Session]) -> Org:
    return seeded_org(session_factory)


def write(tmp_path: Path, text: str, name: str = "policy.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _versions(session_factory: sessionmaker[Session]) -> list[tuple[int, str, str, str]]:
    with session_factory() as s:
        rows = s.execute(
            select(
                PricePolicy.version,
                PricePolicy.name,
                PricePolicy.note,
                PricePolicy.created_by_email,
            ).order_by(PricePolicy.version)
        ).all()
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_validate_a_good_policy_summarises_it(tmp_path: Path) -> None:
    code, out = invoke("policy", "validate", write(tmp_path, DEFAULT))
    assert code == 0, out
    assert "Valid: Value-based price policy (ValueScout default), 7 rules." in out
    assert "beyond-any-discount" in out and "route: manager > executive" in out
    assert "otherwise" in out


def test_validate_lists_every_problem_with_its_line(tmp_path: Path) -> None:
    code, out = invoke("policy", "validate", write(tmp_path, BAD))
    assert code == 1
    assert "the policy is not valid (4 problems)" in out
    assert "line 1: `otherwise` is missing" in out
    assert "line 5: discount is a number, not 'lots'" in out
    assert "line 6: unknown approver 'boss'" in out
    assert "line 8: unknown evidence field 'colour'" in out
    code, out = invoke("policy", "validate", write(tmp_path, "name: [unclosed\n"))
    assert code == 1 and "not valid YAML" in out
    code, out = invoke("policy", "validate", str(tmp_path / "absent.yaml"))
    assert code == 2 and "cannot read the policy file" in out


def test_apply_adds_a_version_as_the_system(
    org: Org, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    code, out = invoke("policy", "apply", write(tmp_path, STRICT), "--note", "  Q3 freeze  ")
    assert code == 0, out
    assert "Applied version 2: Strict desk (1 rules) is in force." in out
    versions = _versions(session_factory)
    assert [v[:3] for v in versions] == [
        (1, "Value-based price policy (ValueScout default)", versions[0][2]),
        (2, "Strict desk", "Q3 freeze"),
    ]
    assert versions[1][3].startswith("cli:")
    with session_factory() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity_type == "price_policy")).one()
        assert entry.action == "apply" and entry.actor_email.startswith("cli:")


def test_apply_refuses_an_invalid_policy_and_the_old_one_stays(
    org: Org, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    before = _versions(session_factory)
    code, out = invoke("policy", "apply", write(tmp_path, BAD))
    assert code == 1
    assert "line 5: discount is a number" in out and "the policy in force stays" in out
    assert _versions(session_factory) == before
    with session_factory() as s:
        assert (
            s.scalar(
                select(func.count())
                .select_from(AuditEntry)
                .where(AuditEntry.entity_type == "price_policy")
            )
            == 0
        )


def _requests(org: Org, session_factory: sessionmaker[Session]) -> list[int]:
    """Three requests under the default policy: auto-approved, routed to the manager, and
    routed to the price desk (no value case)."""
    seller, admin = org.user("seller"), org.user("admin")
    ids = []
    with session_factory() as s:
        for price, value_case in (("250000", True), ("230000", True), ("240000", False)):
            deal = build_deal(s, seller, line_product_of=admin, value_case=value_case)
            body = PriceRequestIn(
                net_price=Decimal(price), reason=Reason.BUDGET, justification="Budget cap"
            )
            ids.append(service.submit(s, principal(s, seller), deal.opp_id, body).id)
        s.commit()
    return ids


def test_replay_reports_changes_and_discount_at_stake(
    org: Org, tmp_path: Path, session_factory: sessionmaker[Session]
) -> None:
    ids = _requests(org, session_factory)
    out = invoke("pricing", "replay", "--policy", write(tmp_path, STRICT), "--format", "json")
    assert out[0] == 0, out[1]
    body = json.loads(out[1])
    assert body["policy_name"] == "Strict desk" and body["requests"] == 3
    # Only the auto-approved (0 discount) and the manager's (20k off list) change.
    assert body["changed"] == 2 and body["discount_at_stake"] == "20000.00"
    assert body["by_action_after"] == {"route": 3}
    assert body["by_action_before"] == {"approve": 1, "route": 2}
    assert sorted(c["request_id"] for c in body["changes"]) == sorted(ids[:2])
    assert {c["after"] for c in body["changes"]} == {"route: price_desk"}

    code, text = invoke("pricing", "replay", "-p", write(tmp_path, STRICT))
    assert code == 0, text
    assert "Replayed 3 requests under Strict desk: 2 decisions would change" in text
    assert "discount at stake 20,000.00" in text
    assert "Decisions that would change" in text and "route: price_desk" in text
    assert "at-or-above-target -> everything-to-the-desk" in text

    same = json.loads(invoke("pricing", "replay", "-p", write(tmp_path, DEFAULT), "-f", "json")[1])
    assert same["changed"] == 0 and same["changes"] == []


def test_replay_refuses_an_invalid_policy(org: Org, tmp_path: Path) -> None:
    code, out = invoke("pricing", "replay", "--policy", write(tmp_path, BAD))
    assert code == 1 and "unknown approver 'boss'" in out
    code, out = invoke("pricing", "replay")
    assert code == 2 and "--policy" in out
