"""A deal's value case through the API: starting it, its outcomes, the figures (checked against
`valuecase.evaluate`), the preview that writes nothing, links to contacts and network outcomes,
scope and money."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_service_builders import ApiWorld, api_world
from tests.valuenet.factories import seeded_network
from valuescout.deals import valuecase as vc
from valuescout.deals.models import ValueCase, ValueOutcome
from valuescout.valuenet.models import NetworkNode, Persona

OPPS = "/opportunities"


@pytest.fixture()
def api(client: TestClient, session_factory: sessionmaker[Session]) -> ApiWorld:
    return api_world(client, session_factory)


def case_path(opp_id: int) -> str:
    return f"{OPPS}/{opp_id}/value-case"


# Outcomes of the tests below: yearly value, direction, recurrence, years, confidence, state.
OUTCOMES: list[dict[str, Any]] = [
    {
        "name": "Less unplanned downtime",
        "yearly_value": "100000",
        "years": 3,
        "confidence": "0.8",
        "state": "confirmed",
    },
    {
        "name": "Faster ramp",
        "yearly_value": "24000",
        "recurrence": "one_time",
        "confidence": "0.5",
        "state": "quantified",
    },
    {
        "name": "Slower service response",
        "yearly_value": "10000",
        "direction": "against",
        "years": 2,
        "confidence": "1",
    },
]


def as_input(o: dict[str, Any]) -> vc.OutcomeInput:
    return vc.OutcomeInput(
        yearly_value=Decimal(o["yearly_value"]),
        direction=vc.Direction(o.get("direction", "for")),
        recurrence=vc.Recurrence(o.get("recurrence", "recurring")),
        years=o.get("years", 1),
        confidence=Decimal(o.get("confidence", "0.5")),
        state=vc.OutcomeState(o.get("state", "hypothesised")),
    )


def money(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def expected_figures(figures: vc.ValueFigures, prices: vc.PriceInputs) -> dict[str, Any]:
    """What the API must answer, written out from `evaluate`'s result."""
    c = figures.corridor
    return {
        "our_price": str(prices.our_price),
        "alternative_price": money(prices.alternative_price),
        "cost": money(prices.cost),
        "value_unadjusted": str(figures.value_unadjusted),
        "value_risk_adjusted": str(figures.value_risk_adjusted),
        "price_difference": str(figures.price_difference),
        "preference": str(figures.preference),
        "preference_unadjusted": str(figures.preference_unadjusted),
        "value_to_price": money(figures.value_to_price),
        "roi": money(figures.roi),
        "payback_months": money(figures.payback_months),
        "npv": str(figures.npv),
        "confirmed_share": money(figures.confirmed_share),
        "corridor": {"floor": money(c.floor), "target": str(c.target), "ceiling": str(c.ceiling)},
        "position": figures.position.value,
        "curve": [[str(p), str(v)] for p, v in vc.preference_curve(figures, prices)],
    }


def same_numbers(actual: Any, expected: Any) -> bool:
    """Equal, comparing numbers written as strings by value ("0.50" == "0.5")."""
    if isinstance(expected, dict):
        return set(actual) == set(expected) and all(
            same_numbers(actual[k], v) for k, v in expected.items()
        )
    if isinstance(expected, list):
        return len(actual) == len(expected) and all(map(same_numbers, actual, expected))
    if isinstance(expected, str) and isinstance(actual, str):
        try:
            return Decimal(actual) == Decimal(expected)
        except ArithmeticError:
            return actual == expected
    return bool(actual == expected)


# --- starting and reading --------------------------------------------------------------------


def test_starting_twice_returns_the_same_case(api: ApiWorld) -> None:
    opp_id = api.deal(value_case=False).opp_id
    missing = api.call("seller", "GET", case_path(opp_id))
    assert missing.status_code == 404 and "no value case" in missing.json()["error"]["message"]
    first = api.ok("seller", "POST", case_path(opp_id))
    assert first["opportunity_id"] == opp_id and first["outcomes"] == []
    assert (first["discount_rate"], first["target_share"]) == ("0.1000", "0.5000")  # settings
    api.ok("seller", "POST", f"{case_path(opp_id)}/outcomes", OUTCOMES[0])
    again = api.ok("manager", "POST", case_path(opp_id))
    assert [o["name"] for o in again["outcomes"]] == ["Less unplanned downtime"]
    assert api.count(ValueCase) == 1
    assert len(api.audit("value_case.created", opp_id)) == 1
    assert api.ok("seller", "GET", f"{OPPS}/{opp_id}")["has_value_case"] is True


