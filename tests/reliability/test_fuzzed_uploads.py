"""Fuzzed uploads over HTTP, through the pages that take files: the CRM import (preview, then
commit) and the value network import. Broken CSV, random bytes, hostile file names and content
types, and multipart bodies that are not multipart: never a server error, never a page that
echoes a name unescaped, nothing written by a refusal or a preview, and staged files only
where the import keeps them."""

from __future__ import annotations

import re
from pathlib import Path

import httpx
from fastapi.testclient import TestClient
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from tests.deals.importing.helpers import GENERIC_HEADER, deal
from tests.deals.test_pages import signed_in
from tests.factories import csrf_token, seeded_org
from tests.reliability.fuzz_files import FUZZ, broken_csv, random_bytes
from tests.reliability.test_fuzzed_imports import table_counts
from valuescout.core.settings import Settings

SRC = Path(__file__).resolve().parents[2] / "src" / "valuescout"

HOSTILE_NAMES = st.sampled_from(
    [
        "deals.csv",
        "../../../etc/passwd",
        "..\\..\\windows\\win.ini",
        "/absolute/path.csv",
        "<script>alert(1)</script>.csv",
        '"quoted" & <b>bold</b>.yaml',
        "x" * 400 + ".csv",
        "caf\u00e9 \U0001f4a9.json",
        ".csv",
        "name with\nnewline.csv",
        "network.yaml",
        "network.json",
    ]
)
CONTENT_TYPES = st.sampled_from(
    ["text/csv", "application/octet-stream", "text/html", "image/png", "application/x-yaml", ""]
)
SERVER_ERROR = re.compile(r"Traceback|Internal Server Error")
ROWS = st.integers(0, 5).map(
    lambda n: [
        GENERIC_HEADER,
        *(deal(f"U-{i}", "Prospecting", owner="admin@example.com") for i in range(n)),
    ]
)


def _counts(session_factory: sessionmaker[Session]) -> dict[str, int]:
    with session_factory() as s:
        return table_counts(s)


def _refused_or_shown(response: httpx.Response, name: str) -> None:
    assert response.status_code in {200, 303, 400, 404, 409, 413, 422}, response.text[:2000]
    assert not SERVER_ERROR.search(response.text)
    if "<" in name or "&" in name:  # a hostile name appears only escaped, if at all
        assert name not in response.text


def _staged_files(settings: Settings) -> set[str]:
    root = Path(settings.data_dir)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def test_the_import_page_takes_any_upload_cleanly(
    client: TestClient, session_factory: sessionmaker[Session], settings: Settings
) -> None:
    org = seeded_org(session_factory)
    signed_in(client, org, "admin")
    token = csrf_token(client, "/deals/import")
    before_any = _staged_files(settings)

    @FUZZ
    @given(
        data=broken_csv(ROWS) | random_bytes(),
        name=HOSTILE_NAMES,
        content_type=CONTENT_TYPES,
        encoding=st.sampled_from(["utf-8", "latin-1", "utf-16", "bogus-8"]),
        skip_invalid=st.sampled_from(["", "1"]),
        mapping=st.none() | random_bytes(),
    )
    def check(
        data: bytes,
        name: str,
        content_type: str,
        encoding: str,
        skip_invalid: str,
        mapping: bytes | None,
    ) -> None:
        before = _counts(session_factory)
        files = [("uploads", (name, data, content_type))]
        if mapping is not None:
            files.append(("mapping", ("mapping.yaml", mapping, "application/x-yaml")))
        form = {"csrf_token": token, "preset": "generic", "create_missing": "1"}
        form |= {"encoding": encoding, "skip_invalid": skip_invalid}
        preview = client.post("/deals/import", data=form, files=files)
        _refused_or_shown(preview, name)
        assert _counts(session_factory) == before, "a preview wrote to the database"
        staged = re.search(r'name="token" value="([0-9a-f]{32})"', preview.text)
        if staged is None:
            assert _staged_files(settings) == before_any, "a refused preview left files"
            return
        assert all(
            re.fullmatch(r"imports/[0-9a-f]{32}/(\d+\.csv|import\.json)", f)
            for f in _staged_files(settings) - before_any
        )
        commit = {"csrf_token": token, "token": staged.group(1)}
        committed = client.post("/deals/import/commit", data=commit, follow_redirects=False)
        _refused_or_shown(committed, name)
        if committed.status_code != 303:
            assert _counts(session_factory) == before, "a refused commit wrote"
        assert _staged_files(settings) == before_any, "a commit left its staged files"

    check()


NETWORK = next((SRC / "valuenet" / "data" / "demo").glob("*.yaml")).read_text(encoding="utf-8")


NETWORK_NAMES = st.sampled_from(
    ["network.yaml", "network.yml", "network.json", "<img src=x>.yaml", "../../n.yaml"]
)


@st.composite
def damaged_network(draw: st.DrawFn) -> bytes:
    text = NETWORK
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(text)))
        junk = draw(st.sampled_from(["\t", ":", "- ", "{", "\x00", "\ud800", "&a", "*a", "\n  "]))
        text = text[:at] + junk + text[at:]
    return text.encode("utf-8", errors="surrogatepass")


def test_the_network_import_takes_any_upload_cleanly(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    signed_in(client, org, "admin")
    token = csrf_token(client, "/value-networks")

    @FUZZ
    @given(
        data=damaged_network() | damaged_network() | random_bytes(),
        name=NETWORK_NAMES | HOSTILE_NAMES,
        content_type=CONTENT_TYPES,
        replace=st.sampled_from(["", "on"]),
    )
    def check(data: bytes, name: str, content_type: str, replace: str) -> None:
        before = _counts(session_factory)
        response = client.post(
            "/value-networks/import",
            data={"csrf_token": token, "replace": replace},
            files={"upload": (name, data, content_type)},
            follow_redirects=False,
        )
        _refused_or_shown(response, name)
        if response.status_code != 303:
            assert _counts(session_factory) == before, "a refused network import wrote"

    check()


@FUZZ
@given(body=random_bytes(), boundary=st.sampled_from(["b", "xyz", "-" * 70, ""]))
def _multipart_case(client: TestClient, path: str, body: bytes, boundary: str) -> None:
    response = client.post(
        path,
        content=f"--{boundary}\r\n".encode() + body,
        headers={"content-type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code in {400, 403, 413, 422}, response.text[:2000]
    assert not SERVER_ERROR.search(response.text)


def test_a_body_that_is_not_multipart_is_refused_not_a_crash(
    client: TestClient, session_factory: sessionmaker[Session]
) -> None:
    org = seeded_org(session_factory)
    signed_in(client, org, "admin")
    before = _counts(session_factory)
    for path in ("/deals/import", "/value-networks/import"):
        _multipart_case(client, path)  # type: ignore[call-arg]
    assert _counts(session_factory) == before
