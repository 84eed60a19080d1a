"""Value-network pages: the list, creating a network, the diagram page and a persona's view."""

from __future__ import annotations

import re

import httpx
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.factories import csrf_token, seeded_org, sign_in
from tests.valuenet.factories import seeded_network
from valuescout.valuenet.models import Competitor, Persona, ValueNetwork


def _signed_in(client: TestClient, session_factory: sessionmaker[Session], role: str) -> None:
    org = seeded_org(session_factory)
    sign_in(client, org.user(role).email)


def _ids(session_factory: sessionmaker[Session], model: type, network_id: int) -> dict[str, int]:
    with session_factory() as s:
        rows = s.scalars(select(model).where(model.network_id == network_id)).all()  # type: ignore[attr-defined]
        return {row.name: row.id for row in rows}


def test_list_shows_networks_with_counts_and_links(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    network_id = seeded_network(session_factory)
    _signed_in(client, session_factory, "contributor")
    page = client.get("/value-networks")
    assert page.status_code == 200
    row = re.search(
        r"<tr>\s*<td><a href=\"/value-networks/(\d+)\">Pumps</a>.*?</tr>", page.text, re.S
    )
    assert row and int(row.group(1)) == network_id
    cells = re.findall(r"<td>(\d+)</td>", row.group(0))
    assert cells == ["2", "3", "4", "2", "1"]  # differentiators, outcomes, links, personas, comps
    assert "SmartFlow pumps" in row.group(0)
    assert 'href="/value-networks"' in page.text  # the navigation entry
    assert 'data-testid="new-network"' not in page.text  # readers get no form


def test_diagram_page_passes_what_the_script_needs(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    network_id = seeded_network(session_factory)
    _signed_in(client, session_factory, "manager")
    page = client.get(f"/value-networks/{network_id}")
    assert page.status_code == 200
    html = page.text
    assert f'data-network-id="{network_id}"' in html
    assert f'data-api-url="/api/v1/value-networks/{network_id}"' in html
    assert 'data-can-edit="true"' in html
    assert 'data-network-name="Pumps"' in html
    token = re.search(r'data-csrf="([^"]+)"', html)
    assert token and token.group(1) == re.search(r'"X-CSRF-Token": "([^"]+)"', html).group(1)  # type: ignore[union-attr]
    for script in ("vendor/cytoscape/cytoscape.min.js", "js/valuenet-diagram.js"):
        assert f'src="/static/{script}"' in html
    assert "<script>" not in html and " style=" not in html  # CSP: no inline script or style
    assert 'data-testid="add-node"' in html and 'data-testid="add-link"' in html
    assert ">Plant manager</option>" in html and ">Hydrix</option>" in html
    export = f'href="/api/v1/value-networks/{network_id}/export?format=dot" download="Pumps.dot"'
    assert export in html


def test_static_files_the_page_loads_exist(client: TestClient) -> None:
    for path in (
        "/static/vendor/cytoscape/cytoscape.min.js",
        "/static/vendor/cytoscape-dagre/cytoscape-dagre.min.js",
        "/static/js/valuenet-diagram.js",
        "/static/js/valuenet-diagram-draw.js",
        "/static/js/valuenet-diagram-edit.js",
        "/static/js/valuenet-diagram-svg.js",
    ):
        response = client.get(path)
        assert response.status_code == 200, path
        assert "javascript" in response.headers["content-type"], path


def test_reader_sees_the_diagram_without_edit_controls(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    network_id = seeded_network(session_factory)
    _signed_in(client, session_factory, "seller")
    html = client.get(f"/value-networks/{network_id}").text
    assert 'data-can-edit="false"' in html
    for form in ("add-node", "add-link", "add-persona", "attach-persona", "edit-node"):
        assert f'data-testid="{form}"' not in html


def test_manager_creates_a_network_and_lands_on_its_diagram(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _signed_in(client, session_factory, "manager")
    response = client.post(
        "/value-networks",
        data={
            "name": "Service contracts",
            "offer_name": "FlowCare",
            "offer_kind": "service",
            "description": "Uptime as a service",
            "csrf_token": csrf_token(client, "/value-networks"),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    with session_factory() as s:
        network = s.scalars(select(ValueNetwork)).one()
    assert response.headers["location"] == f"/value-networks/{network.id}"
    assert network.name == "Service contracts" and network.description == "Uptime as a service"
    page = client.get(response.headers["location"])
    assert "Service contracts is created" in page.text


def test_create_refuses_bad_input_and_duplicates_with_the_form_kept(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    seeded_network(session_factory)
    _signed_in(client, session_factory, "admin")
    token = csrf_token(client, "/value-networks")
    blank = client.post(
        "/value-networks",
        data={"name": "  ", "offer_name": "X", "offer_kind": "product", "csrf_token": token},
    )
    assert blank.status_code == 400 and 'data-testid="form-error"' in blank.text
    taken = client.post(
        "/value-networks",
        data={"name": "pumps", "offer_name": "Other", "offer_kind": "product", "csrf_token": token},
    )
    assert taken.status_code == 409 and "already exists" in taken.text
    assert 'value="Other"' in taken.text
    wrong_kind = client.post(
        "/value-networks",
        data={"name": "New", "offer_name": "X", "offer_kind": "gadget", "csrf_token": token},
    )
    assert wrong_kind.status_code == 400
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ValueNetwork)) == 1


def test_seller_may_not_create_a_network(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _signed_in(client, session_factory, "seller")
    response = client.post(
        "/value-networks",
        data={
            "name": "Sneaky",
            "offer_name": "X",
            "offer_kind": "product",
            "csrf_token": csrf_token(client, "/value-networks"),
        },
    )
    assert response.status_code == 403
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ValueNetwork)) == 0


def test_creating_needs_the_csrf_token(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _signed_in(client, session_factory, "admin")
    form = {"name": "Forged", "offer_name": "X", "offer_kind": "product"}
    assert client.post("/value-networks", data=form).status_code == 403
    forged = client.post("/value-networks", data={**form, "csrf_token": "forged"})
    assert forged.status_code == 403
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ValueNetwork)) == 0


def test_persona_view_lists_outcomes_chains_and_ranked_message_themes(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    network_id = seeded_network(session_factory)
    persona_id = _ids(session_factory, Persona, network_id)["Plant manager"]
    competitor_id = _ids(session_factory, Competitor, network_id)["Hydrix"]
    _signed_in(client, session_factory, "seller")
    page = client.get(f"/value-networks/{network_id}/personas/{persona_id}")
    assert page.status_code == 200
    table = page.text[page.text.index('data-testid="persona-outcomes"') :]
    rows = re.findall(r"<tr>(.*?)</tr>", table[: table.index("</table>")], re.S)
    assert "Higher output" in rows[1] and "primary" in rows[1]  # primary outcomes first
    assert "Less downtime" in rows[2] and "secondary" in rows[2] and "★" in rows[2]
    assert "4-hour service → Less downtime → Higher output" in rows[1]
    assert "Predictive sensors → Less downtime" in rows[2]
    assert "hours of downtime avoided per year" in rows[2]
    assert len(re.findall(r'data-testid="theme"', page.text)) == 4
    assert "Ask:" in page.text and "primary outcome for" in page.text
    assert "Maintenance lead" in page.text  # a link to the other persona

    against = client.get(
        f"/value-networks/{network_id}/personas/{persona_id}?competitor={competitor_id}"
    )
    assert against.status_code == 200
    assert f'<option value="{competitor_id}" selected>Hydrix</option>' in against.text
    themes = re.findall(r'data-testid="theme">\s*<strong>(.*?)</strong>', against.text)
    # Hydrix matches the sensors but not the 4-hour service: that one leads.
    assert themes[0] == "Because of 4-hour service, you get less downtime."
    assert "does not match" in against.text
    assert client.get(f"/value-networks/{network_id}/personas/{persona_id}?competitor=")


def test_persona_view_of_another_network_is_not_found(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    first = seeded_network(session_factory, "Pumps")
    second = seeded_network(session_factory, "Valves")
    persona_id = _ids(session_factory, Persona, first)["Plant manager"]
    competitor_id = _ids(session_factory, Competitor, first)["Hydrix"]
    _signed_in(client, session_factory, "manager")
    assert client.get(f"/value-networks/{second}/personas/{persona_id}").status_code == 404
    wrong_competitor = f"/value-networks/{second}/personas/"
    valves_persona = _ids(session_factory, Persona, second)["Plant manager"]
    response = client.get(f"{wrong_competitor}{valves_persona}?competitor={competitor_id}")
    assert response.status_code == 404
    assert client.get("/value-networks/999999").status_code == 404


def test_pages_need_sign_in(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    network_id = seeded_network(session_factory)
    for path in ("/value-networks", f"/value-networks/{network_id}"):
        response = client.get(path, follow_redirects=False)
        assert response.status_code == 303 and response.headers["location"].startswith("/sign-in")


IMPORT = """\
format: valuescout.value-network/1
name: Imported pumps
offer: {name: SmartFlow pumps, kind: product}
differentiators:
  - name: Predictive sensors
outcomes:
  - name: Less downtime
    executive: true
links:
  - from: Predictive sensors
    to: Less downtime
"""


def _import(client: TestClient, **fields: str) -> httpx.Response:
    token = csrf_token(client, "/value-networks")
    return client.post(
        "/value-networks/import",
        data={"csrf_token": token, "file_format": "yaml", **fields},
        follow_redirects=False,
    )


def test_manager_imports_a_pasted_file(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _signed_in(client, session_factory, "manager")
    response = _import(client, content=IMPORT)
    assert response.status_code == 303, response.text
    with session_factory() as s:
        network = s.scalars(select(ValueNetwork)).one()
    assert network.name == "Imported pumps"
    assert response.headers["location"] == f"/value-networks/{network.id}"


def test_import_of_an_uploaded_file_reads_its_format_from_the_name(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _signed_in(client, session_factory, "admin")
    token = csrf_token(client, "/value-networks")
    as_json = (
        '{"format": "valuescout.value-network/1", "name": "From JSON", '
        '"offer": {"name": "X"}, "differentiators": [{"name": "D"}]}'
    )
    response = client.post(
        "/value-networks/import",
        data={"csrf_token": token, "file_format": "yaml"},
        files={"upload": ("net.json", as_json.encode(), "application/json")},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    with session_factory() as s:
        assert s.scalars(select(ValueNetwork.name)).all() == ["From JSON"]


def test_import_shows_every_problem_with_its_line_and_imports_nothing(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _signed_in(client, session_factory, "manager")
    broken = IMPORT.replace("to: Less downtime", "to: Less downtme").replace(
        "executive: true", "executive: maybe"
    )
    response = _import(client, content=broken)
    assert response.status_code == 422
    problems = re.findall(r"<li>(line \d+:.*?)</li>", response.text)
    assert len(problems) == 2, problems
    assert problems[0].startswith("line 8:") and problems[1].startswith("line 11:")
    assert "nothing was imported" in response.text
    assert "Less downtme" in response.text  # the pasted text is kept for fixing
    with session_factory() as s:
        assert s.scalar(select(func.count()).select_from(ValueNetwork)) == 0


def test_import_refuses_a_taken_name_unless_replacing(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    _signed_in(client, session_factory, "manager")
    assert _import(client, content=IMPORT).status_code == 303
    again = _import(client, content=IMPORT)
    assert again.status_code == 409 and "already exists" in again.text
    replaced = _import(
        client, content=IMPORT.replace("executive: true", "executive: false"), replace="on"
    )
    assert replaced.status_code == 303
    assert _import(client, content="   ").status_code == 400


def test_seller_may_not_import(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    _signed_in(client, session_factory, "seller")
    assert _import(client, content=IMPORT).status_code == 403
    assert 'data-testid="import-network"' not in client.get("/value-networks").text