def test_new_cases_take_the_company_defaults(api: ApiWorld) -> None:
    api.ok("admin", "PATCH", "/deal-settings", {"discount_rate": "0.08", "target_share": "0.4"})
    opp_id = api.deal(value_case=False).opp_id
    body = api.ok("seller", "POST", case_path(opp_id))
    assert (body["discount_rate"], body["target_share"]) == ("0.0800", "0.4000")


def test_updating_the_case_is_audited(api: ApiWorld) -> None:
    opp_id = api.deal().opp_id
    body = api.ok(
        "seller",
        "PATCH",
        case_path(opp_id),
        {"discount_rate": "0.12", "assumptions": "Two shifts", "internal_notes": "Push"},
    )
    assert body["discount_rate"] == "0.1200" and body["assumptions"] == "Two shifts"
    [entry] = api.audit("value_case.updated", opp_id)
    assert entry.changes["assumptions"] == ["", "Two shifts"]
    assert entry.changes["discount_rate"] == ["0.1000", "0.1200"]
    api.ok("seller", "PATCH", case_path(opp_id), {"assumptions": "Two shifts"})
    assert len(api.audit("value_case.updated", opp_id)) == 1  # nothing changed
    for bad in ({"discount_rate": "1.5"}, {"target_share": None}, {"colour": "red"}):
        response = api.call("seller", "PATCH", case_path(opp_id), bad)
        assert response.status_code == 422, bad
        assert next(iter(bad)) in response.json()["error"]["message"]


# --- outcomes --------------------------------------------------------------------------------


def test_outcomes_add_update_remove_with_audit(api: ApiWorld) -> None:
    built = api.deal(value_case=False)
    path = case_path(built.opp_id)
    api.ok("seller", "POST", path)
    ids = []
    for outcome in OUTCOMES:
        response = api.call("seller", "POST", f"{path}/outcomes", outcome)
        assert response.status_code == 201, response.text
        ids.append(response.json()["outcomes"][-1]["id"])
    body = api.ok("seller", "GET", path)
    assert [o["name"] for o in body["outcomes"]] == [o["name"] for o in OUTCOMES]  # in order
    downtime = body["outcomes"][0]
    assert downtime["horizon_value"] == "300000.00"  # 3 years
    assert downtime["risk_adjusted_value"] == "240000.00"  # x 0.8
    assert body["outcomes"][2]["horizon_value"] == "-20000.00"  # against us

    changed = api.ok(
        "seller",
        "PATCH",
        f"{path}/outcomes/{ids[1]}",
        {"state": "confirmed", "yearly_value": "30000", "evidence_source": "Trial"},
    )
    ramp = next(o for o in changed["outcomes"] if o["id"] == ids[1])
    assert (ramp["state"], ramp["yearly_value"], ramp["evidence_source"]) == (
        "confirmed",
        "30000.00",
        "Trial",
    )
    [update] = api.audit("value_case.outcome_updated", built.opp_id)
    assert update.changes["outcome_id"] == ids[1]
    assert update.changes["state"] == ["quantified", "confirmed"]
    assert set(update.changes) == {"outcome_id", "state", "yearly_value", "evidence_source"}

    removed = api.ok("seller", "DELETE", f"{path}/outcomes/{ids[0]}")
    assert [o["id"] for o in removed["outcomes"]] == ids[1:]
    [removal] = api.audit("value_case.outcome_removed", built.opp_id)
    assert removal.changes["name"] == "Less unplanned downtime"
    assert len(api.audit("value_case.outcome_added", built.opp_id)) == 3
    assert api.call("seller", "DELETE", f"{path}/outcomes/{ids[0]}").status_code == 404
    assert (
        api.call("seller", "PATCH", f"{path}/outcomes/{ids[0]}", {"name": "x"}).status_code == 404
    )
    # An outcome of another deal's case is not in this one.
    other = api.deal()
    assert other.outcome_id is not None
    response = api.call("seller", "PATCH", f"{path}/outcomes/{other.outcome_id}", {"name": "x"})
    assert response.status_code == 404
    response = api.call("seller", "DELETE", f"{path}/outcomes/{other.outcome_id}")
    assert response.status_code == 404
    assert api.count(ValueOutcome) == 3


