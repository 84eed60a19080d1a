"""The policy in force: applying adds a version, an invalid one changes nothing, requests keep
the version that judged them, and a replay counts what another policy would change."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.deals.test_service_builders import build_deal, principal
from tests.factories import make_org
from tests.pricing.builders import (
    APPROVE_ALL,
    ask,
    audit_actions,
    count,
    move,
    routing_policy,
    submit,
)
from valuescout.core.errors import Forbidden, Invalid
from valuescout.pricing import policies, replay, views
from valuescout.pricing.models import PricePolicy
from valuescout.pricing.workflow import Move, State

D = Decimal
DEFAULT = (Path(policies.__file__).parent / "default_policy.yaml").read_text()
BROKEN = (
    "name: Broken\nrules:\n  - id: a\n    when:\n      discount: {gt: lots}\n"
    "    then: approve\notherwise: approve\n"
)


def test_the_migration_ships_version_one_the_default(session: Session) -> None:
    row, parsed = policies.active(session)
    assert row.version == 1 and row.source == DEFAULT
    assert parsed.name == "Value-based price policy (ValueScout default)"


def test_apply_adds_a_version_that_decides_from_then_on(session: Session) -> None:
    org = make_org(session)
    admin, seller = org.users["admin"], org.users["seller"]
    deal = build_deal(session, seller, line_product_of=admin)
    before = submit(session, seller, deal.opp_id, ask("230000"))
    move(session, seller, before.id, Move.WITHDRAW)
    row = policies.apply(session, principal(session, admin), APPROVE_ALL, note="  trial  ")
    assert (row.version, row.name, row.note) == (2, "Approve all", "trial")
    assert row.created_by_id == admin.id
    assert policies.active(session)[0].id == row.id
    after = submit(session, seller, deal.opp_id, ask("230000"))
    assert after.state == State.APPROVED and after.policy_id == row.id
    seen = principal(session, seller)
    assert views.detail(session, seen, before.id).policy_version == 1
    assert views.detail(session, seen, after.id).policy_version == 2
    versions = policies.versions(session, seen)
    assert [(v.version, v.active) for v in versions] == [(2, True), (1, False)]
    assert policies.version_detail(session, seen, 1).source == DEFAULT
    assert audit_actions(session, "price_policy", row.id) == ["apply"]


def test_an_invalid_policy_is_refused_and_the_one_in_force_stays(session: Session) -> None:
    org = make_org(session)
    with pytest.raises(Invalid) as caught:
        policies.apply(session, principal(session, org.users["admin"]), BROKEN)
    assert caught.value.details == ["line 5: discount is a number, not 'lots'"]  # type: ignore[attr-defined]
    assert count(session, PricePolicy) == 1
    assert policies.active(session)[0].version == 1


def test_only_admins_apply_a_policy(session: Session) -> None:
    org = make_org(session)
    for role in ("seller", "manager", "price_desk", "executive", "contributor"):
        with pytest.raises(Forbidden):
            policies.apply(session, principal(session, org.users[role]), APPROVE_ALL)
        with pytest.raises(Forbidden):
            replay.replay(session, principal(session, org.users[role]), APPROVE_ALL)
    assert count(session, PricePolicy) == 1


def test_check_reports_every_problem_without_applying(session: Session) -> None:
    result = policies.check(BROKEN)
    assert not result.valid and result.rules == 0
    assert [(p.line, p.message) for p in result.problems] == [
        (5, "discount is a number, not 'lots'")
    ]
    good = policies.check(DEFAULT)
    assert good.valid and good.rules == 7 and good.problems == []


def test_replay_counts_changed_decisions_and_the_discount_at_stake(session: Session) -> None:
    org = make_org(session)
    admin, seller = org.users["admin"], org.users["seller"]
    # Three decisions under the default policy: approve (no discount), route, reject.
    approved = submit(
        session, seller, build_deal(session, seller, line_product_of=admin).opp_id, ask("250000")
    )
    routed = submit(
        session, seller, build_deal(session, seller, line_product_of=admin).opp_id, ask("230000")
    )
    rejected = submit(
        session, seller, build_deal(session, seller, line_product_of=admin).opp_id, ask("100000")
    )
    assert [r.state for r in (approved, routed, rejected)] == ["approved", "pending", "rejected"]
    # A request decided by people later is replayed on its policy decision, not its outcome.
    move(session, org.users["manager"], routed.id, Move.REJECT)

    same = replay.replay(session, principal(session, admin), DEFAULT)
    assert (same.requests, same.changed, same.discount_at_stake) == (3, 0, D("0.00"))

    everything = replay.replay(session, principal(session, admin), APPROVE_ALL)
    assert everything.policy_name == "Approve all"
    assert everything.requests == 3 and everything.changed == 2
    assert everything.discount_at_stake == D("170000.00")  # 20k + 150k
    assert everything.by_action_before == {"approve": 1, "route": 1, "reject": 1}
    assert everything.by_action_after == {"approve": 3}
    assert everything.auto_approved_discount_before == D("0.00")
    assert everything.auto_approved_discount_after == D("170000.00")
    changes = {c.request_id: c for c in everything.changes}
    assert set(changes) == {routed.id, rejected.id}
    assert changes[routed.id].before == "route: manager > price_desk"
    assert changes[routed.id].after == "approve"
    assert changes[routed.id].rule_before == "floor-to-target-weak-evidence"
    assert changes[routed.id].rule_after is None
    assert changes[rejected.id].discount_amount == D("150000.00")

    # A different chain is a change too, even with the same action.
    desk_only = replay.replay(session, principal(session, admin), routing_policy("price_desk"))
    assert {c.request_id for c in desk_only.changes} == {approved.id, routed.id, rejected.id}
    manager_desk = replay.replay(
        session, principal(session, admin), routing_policy("manager", "price_desk")
    )
    assert {c.request_id for c in manager_desk.changes} == {approved.id, rejected.id}
    assert manager_desk.discount_at_stake == D("150000.00")
    assert count(session, PricePolicy) == 1  # a replay applies nothing


def test_replay_refuses_an_invalid_policy(session: Session) -> None:
    org = make_org(session)
    with pytest.raises(Invalid):
        replay.replay(session, principal(session, org.users["admin"]), BROKEN)


def test_replay_judges_the_frozen_evidence(session: Session) -> None:
    """A rule on a value that changed since the ask sees the value as it was."""
    org = make_org(session)
    admin, seller = org.users["admin"], org.users["seller"]
    deal = build_deal(session, seller, line_product_of=admin)
    request = submit(session, seller, deal.opp_id, ask("230000"))
    from valuescout.deals import valuecases
    from valuescout.deals.schemas import OutcomeIn

    valuecases.add_outcome(
        session,
        principal(session, seller),
        deal.opp_id,
        OutcomeIn(name="Huge", yearly_value=D("900000"), confidence=D(1)),
    )
    source = (
        "name: Strong cases\nrules:\n  - id: strong\n    when:\n"
        "      preference_after: {gt: 100000}\n    then: approve\n"
        "otherwise:\n  route: [manager, price_desk]\n"
    )
    result = replay.replay(session, principal(session, admin), source)
    assert result.changed == 0, "judged on the value case as it is now, not as it was"
    assert request.evidence["preference_after"] == "70000.00"
