"""Reading the interaction form: the place (a deal or account by id or by name), the date,
kind and notes, and the rows of details the user confirmed (a row whose text is blank is
left out, which is how a proposed row is removed). Also the values the form shows again."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from valuescout.conversations import service_pick
from valuescout.conversations.schemas import InteractionIn, ProposalOut
from valuescout.deals.pages_forms import day, number, record_id, text, validated
from valuescout.identity.principal import Principal

MAX_ROWS = 60  # per kind of detail: more than the schema allows is refused there
BLANK_ROWS = 2  # empty rows offered to add details by hand


def _rows(
    form: Mapping[str, Any], prefix: str, fields: tuple[str, ...], keys: tuple[str, ...]
) -> list[dict[str, str]]:
    """The rows whose `keys` hold something (a kind chosen on an empty row does not count)."""
    rows = []
    for i in range(MAX_ROWS):
        row = {f: text(form, f"{prefix}-{i}-{f}").strip() for f in fields}
        if any(row[k] for k in keys):
            rows.append(row)
    return rows


def detail_rows(form: Mapping[str, Any]) -> dict[str, list[dict[str, str]]]:
    """The posted rows as strings, for showing the form again."""
    return {
        "insights": _rows(form, "insight", ("text",), ("text",)),
        "questions": _rows(form, "question", ("text", "kind", "category"), ("text",)),
        "stakeholders": _rows(
            form, "person", ("contact_id", "name", "title", "ally"), ("contact_id", "name", "title")
        ),
        "outcomes": _rows(
            form,
            "outcome",
            ("outcome_id", "text", "kind", "amount", "unit"),
            ("outcome_id", "text", "amount"),
        ),
    }


def proposal_rows(p: ProposalOut) -> dict[str, list[dict[str, str]]]:
    """A proposal as the form's rows."""
    return {
        "insights": [{"text": i.text} for i in p.insights],
        "questions": [
            {"text": q.text, "kind": q.kind, "category": q.category} for q in p.questions
        ],
        "stakeholders": [
            {"contact_id": str(s.contact_id or ""), "name": s.name, "title": s.title, "ally": ""}
            for s in p.stakeholders
        ],
        "outcomes": [
            {
                "outcome_id": str(o.outcome_id or ""),
                "text": o.text,
                "kind": o.kind,
                "amount": "" if o.amount is None else f"{o.amount:f}",
                "unit": o.unit,
            }
            for o in p.outcomes
        ],
    }


def place(session: Session, principal: Principal, form: Mapping[str, Any]) -> dict[str, Any]:
    """The opportunity and account ids the form names (hidden id first, else by name)."""
    opp_id = record_id("Opportunity", text(form, "opportunity_id"))
    if opp_id is None and text(form, "opportunity").strip():
        opp_id = service_pick.opportunity_named(session, principal, text(form, "opportunity"))
    account_id = None
    if opp_id is None and text(form, "account").strip():
        account_id = service_pick.account_named(session, principal, text(form, "account"))
    return {"opportunity_id": opp_id, "account_id": account_id}


def interaction_in(
    session: Session, principal: Principal, form: Mapping[str, Any]
) -> InteractionIn:
    rows = detail_rows(form)
    for n, r in enumerate(rows["stakeholders"], 1):
        r["contact_id"] = record_id(f"Stakeholder {n} contact", r["contact_id"])  # type: ignore[assignment]
        r["is_ally"] = r.pop("ally") == "on"  # type: ignore[assignment]
    for n, r in enumerate(rows["outcomes"], 1):
        r["outcome_id"] = record_id(f"Outcome {n}", r["outcome_id"])  # type: ignore[assignment]
        r["amount"] = number(f"Outcome {n} amount", r["amount"])  # type: ignore[assignment]
        r["kind"] = r["kind"] or "business"
    for r in rows["questions"]:
        r["kind"] = r["kind"] or "expansion"
    data: dict[str, Any] = {
        **place(session, principal, form),
        "call_plan_id": record_id("Call plan", text(form, "call_plan_id")),
        "occurred_on": day("Date", text(form, "occurred_on")),
        "kind": text(form, "kind") or "meeting",
        "notes": text(form, "notes"),
        **rows,
    }
    return validated(InteractionIn, data)
