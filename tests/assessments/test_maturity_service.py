"""Maturity rounds through the service: who opens and closes, answering a domain at a time
(resume, replace, refusals that change nothing), aggregation across respondents, who sees the
company's result, the stored result and the journey."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.deals.test_service_builders import principal
from tests.factories import Org, make_org
from valuescout.assessments import maturity_content, service
from valuescout.assessments.models import MaturityAnswer, MaturityRound
from valuescout.core.audit import AuditEntry
from valuescout.core.errors import Conflict, Forbidden, Invalid, NotFound

TODAY = date(2026, 11, 28)
CONTENT = maturity_content.load()
ALIGN = [i.id for i in CONTENT.domain("alignment").indicators]  # type: ignore[union-attr]


@pytest.fixture()
def org(session: Session) -> Org:
    return make_org(session)


def _open(session: Session, org: Org, title: str = "Q4 check") -> MaturityRound:
    return service.start_round(session, principal(session, org.user("executive")), title)


def _answers_count(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(MaturityAnswer)) or 0


def test_only_who_runs_assessments_opens_and_closes(session: Session, org: Org) -> None:
    for role in ("seller", "manager", "price_desk", "contributor"):
        with pytest.raises(Forbidden):
            service.start_round(session, principal(session, org.user(role)), "x")
    row = _open(session, org)
    assert row.status == "open" and row.content_version == CONTENT.version
    with pytest.raises(Conflict, match="already open"):
        service.start_round(session, principal(session, org.user("admin")), "another")
    with pytest.raises(Forbidden):
        service.close_round(session, principal(session, org.user("manager")), row.id, TODAY)
    service.close_round(session, principal(session, org.user("admin")), row.id, TODAY)
    with pytest.raises(Conflict, match="already closed"):
        service.close_round(session, principal(session, org.user("admin")), row.id, TODAY)
    with pytest.raises(NotFound):
        service.close_round(session, principal(session, org.user("admin")), 999, TODAY)
    trail = session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "maturity_round").order_by(AuditEntry.id)
    ).all()
    assert [(e.action, e.actor_email) for e in trail] == [
        ("maturity_round.open", "exec@example.com"),
        ("maturity_round.close", "admin@example.com"),
    ]


def test_anyone_answers_a_domain_and_resumes_at_the_next(session: Session, org: Org) -> None:
    row = _open(session, org)
    contributor = principal(session, org.user("contributor"))
    fresh = service.progress(session, contributor, row.id)
    assert fresh.domains_done == [] and fresh.next_domain == "alignment"
    saved = service.save_domain(session, contributor, row.id, "alignment", {ALIGN[0]: 4})
    assert saved.domains_done == ["alignment"] and saved.next_domain == "capability"
    assert saved.answers[ALIGN[0]] == 4
    assert saved.answers[ALIGN[1]] is None  # omitted: don't know
    assert len(saved.answers) == len(ALIGN)
    again = service.save_domain(session, contributor, row.id, "alignment", {ALIGN[0]: 2})
    assert again.answers[ALIGN[0]] == 2 and _answers_count(session) == len(ALIGN)
    done = [service.save_domain(session, contributor, row.id, d.id, {}) for d in CONTENT.domains]
    assert done[-1].next_domain is None


def test_bad_answers_are_refused_by_id_and_change_nothing(session: Session, org: Org) -> None:
    row = _open(session, org)
    seller = principal(session, org.user("seller"))
    service.save_domain(session, seller, row.id, "alignment", {ALIGN[0]: 3})
    with pytest.raises(Invalid) as caught:
        service.save_domain(session, seller, row.id, "alignment",
                            {"no-such-id": 1, ALIGN[1]: 5, "cap-methodology": 2})  # fmt: skip
    assert caught.value.details == [
        "no-such-id: not an indicator of alignment",
        "cap-methodology: not an indicator of alignment",
        f"{ALIGN[1]}: answer 5 is outside 0-4",
    ]
    with pytest.raises(Invalid, match="Unknown domain 'sales'"):
        service.save_domain(session, seller, row.id, "sales", {})
    assert service.progress(session, seller, row.id).answers[ALIGN[0]] == 3
    with pytest.raises(NotFound):
        service.save_domain(session, seller, 12345, "alignment", {})


def test_a_closed_round_takes_no_answers(session: Session, org: Org) -> None:
    row = _open(session, org)
    service.close_round(session, principal(session, org.user("executive")), row.id, TODAY)
    with pytest.raises(Conflict, match="closed"):
        service.save_domain(session, principal(session, org.user("seller")), row.id,
                            "alignment", {})  # fmt: skip


def test_answers_of_several_people_aggregate_with_disagreement(session: Session, org: Org) -> None:
    row = _open(session, org)
    for who, answer in (("seller", 1), ("manager", 3), ("executive", 4)):
        service.save_domain(session, principal(session, org.user(who)), row.id, "alignment",
                            {ALIGN[0]: answer, ALIGN[1]: 3})  # fmt: skip
    result = service.result(session, principal(session, org.user("manager")), row.id, TODAY)
    first = result.domains[0].indicators[0]
    assert (first.answers, first.median, first.mean, first.spread) == ([1, 3, 4], 3.0, 2.67, 3)
    assert first.disagreement and first.met
    assert result.domains[0].indicators[1].disagreement is False
    assert result.respondents == 3


def test_seller_and_contributor_get_nothing_company_wide(session: Session, org: Org) -> None:
    row = _open(session, org)
    service.save_domain(session, principal(session, org.user("manager")), row.id, "alignment",
                        {ALIGN[0]: 4})  # fmt: skip
    service.close_round(session, principal(session, org.user("executive")), row.id, TODAY)
    for role in ("seller", "contributor", "price_desk"):
        who = principal(session, org.user(role))
        with pytest.raises(Forbidden):
            service.result(session, who, row.id, TODAY)
        with pytest.raises(Forbidden):
            service.journey(session, who)
        listed = service.list_rounds(session, who)[0]
        assert listed.respondents is None and listed.overall is None
        assert service.progress(session, who, row.id).answers == {}  # not the manager's
    listed = service.list_rounds(session, principal(session, org.user("manager")))[0]
    assert listed.respondents == 1 and listed.overall == "average"


def test_closing_stores_the_result_and_the_journey_compares(session: Session, org: Org) -> None:
    executive = principal(session, org.user("executive"))
    first = _open(session, org, "Baseline")
    service.save_domain(session, executive, first.id, "alignment", {i: 1 for i in ALIGN})
    closed = service.close_round(session, executive, first.id, TODAY)
    assert first.result is not None and first.closed_at is not None
    assert {e.id for e in closed.evidence} == maturity_content.EVIDENCE_IDS
    second = _open(session, org, "Check-in")
    service.save_domain(session, executive, second.id, "alignment", {i: 4 for i in ALIGN})
    service.close_round(session, executive, second.id, TODAY)
    # The stored result does not move when answers change afterwards.
    session.execute(MaturityAnswer.__table__.delete().where(MaturityAnswer.round_id == first.id))
    assert service.result(session, executive, first.id).domains[0].level == "average"
    steps = service.journey(session, executive).steps
    assert [s.title for s in steps] == ["Baseline", "Check-in"]
    assert steps[0].changes == [] and steps[1].previous_round_id == first.id
    align = next(c for c in steps[1].changes if c.domain == "alignment")
    assert (align.before, align.after, align.change) == ("average", "elite", 3)
    assert set(steps[1].newly_met) == set(ALIGN) and steps[1].lost == []
    assert steps[0].positions["alignment"] == 0.0 and steps[1].positions["alignment"] == 3.0