def test_outcomes_need_a_started_case(api: ApiWorld) -> None:
    opp_id = api.deal(value_case=False).opp_id
    response = api.call("seller", "POST", f"{case_path(opp_id)}/outcomes", OUTCOMES[0])
    assert response.status_code == 404 and api.count(ValueOutcome) == 0
    assert api.call("seller", "PATCH", case_path(opp_id), {"assumptions": "x"}).status_code == 404


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"yearly_value": "1"}, "name"),
        ({"name": "X"}, "yearly_value"),
        ({"name": "X", "yearly_value": "-1"}, "yearly_value"),
        ({"name": "X", "yearly_value": "1", "years": 0}, "years"),
        ({"name": "X", "yearly_value": "1", "years": 31}, "years"),
        ({"name": "X", "yearly_value": "1", "years": "3"}, "years"),
        ({"name": "X", "yearly_value": "1", "confidence": "1.01"}, "confidence"),
        ({"name": "X", "yearly_value": "1", "direction": "sideways"}, "direction"),
        ({"name": "X", "yearly_value": "1", "recurrence": "weekly"}, "recurrence"),
        ({"name": "X", "yearly_value": "1", "state": "dreamt"}, "state"),
        ({"name": "X", "yearly_value": "1", "contact_id": "1"}, "contact_id"),
    ],
)
def test_bad_outcome_input_is_a_422_and_writes_nothing(
    api: ApiWorld, body: dict[str, Any], field: str
) -> None:
    opp_id = api.deal().opp_id
    before = api.count(ValueOutcome), len(api.audit())
    response = api.call("seller", "POST", f"{case_path(opp_id)}/outcomes", body)
    assert response.status_code == 422, response.text
    assert field in response.json()["error"]["message"]
    assert (api.count(ValueOutcome), len(api.audit())) == before


# --- figures ---------------------------------------------------------------------------------


def test_figures_match_evaluate(api: ApiWorld) -> None:
    admin = api.org.user("admin")
    built = api.deal(value_case=False, line_product_of=admin, amount="250000")
    # The line's product costs 400 a unit (make_product's default): the floor is cost / 0.75.
    path = case_path(built.opp_id)
    api.ok("seller", "POST", path)
    api.ok("seller", "PATCH", path, {"discount_rate": "0.07", "target_share": "0.6"})
    for outcome in OUTCOMES:
        body = api.ok("seller", "POST", f"{path}/outcomes", outcome)
    prices = vc.PriceInputs(
        our_price=Decimal("250000.00"),
        alternative_price=Decimal("200000.00"),
        cost=Decimal("400.00"),
        margin_floor=Decimal("0.25"),
        target_share=Decimal("0.6"),
        discount_rate=Decimal("0.07"),
    )
    figures = vc.evaluate([as_input(o) for o in OUTCOMES], prices)
    assert same_numbers(body["figures"], expected_figures(figures, prices)), body["figures"]
    assert body["figures"]["corridor"]["floor"] == "533.33"
    assert api.ok("price_desk", "GET", path)["figures"] == body["figures"]

    # The company's margin floor and the deal's price feed the figures too.
    api.ok("admin", "PATCH", "/deal-settings", {"margin_floor": "0.5"})
    api.ok("seller", "PATCH", f"{OPPS}/{built.opp_id}", {"alternative_price": None})
    api.ok(
        "seller",
        "PUT",
        f"{OPPS}/{built.opp_id}/lines",
        {"lines": [{"product_id": built.product_id, "quantity": "2", "net_price": "150000"}]},
    )
    prices = vc.PriceInputs(
        our_price=Decimal("300000.00"),
        alternative_price=None,
        cost=Decimal("800.00"),
        margin_floor=Decimal("0.5"),
        target_share=Decimal("0.6"),
        discount_rate=Decimal("0.07"),
    )
    figures = vc.evaluate([as_input(o) for o in OUTCOMES], prices)
    body = api.ok("seller", "GET", path)
    assert same_numbers(body["figures"], expected_figures(figures, prices)), body["figures"]


