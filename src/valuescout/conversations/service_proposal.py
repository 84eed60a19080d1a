"""'Propose from text': run the analyzer over notes or a transcript and turn what it finds into
the interaction's fields, for the user to confirm or correct before saving. Nothing is saved.

- questions keep the analyzer's kind and category;
- people become stakeholders, linked to a contact of the account when the name matches one;
- outcomes matched to the deal's value network become identified outcomes (business or
  personal as the network says); a figure in the same sentence quantifies it;
- insights are the sentences where the seller taught the customer something.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from valuescout.conversations import quality
from valuescout.conversations.analyzer import analyze, outcome_refs
from valuescout.conversations.analyzer_types import Analysis, FoundFigure, OutcomeRef
from valuescout.conversations.schemas import (
    InsightIn,
    OutcomeIn,
    ProposalOut,
    QuestionIn,
    StakeholderIn,
)
from valuescout.conversations.service import counts_of, pickable_opportunity, require_logger
from valuescout.deals.models import Contact
from valuescout.identity.principal import Principal
from valuescout.valuenet.models import NetworkNode, ValueNetwork
from valuescout.valuenet.repository import load_spec

CENTS = Decimal("0.01")
LARGEST = Decimal("1e14")  # amounts fit NUMERIC(18, 2) with room
MAX_TEXT = 200  # the longest line a proposed field keeps (the notes keep the whole text)


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1].rstrip() + "…"


def network_outcomes(session: Session, network_id: int | None) -> list[NetworkNode]:
    if network_id is None:
        return []
    return list(
        session.scalars(
            select(NetworkNode)
            .where(NetworkNode.network_id == network_id, NetworkNode.node_type == "outcome")
            .order_by(NetworkNode.id)
        )
    )


def network_refs(
    session: Session, network_id: int | None, nodes: Sequence[NetworkNode]
) -> tuple[OutcomeRef, ...]:
    """The analyzer's references to a network's outcomes (`nodes`), keyed by node id, with the
    same context the evaluation measures (`analyzer.outcome_refs`: linked differentiators,
    link rationales, the outcomes each leads to, its personas)."""
    network = session.get(ValueNetwork, network_id) if network_id is not None else None
    if network is None or not nodes:
        return ()
    keys = {n.name: str(n.id) for n in nodes}
    return tuple(
        r for r in outcome_refs(load_spec(session, network), keys) if r.key in keys.values()
    )


def _figure_in(sentence: str, figures: Sequence[FoundFigure]) -> FoundFigure | None:
    return next((f for f in figures if f.value is not None and f.sentence == sentence), None)


def _amount(figure: FoundFigure | None) -> Decimal | None:
    if figure is None or figure.value is None or abs(figure.value) >= LARGEST:
        return None
    return figure.value.quantize(CENTS)


def propose(
    analysis: Analysis, nodes: Sequence[NetworkNode], contacts: Sequence[Contact]
) -> ProposalOut:
    """The interaction fields an analysis suggests (pure apart from the rows given)."""
    by_id = {str(n.id): n for n in nodes}
    by_name = {c.name.casefold(): c for c in contacts}
    stakeholders: list[StakeholderIn] = []
    seen: set[str] = set()
    for p in analysis.people:
        name = (p.name or "").strip()
        if not name or name.casefold() in seen:
            continue
        seen.add(name.casefold())
        contact = by_name.get(name.casefold())
        stakeholders.append(
            StakeholderIn(
                contact_id=contact.id if contact else None,
                name=name[:200],
                title=(p.title or (contact.title if contact else ""))[:200],
            )
        )
    # One outcome per network node; of its mentions, the first that carries a figure.
    best: dict[int, tuple[str, FoundFigure | None]] = {}
    for m in analysis.outcomes:
        node = by_id.get(m.key)
        if node is None or (node.id in best and best[node.id][1] is not None):
            continue
        figure = _figure_in(m.sentence, analysis.figures)
        if node.id not in best or figure is not None:
            best[node.id] = (m.sentence, figure)
    outcomes = [
        OutcomeIn(
            outcome_id=node_id,
            text=_short(sentence),
            kind="personal" if by_id[str(node_id)].outcome_kind == "personal" else "business",
            amount=_amount(figure),
            unit=(figure.unit[:20] if figure else ""),
        )
        for node_id, (sentence, figure) in best.items()
    ]
    questions = [
        QuestionIn(text=_short(q.text), kind=q.kind, category=q.category[:32])
        for q in analysis.questions
    ]
    insights = [InsightIn(text=_short(i.text)) for i in analysis.insights]
    return ProposalOut(
        insights=insights,
        questions=questions,
        stakeholders=stakeholders,
        outcomes=outcomes,
        figures=[f.text for f in analysis.figures],
        quality_score=quality.score(counts_of(insights, questions, stakeholders, outcomes)).score,
    )


def propose_from_text(
    session: Session, principal: Principal, text: str, opportunity_id: int | None
) -> ProposalOut:
    require_logger(principal)
    nodes: list[NetworkNode] = []
    contacts: list[Contact] = []
    refs: tuple[OutcomeRef, ...] = ()
    if opportunity_id is not None:
        opp = pickable_opportunity(session, principal, opportunity_id)
        nodes = network_outcomes(session, opp.value_network_id)
        refs = network_refs(session, opp.value_network_id, nodes)
        if opp.account_id is not None:
            contacts = list(
                session.scalars(select(Contact).where(Contact.account_id == opp.account_id))
            )
    return propose(analyze(text, refs), nodes, contacts)
