"""scripts/audit_dependencies.py: version ranges, the project JSON, the ignore file, exit codes.
Canned JSON only: no network."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Mapping
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from packaging.version import Version

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "audit_dependencies.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("audit_dependencies", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["audit_dependencies"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


ad = _load()

ECDSA = {  # the shape PyPI serves: vulnerabilities of the latest release, no fix
    "info": {"name": "ecdsa", "version": "0.19.2"},
    "vulnerabilities": [
        {
            "aliases": ["CVE-2024-23342", "GHSA-wj6h-64fc-37mp"],
            "details": "Minerva timing attack on P-256.",
            "fixed_in": [],
            "id": "PYSEC-2026-1325",
            "link": "https://osv.dev/vulnerability/PYSEC-2026-1325",
            "source": "osv",
            "summary": None,
            "withdrawn": None,
        }
    ],
}


def _vuln(**fields: Any) -> dict[str, Any]:
    return {"id": "PYSEC-1", "aliases": ["CVE-1"], "fixed_in": [], "withdrawn": None, **fields}


def _range(*events: dict[str, str]) -> list[dict[str, Any]]:
    return [{"ranges": [{"type": "ECOSYSTEM", "events": list(events)}]}]


@pytest.mark.parametrize(
    ("installed", "expected"),
    [("0.9", False), ("1.0", True), ("1.4.9", True), ("1.5", False), ("2.0", True), ("3.1", False)],
)
def test_osv_ranges_introduced_fixed_and_last_affected(installed: str, expected: bool) -> None:
    vuln = _vuln(
        affected=_range(
            {"introduced": "1.0"}, {"fixed": "1.5"}, {"introduced": "2.0"}, {"last_affected": "3.0"}
        )
    )
    assert ad.affects(vuln, Version(installed), Version("3.1")) is expected


def test_osv_introduced_zero_and_listed_versions() -> None:
    vuln = _vuln(affected=_range({"introduced": "0"}, {"fixed": "2.0.1"}))
    assert ad.affects(vuln, Version("0.0.1"), None)
    assert ad.affects(vuln, Version("2.0.1rc1"), None)  # a pre-release of the fix is before it
    assert not ad.affects(vuln, Version("2.0.1"), None)
    listed = _vuln(affected=[{"versions": ["1.2.3", "1.2.4"]}])
    assert ad.affects(listed, Version("1.2.4"), None)
    assert not ad.affects(listed, Version("1.2.5"), None)
    git_only = _vuln(affected=[{"ranges": [{"type": "GIT", "events": [{"introduced": "abc"}]}]}])
    assert not ad.affects(git_only, Version("1.0"), None)


def test_latest_release_entries_use_fixed_in() -> None:
    latest = Version("3.0")
    unfixed = _vuln()
    assert ad.affects(unfixed, Version("3.0"), latest)
    assert ad.affects(unfixed, Version("2.1"), latest)
    assert ad.affects(unfixed, Version("3.1.dev0"), latest)  # newer than latest, still no fix
    backported = _vuln(fixed_in=["2.9.4", "3.0.1"])
    assert ad.affects(backported, Version("2.9.3"), latest)
    assert not ad.affects(backported, Version("2.9.4"), latest)
    assert not ad.affects(backported, Version("3.0.1"), latest)
    assert not ad.affects(_vuln(withdrawn="2025-01-01T00:00:00Z"), Version("1.0"), latest)


def test_findings_for_the_ecdsa_shape() -> None:
    [found] = ad.findings_for("ecdsa", "0.19.2", ECDSA)
    assert found.vuln_id == "PYSEC-2026-1325"
    assert "CVE-2024-23342" in found.ids and found.fixed_in == ()
    assert ad.findings_for("ecdsa", "not a version", ECDSA) == []
    assert ad.findings_for("clean", "1.0", {"info": {"version": "1.0"}}) == []


def test_ignore_file_needs_a_reason_per_line() -> None:
    text = "# why we accept these\nCVE-2024-23342: we never sign with ecdsa  # side channel\n\n"
    assert ad.read_ignore_file(text) == {"CVE-2024-23342": "we never sign with ecdsa"}
    with pytest.raises(ad.BadIgnoreFile, match="line 2"):
        ad.read_ignore_file("A: ok\nPYSEC-1\n")
    with pytest.raises(ad.BadIgnoreFile, match="line 1"):
        ad.read_ignore_file("PYSEC-1:   \n")


def _fetcher(projects: Mapping[str, Any], down: frozenset[str] = frozenset()) -> Any:
    def fetch(name: str) -> Mapping[str, Any] | None:
        if name in down:
            raise ad.IndexUnreachable(f"{name}: timed out")
        return projects.get(name)

    return fetch


PROJECTS = {
    "ecdsa": ECDSA,
    "jinja2": {"info": {"version": "3.1.6"}, "vulnerabilities": []},
    "old-lib": {
        "info": {"version": "2.0"},
        "vulnerabilities": [_vuln(id="GHSA-x", fixed_in=["2.1"])],
    },
}


def test_audit_reports_vulnerable_older_missing_and_unreachable() -> None:
    dists = [("ecdsa", "0.19.2"), ("Jinja2", "3.1.4"), ("old_lib", "1.0"), ("ours", "0.1")]
    report = ad.audit(dists, _fetcher(PROJECTS), {})
    assert [(f.package, f.vuln_id) for f in report.findings] == [
        ("ecdsa", "PYSEC-2026-1325"),
        ("old_lib", "GHSA-x"),
    ]
    assert report.checked == 3
    assert report.older_than_latest == [("Jinja2", "3.1.4", "3.1.6"), ("old_lib", "1.0", "2.0")]
    assert report.not_on_index == ["ours"]
    assert ad.exit_code(report) == ad.EXIT_VULNERABLE
    text = ad.render(report, "https://pypi.org")
    assert "ecdsa    0.19.2     PYSEC-2026-1325  no fix" in text
    assert "old_lib  1.0        GHSA-x           2.1" in text
    assert text.splitlines()[-1] == (
        "dependency audit against https://pypi.org: 3 distributions checked, 2 known "
        "vulnerabilities in 2 package(s), 0 ignored, 2 older than latest, 1 not on the index, "
        "0 unreachable"
    )


def test_ignored_by_alias_passes_with_its_reason() -> None:
    ignored = {"CVE-2024-23342": "we never sign with ecdsa"}
    report = ad.audit([("ecdsa", "0.19.2")], _fetcher(PROJECTS), ignored)
    assert report.findings == [] and report.ignored[0][1] == "we never sign with ecdsa"
    assert ad.exit_code(report) == ad.EXIT_OK
    assert "we never sign with ecdsa" in ad.render(report, "https://pypi.org")


def test_an_unreachable_index_is_its_own_exit_code_unless_something_is_vulnerable() -> None:
    report = ad.audit([("jinja2", "3.1.6")], _fetcher(PROJECTS, frozenset({"jinja2"})), {})
    assert ad.exit_code(report) == ad.EXIT_UNREACHABLE
    assert "INCOMPLETE" in ad.render(report, "https://pypi.org")
    both = ad.audit(
        [("jinja2", "3.1.6"), ("ecdsa", "0.19.2")],
        _fetcher(PROJECTS, frozenset({"jinja2"})),
        {},
    )
    assert ad.exit_code(both) == ad.EXIT_VULNERABLE


def test_the_index_url_comes_from_pip() -> None:
    assert ad.json_base("https://pypi.org/simple/") == "https://pypi.org"
    assert ad.json_base("https://mirror.example/root/pypi/+simple") == (
        "https://mirror.example/root/pypi"
    )
    assert ad.configured_index_url({"PIP_INDEX_URL": "https://m.example/simple"}) == (
        "https://m.example/simple"
    )


def test_main_says_an_offline_index_is_unreachable(capsys: pytest.CaptureFixture[str]) -> None:
    assert ad.main(["--index-url", "http://127.0.0.1:9/simple", "--timeout", "2"]) == 2
    assert "dependency audit SKIPPED: the index is unreachable" in capsys.readouterr().out
    assert ad.main(["--index-url", "file:///opt/pypi/simple"]) == 2


def test_main_refuses_a_bad_ignore_file(tmp_path: Path) -> None:
    bad = tmp_path / "ignore.txt"
    bad.write_text("PYSEC-1\n")
    assert ad.main(["--ignore-file", str(bad)]) == ad.EXIT_USAGE
