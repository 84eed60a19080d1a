"""RFP records through the service: who may record and read them, the deal's rfp_class kept in
step with its latest RFP (with history and audit), dates checked, and the analysis from the
deals' own line items within the caller's scope."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from tests.deals.test_service_builders import build_deal, principal
from tests.factories import Org, make_org
from valuescout.core.audit import AuditEntry
from valuescout.core.errors import Forbidden, NotFound
from valuescout.deals.models import LineItem, Opportunity
from valuescout.rfp import service
from valuescout.rfp.schemas import RfpIn


@pytest.fixture()
def org(session: Session) -> Org:
    return make_org(session)


def rfp(cls: str = "shaped", received: str = "2026-03-02", **kw: object) -> RfpIn:
    return RfpIn.model_validate({"engagement_class": cls, "received_on": received, **kw})


def test_the_deal_follows_its_latest_rfp(session: Session, org: Org) -> None:
    deal = build_deal(session, org.user("seller"))
    seller = principal(session, org.user("seller"))
    opp = session.get(Opportunity, deal.opp_id)
    assert opp is not None and opp.rfp_class == "none"
    first = service.create_rfp(session, seller, deal.opp_id, rfp("known", "2026-01-10"))
    assert opp.rfp_class == "known"
    second = service.create_rfp(session, seller, deal.opp_id, rfp("shaped", "2026-04-01"))
    assert opp.rfp_class == "shaped"
    service.update_rfp(session, seller, first.id, rfp("contents", "2026-01-10"))
    assert opp.rfp_class == "shaped"  # the later RFP still decides
    service.delete_rfp(session, seller, second.id)
    assert opp.rfp_class == "contents"
    service.delete_rfp(session, seller, first.id)
    assert opp.rfp_class == "none"
    actions = list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))
    assert actions.count("opportunity.updated") == 4
    assert {"rfp.recorded", "rfp.updated", "rfp.deleted"} <= set(actions)


def test_who_may_record_and_read(session: Session, org: Org) -> None:
    deal = build_deal(session, org.user("seller"))
    seller = principal(session, org.user("seller"))
    row = service.create_rfp(session, seller, deal.opp_id, rfp(competitors_responding=3))
    manager = principal(session, org.user("manager"))
    assert [r.id for r in service.for_opportunity(session, manager, deal.opp_id)] == [row.id]
    assert service.rfp_out(session, manager, row.id).competitors_responding == 3
    for outsider in ("seller_b", "contributor"):
        who = principal(session, org.user(outsider))
        with pytest.raises(NotFound):
            service.rfp_out(session, who, row.id)
        with pytest.raises(NotFound):
            service.create_rfp(session, who, deal.opp_id, rfp())
        assert service.list_rfps(session, who) == []
    desk = principal(session, org.user("price_desk"))  # sees every deal, edits none
    assert [r.id for r in service.list_rfps(session, desk)] == [row.id]
    with pytest.raises(Forbidden):
        service.update_rfp(session, desk, row.id, rfp())
    with pytest.raises(Forbidden):
        service.create_rfp(session, desk, deal.opp_id, rfp())


def test_dates_and_outcomes_are_checked() -> None:
    with pytest.raises(ValidationError, match="due_on: comes before the RFP was received"):
        rfp(due_on="2026-03-01")
    with pytest.raises(ValidationError, match="outcome: a decided RFP needs its outcome"):
        rfp(decided_on="2026-05-01")
    with pytest.raises(ValidationError):
        rfp("none")
    with pytest.raises(ValidationError):
        rfp(received="0")
    assert rfp(decided_on="2026-05-01", outcome="won").outcome == "won"


def test_analysis_reads_the_deals_lines_in_scope(session: Session, org: Org) -> None:
    admin = org.user("admin")
    won = build_deal(session, org.user("seller"), amount="1000", line_product_of=admin)
    line = session.scalar(select(LineItem).where(LineItem.opportunity_id == won.opp_id))
    assert line is not None
    line.net_price = Decimal("800")  # 20% off list
    other = build_deal(session, org.user("seller_b"), amount="500")
    seller = principal(session, org.user("seller"))
    service.create_rfp(session, seller, won.opp_id,
                       rfp(decided_on="2026-06-01", outcome="won"))  # fmt: skip
    service.create_rfp(session, principal(session, org.user("seller_b")), other.opp_id,
                       rfp("unknown", decided_on="2026-06-02", outcome="lost"))  # fmt: skip
    session.flush()
    _, out = service.analyse(session, principal(session, org.user("executive")))
    shaped = {c.engagement_class: c for c in out.classes}["shaped"]
    assert out.count == 2 and shaped.realisation == Decimal("0.8000")
    assert shaped.win_rate == Decimal("1.0000") and out.currency == "USD"
    assert [q.quarter for q in out.quarters] == ["2026-Q1"]
    mine, _ = service.analyse(session, seller)
    assert mine.count == 1
    with pytest.raises(Forbidden):
        service.analyse(session, principal(session, org.user("contributor")))
    assert date(2026, 3, 2) == service.list_rfps(session, seller)[0].received_on
