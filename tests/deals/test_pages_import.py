"""The import page: an administrator previews CRM files (the mapping and every problem, nothing
written), then commits the staged files; others are refused."""

from __future__ import annotations

import os
import re
import time
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.test_pages import signed_in
from tests.factories import csrf_token, seeded_org
from valuescout.core.settings import Settings
from valuescout.deals import pages_import
from valuescout.deals.models import Opportunity

GOOD = (
    "external_id,name,stage,amount,close_date,account,owner\n"
    "IMP-1,Imported pumps,Prospecting,1200,2027-01-31,Imported Co,admin@example.com\n"
    "IMP-2,Imported valves,Proposal,3400.50,2027-02-28,Imported Co,admin@example.com\n"
)
BAD = GOOD + "IMP-3,Broken,Nowhere,lots,someday,Imported Co,admin@example.com\n"


def _deals(session_factory: sessionmaker[Session]) -> int:
    with session_factory() as s:
        return s.scalar(select(func.count()).select_from(Opportunity)) or 0


def test_admin_previews_then_commits_an_import(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    signed_in(client, org, "admin")
    assert 'href="/deals/import"' in client.get("/pipeline").text
    token = csrf_token(client, "/deals/import")
    preview = client.post(
        "/deals/import",
        data={"csrf_token": token, "preset": "generic", "create_missing": "1"},
        files={"uploads": ("deals.csv", GOOD.encode(), "text/csv")},
    )
    assert preview.status_code == 200, preview.text
    assert 'data-testid="import-report"' in preview.text and "deals.csv" in preview.text
    assert "name ← name" in preview.text and "2 new" in preview.text
    assert _deals(session_factory) == 0  # a preview writes nothing
    staged = re.search(r'name="token" value="([0-9a-f]{32})"', preview.text)
    assert staged
    committed = client.post(
        "/deals/import/commit",
        data={"csrf_token": token, "token": staged.group(1)},
        follow_redirects=False,
    )
    assert committed.status_code == 303 and committed.headers["location"] == "/pipeline"
    assert _deals(session_factory) == 2
    assert "Imported 2 rows: 2 new" in client.get("/pipeline").text
    again = client.post(
        "/deals/import/commit", data={"csrf_token": token, "token": staged.group(1)}
    )
    assert again.status_code == 404  # the staged files are gone


def test_problems_are_listed_and_block_the_commit(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    signed_in(client, org, "admin")
    token = csrf_token(client, "/deals/import")
    preview = client.post(
        "/deals/import",
        data={"csrf_token": token, "preset": "generic", "create_missing": "1", "content": BAD},
    )
    assert preview.status_code == 200
    problems = re.findall(r"<li>(pasted\.csv, line 4.*?)</li>", preview.text)
    assert problems, preview.text
    assert 'data-testid="commit-import"' not in preview.text
    assert 'data-testid="import-blocked"' in preview.text
    bad_mapping = client.post(
        "/deals/import",
        data={"csrf_token": token, "content": GOOD},
        files={"mapping": ("map.yaml", b"columns: [oops", "application/yaml")},
    )
    assert bad_mapping.status_code == 422 and "mapping file has problems" in bad_mapping.text
    nothing = client.post("/deals/import", data={"csrf_token": token})
    assert nothing.status_code == 400 and "Choose a file" in nothing.text
    assert _deals(session_factory) == 0


def test_only_admins_import(client: TestClient, session_factory: sessionmaker[Session]) -> None:
    org = seeded_org(session_factory)
    signed_in(client, org, "manager")
    assert client.get("/deals/import").status_code == 403
    token = csrf_token(client, "/pipeline")
    refused = client.post("/deals/import", data={"csrf_token": token, "content": GOOD})
    assert refused.status_code == 403
    assert 'href="/deals/import"' not in client.get("/pipeline").text
    assert _deals(session_factory) == 0


def test_a_stale_preview_expires_and_is_swept(
    client: TestClient, session_factory: sessionmaker[Session], settings: Settings
) -> None:
    org = seeded_org(session_factory)
    signed_in(client, org, "admin")
    token = csrf_token(client, "/deals/import")

    def preview() -> str:
        response = client.post(
            "/deals/import",
            data={"csrf_token": token, "preset": "generic", "create_missing": "1"},
            files={"uploads": ("deals.csv", GOOD.encode(), "text/csv")},
        )
        staged = re.search(r'name="token" value="([0-9a-f]{32})"', response.text)
        assert staged
        return staged.group(1)

    old = preview()
    folder = Path(settings.data_dir) / "imports" / old
    day_ago = time.time() - pages_import.STALE_AFTER_S - 60
    os.utime(folder, (day_ago, day_ago))
    expired = client.post("/deals/import/commit", data={"csrf_token": token, "token": old})
    assert expired.status_code == 404 and _deals(session_factory) == 0
    fresh = preview()  # a new preview sweeps the expired one away
    assert not folder.exists()
    assert (Path(settings.data_dir) / "imports" / fresh).is_dir()