def test_an_empty_case_has_figures_too(api: ApiWorld) -> None:
    opp_id = api.deal(value_case=False).opp_id
    body = api.ok("seller", "POST", case_path(opp_id))
    prices = vc.PriceInputs(our_price=Decimal("250000"), alternative_price=Decimal("200000"))
    figures = vc.evaluate([], prices)
    assert same_numbers(body["figures"], expected_figures(figures, prices))
    assert body["figures"]["cost"] is None and body["figures"]["corridor"]["floor"] is None


def test_preview_writes_nothing_and_matches_saving(api: ApiWorld) -> None:
    opp_id = api.deal(value_case=False).opp_id
    path = case_path(opp_id)
    api.ok("seller", "POST", path)
    before = api.ok("seller", "GET", path), api.count(ValueOutcome), len(api.audit())
    preview = api.call("seller", "POST", f"{path}/preview", {"outcomes": OUTCOMES})
    assert preview.status_code == 200, preview.text
    assert (api.ok("seller", "GET", path), api.count(ValueOutcome), len(api.audit())) == before
    for outcome in OUTCOMES:
        saved = api.ok("seller", "POST", f"{path}/outcomes", outcome)
    assert preview.json() == saved["figures"]
    # Those who only read may preview too; it changes nothing for them either.
    assert api.call("price_desk", "POST", f"{path}/preview", {"outcomes": []}).status_code == 200
    assert api.call("seller_b", "POST", f"{path}/preview", {"outcomes": []}).status_code == 404
    response = api.call("seller", "POST", f"{path}/preview", {"outcomes": [{"name": "X"}]})
    assert response.status_code == 422 and "yearly_value" in response.json()["error"]["message"]


def test_preview_without_a_case_is_null(api: ApiWorld) -> None:
    opp_id = api.deal(value_case=False).opp_id
    response = api.call("seller", "POST", f"{case_path(opp_id)}/preview", {"outcomes": OUTCOMES})
    assert response.status_code == 200 and response.json() is None
    assert api.count(ValueCase) == 0


# --- links -----------------------------------------------------------------------------------


def test_a_contact_must_be_on_the_deals_account(api: ApiWorld) -> None:
    built = api.deal(value_case=False)
    stranger = api.deal()  # another account of the same seller
    path = case_path(built.opp_id)
    api.ok("seller", "POST", path)
    before = api.count(ValueOutcome), len(api.audit())
    for contact_id in (stranger.contact_id, 999999):
        response = api.call(
            "seller", "POST", f"{path}/outcomes", {**OUTCOMES[0], "contact_id": contact_id}
        )
        assert response.status_code == 422 and response.json()["error"]["field"] == "contact_id"
    assert (api.count(ValueOutcome), len(api.audit())) == before
    body = api.ok(
        "seller", "POST", f"{path}/outcomes", {**OUTCOMES[0], "contact_id": built.contact_id}
    )
    outcome_id = body["outcomes"][0]["id"]
    assert body["outcomes"][0]["contact_id"] == built.contact_id
    response = api.call(
        "seller", "PATCH", f"{path}/outcomes/{outcome_id}", {"contact_id": stranger.contact_id}
    )
    assert response.status_code == 422
    cleared = api.ok("seller", "PATCH", f"{path}/outcomes/{outcome_id}", {"contact_id": None})
    assert cleared["outcomes"][0]["contact_id"] is None
    # A deal without an account has no contacts to link.
    api.ok("seller", "PATCH", f"{OPPS}/{built.opp_id}", {"account_id": None})
    response = api.call(
        "seller", "PATCH", f"{path}/outcomes/{outcome_id}", {"contact_id": built.contact_id}
    )
    assert response.status_code == 422


def test_network_outcome_and_persona_must_be_of_the_deals_network(api: ApiWorld) -> None:
    pumps = seeded_network(api.session_factory, "Pumps")
    other = seeded_network(api.session_factory, "Other")
    with api.session_factory() as s:
        nodes = {(n.network_id, n.name): n.id for n in s.scalars(select(NetworkNode))}
        personas = {(p.network_id, p.name): p.id for p in s.scalars(select(Persona))}
    persona_id = personas[(pumps, "Plant manager")]
    built = api.deal(value_case=False)
    path = case_path(built.opp_id)
    api.ok("seller", "PATCH", f"{OPPS}/{built.opp_id}", {"value_network_id": pumps})
    api.ok("seller", "POST", path)
    refused = [
        nodes[(other, "Less downtime")],  # another network's outcome
        nodes[(pumps, "Predictive sensors")],  # a differentiator, not an outcome
        999999,
    ]
    for node_id in refused:
        response = api.call(
            "seller", "POST", f"{path}/outcomes", {**OUTCOMES[0], "network_outcome_id": node_id}
        )
        assert response.status_code == 422, node_id
        assert response.json()["error"]["field"] == "network_outcome_id"
    for persona in (999999, personas[(other, "Plant manager")]):
        response = api.call(
            "seller", "POST", f"{path}/outcomes", {**OUTCOMES[0], "persona_id": persona}
        )
        assert response.status_code == 422 and response.json()["error"]["field"] == "persona_id"
    assert api.count(ValueOutcome) == 0
    body = api.ok(
        "seller",
        "POST",
        f"{path}/outcomes",
        {
            **OUTCOMES[0],
            "network_outcome_id": nodes[(pumps, "Less downtime")],
            "persona_id": persona_id,
        },
    )
    outcome = body["outcomes"][0]
    assert outcome["network_outcome_id"] == nodes[(pumps, "Less downtime")]
    assert outcome["persona_id"] == persona_id
    response = api.call(
        "seller",
        "PATCH",
        f"{path}/outcomes/{outcome['id']}",
        {"network_outcome_id": nodes[(other, "Higher output")]},
    )
    assert response.status_code == 422


# --- scope and money -------------------------------------------------------------------------


def test_who_may_read_and_change_a_case(api: ApiWorld) -> None:
    built = api.deal()
    path = case_path(built.opp_id)
    outcome = f"{path}/outcomes/{built.outcome_id}"
    for role in ("seller", "manager", "price_desk", "executive", "admin"):
        assert api.call(role, "GET", path).status_code == 200, role
    for role in ("seller_b", "contributor"):
        assert api.call(role, "GET", path).status_code == 404, role
        assert api.call(role, "POST", path).status_code == 404, role
        assert api.call(role, "PATCH", outcome, {"name": "x"}).status_code == 404, role
    for role in ("price_desk", "executive"):
        assert api.call(role, "POST", path).status_code == 403, role
        assert api.call(role, "PATCH", path, {"assumptions": "x"}).status_code == 403, role
        assert api.call(role, "POST", f"{path}/outcomes", OUTCOMES[0]).status_code == 403
        assert api.call(role, "PATCH", outcome, {"name": "x"}).status_code == 403, role
        assert api.call(role, "DELETE", outcome).status_code == 403, role
    assert api.count(ValueOutcome) == 1 and api.audit("value_case.updated") == []


def test_contributors_see_their_case_without_money(api: ApiWorld) -> None:
    built = api.deal("contributor", by=api.org.user("admin"))
    path = case_path(built.opp_id)
    body = api.ok("contributor", "GET", path)
    assert body["figures"] is None
    [outcome] = body["outcomes"]
    assert outcome["name"] == "Less unplanned downtime"
    assert (outcome["yearly_value"], outcome["horizon_value"], outcome["risk_adjusted_value"]) == (
        None,
        None,
        None,
    )
    assert "100000" not in api.call("contributor", "GET", path).text
    preview = api.call("contributor", "POST", f"{path}/preview", {"outcomes": OUTCOMES})
    assert preview.status_code == 200 and preview.json() is None
    # They may not change it (no Permission.EDIT_DEALS), though they see it.
    assert api.call("contributor", "POST", f"{path}/outcomes", OUTCOMES[0]).status_code == 403
    assert api.ok("admin", "GET", path)["outcomes"][0]["yearly_value"] == "100000.00"
