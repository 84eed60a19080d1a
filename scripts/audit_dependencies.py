#!/usr/bin/env python3
"""Audit the installed distributions for known vulnerabilities, from the package index's JSON.

`pip-audit` needs per-version JSON (`/pypi/<name>/<version>/json`), which the index reachable
here does not serve. The project JSON (`/pypi/<name>/json`) does work, and carries the
`vulnerabilities` of the project's latest release (PyPI's OSV feed: id, aliases, fixed_in,
withdrawn) and, where an index provides them, OSV `affected` ranges. This script reads it for
every distribution installed in the Python that runs it (the project has no lock file, so the
venv is what is locked) and reports each vulnerability that affects the installed version.

What the project JSON can tell, and so what this reports:
- an entry with OSV `affected` ranges or versions is decided exactly for the installed version;
- an entry without them affects the latest release; the installed version is taken as affected
  unless one of its `fixed_in` versions is at or below it;
- a vulnerability fixed before the latest release is no longer listed for the latest, so for a
  distribution older than the latest this index cannot show it: those are listed as "older
  than latest" with the summary, never passed silently as checked.

Exit codes: 0 nothing found; 1 a vulnerable distribution that the ignore file does not list;
2 the index could not be reached (or not for every distribution): the audit is incomplete;
3 bad usage or a bad ignore file. Depends on nothing of ValueScout (only `packaging`).

    python scripts/audit_dependencies.py [--index-url URL] [--ignore-file FILE] [--verbose]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

EXIT_OK, EXIT_VULNERABLE, EXIT_UNREACHABLE, EXIT_USAGE = 0, 1, 2, 3
DEFAULT_INDEX = "https://pypi.org/simple"
DEFAULT_IGNORE_FILE = Path(__file__).resolve().parent.parent / "dependency-audit-ignore.txt"


@dataclass(frozen=True)
class Finding:
    package: str
    installed: str
    vuln_id: str
    aliases: tuple[str, ...]
    fixed_in: tuple[str, ...]
    link: str = ""

    @property
    def ids(self) -> set[str]:
        return {self.vuln_id, *self.aliases}


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    ignored: list[tuple[Finding, str]] = field(default_factory=list)
    checked: int = 0
    older_than_latest: list[tuple[str, str, str]] = field(default_factory=list)
    not_on_index: list[str] = field(default_factory=list)
    unreachable: list[tuple[str, str]] = field(default_factory=list)
    bad_versions: list[tuple[str, str]] = field(default_factory=list)


class IndexUnreachable(Exception):
    """The index did not answer (network, DNS, TLS, timeout, 5xx)."""


# --- versions and OSV ranges (pure) ------------------------------------------------------


def parse_version(text: str) -> Version | None:
    try:
        return Version(text)
    except InvalidVersion:
        return None


def _in_osv_ranges(version: Version, affected: Sequence[Mapping[str, Any]]) -> bool:
    """OSV `affected` entries: listed `versions`, or ECOSYSTEM ranges of introduced/fixed/
    last_affected events (https://ossf.github.io/osv-schema/#affectedranges-field)."""
    for entry in affected:
        listed = {parse_version(v) for v in entry.get("versions", []) if isinstance(v, str)}
        if version in listed:
            return True
        for rng in entry.get("ranges", []):
            if rng.get("type") not in ("ECOSYSTEM", "SEMVER"):
                continue  # GIT ranges name commits, not releases
            if _in_events(version, rng.get("events", [])):
                return True
    return False


def _in_events(version: Version, events: Sequence[Mapping[str, str]]) -> bool:
    """Walk the events in version order: introduced opens an affected span, fixed closes it
    before that version, last_affected closes it after that version."""
    points: list[tuple[Version, int, str]] = []
    for event in events:
        for kind, order in (("introduced", 0), ("fixed", 1), ("last_affected", 2)):
            if kind in event:
                raw = event[kind]
                at = Version("0") if kind == "introduced" and raw == "0" else parse_version(raw)
                if at is not None:
                    points.append((at, order, kind))
    affected = False
    for at, _order, kind in sorted(points):
        if kind == "introduced":
            if version < at:
                return affected
            affected = True
        elif kind == "fixed":
            if version < at:
                return affected
            affected = False
        elif kind == "last_affected":
            if version <= at:
                return affected
            affected = False
    return affected


def affects(vuln: Mapping[str, Any], installed: Version, latest: Version | None) -> bool:
    """Does this vulnerability entry, listed in the project JSON, affect the installed version?"""
    if vuln.get("withdrawn"):
        return False
    affected = vuln.get("affected")
    if isinstance(affected, list) and affected:
        return _in_osv_ranges(installed, affected)
    # PyPI's entries describe the latest release: it is affected. The installed version is too,
    # unless one of the fixes is at or below it (a fixed older line, or a newer install).
    fixed = [v for v in (parse_version(f) for f in vuln.get("fixed_in") or []) if v is not None]
    if latest is not None and installed > latest and not fixed:
        return True
    return not any(f <= installed for f in fixed)


def findings_for(name: str, installed: str, project: Mapping[str, Any]) -> list[Finding]:
    version = parse_version(installed)
    if version is None:
        return []
    latest = parse_version(str(project.get("info", {}).get("version", "")))
    found = []
    for vuln in project.get("vulnerabilities") or []:
        if affects(vuln, version, latest):
            found.append(
                Finding(
                    package=name,
                    installed=installed,
                    vuln_id=str(vuln.get("id", "?")),
                    aliases=tuple(str(a) for a in vuln.get("aliases") or []),
                    fixed_in=tuple(str(f) for f in vuln.get("fixed_in") or []),
                    link=str(vuln.get("link") or ""),
                )
            )
    return found


# --- the ignore file -----------------------------------------------------------------------


class BadIgnoreFile(Exception):
    pass


def read_ignore_file(text: str, where: str = "ignore file") -> dict[str, str]:
    """Lines `VULN-ID: reason` (an id or any alias); `#` starts a comment. A reason is required."""
    ignored: dict[str, str] = {}
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        vuln_id, sep, reason = line.partition(":")
        if not sep or not vuln_id.strip() or not reason.strip():
            raise BadIgnoreFile(f"{where}, line {number}: write 'VULN-ID: the reason', got {raw!r}")
        ignored[vuln_id.strip()] = reason.strip()
    return ignored


# --- the index -----------------------------------------------------------------------------


def json_base(index_url: str) -> str:
    """`https://host/simple/` -> `https://host`, where `/pypi/<name>/json` lives."""
    base = index_url.rstrip("/")
    return base.removesuffix("/simple").removesuffix("/+simple")


def configured_index_url(environ: Mapping[str, str] = os.environ) -> str:
    """The index pip uses: PIP_INDEX_URL, else pip's configuration, else PyPI."""
    if environ.get("PIP_INDEX_URL"):
        return environ["PIP_INDEX_URL"]
    try:
        out = subprocess.run(
            [sys.executable, "-m", "pip", "config", "list"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        out = ""
    for line in out.splitlines():
        key, _, value = line.partition("=")
        if key.split(".")[-1] == "index-url":
            return value.strip().strip("'\"")
    return DEFAULT_INDEX


Fetch = Callable[[str], "Mapping[str, Any] | None"]


def http_fetch(base: str, timeout: float) -> Fetch:
    def fetch(name: str) -> Mapping[str, Any] | None:
        url = f"{base}/pypi/{name}/json"
        request = urllib.request.Request(url, headers={"Accept": "application/json"})  # noqa: S310
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
                data: Mapping[str, Any] = json.load(response)
                return data
        except urllib.error.HTTPError as exc:
            if exc.code == 404:
                return None
            raise IndexUnreachable(f"{url}: HTTP {exc.code}") from exc
        except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
            reason = getattr(exc, "reason", exc)
            raise IndexUnreachable(f"{url}: {reason}") from exc

    return fetch


# --- what is installed ---------------------------------------------------------------------


def installed_distributions() -> list[tuple[str, str]]:
    """(name, version) of every distribution in this interpreter's environment, except ones
    installed from a local directory (the project itself, editable installs)."""
    found: dict[str, tuple[str, str]] = {}
    for dist in metadata.distributions():
        name = dist.metadata["Name"]
        if not name:
            continue
        direct = dist.read_text("direct_url.json")
        if direct and '"dir_info"' in direct:
            continue
        found[canonicalize_name(name)] = (name, dist.version)
    return sorted(found.values(), key=lambda item: item[0].lower())


# --- the audit -----------------------------------------------------------------------------


def audit(
    distributions: Iterable[tuple[str, str]],
    fetch: Fetch,
    ignored: Mapping[str, str],
    workers: int = 8,
) -> Report:
    report = Report()
    dists = list(distributions)

    def one(item: tuple[str, str]) -> tuple[str, str, Mapping[str, Any] | Exception | None]:
        name, version = item
        try:
            return name, version, fetch(canonicalize_name(name))
        except IndexUnreachable as exc:
            return name, version, exc

    with ThreadPoolExecutor(max_workers=workers) as pool:
        results = list(pool.map(one, dists))
    for name, version, project in results:
        if isinstance(project, Exception):
            report.unreachable.append((name, str(project)))
            continue
        if project is None:
            report.not_on_index.append(name)
            continue
        installed = parse_version(version)
        if installed is None:
            report.bad_versions.append((name, version))
            continue
        report.checked += 1
        latest = parse_version(str(project.get("info", {}).get("version", "")))
        if latest is not None and installed < latest:
            report.older_than_latest.append((name, version, str(latest)))
        for finding in findings_for(name, version, project):
            reason = next((ignored[i] for i in sorted(finding.ids) if i in ignored), None)
            if reason is None:
                report.findings.append(finding)
            else:
                report.ignored.append((finding, reason))
    return report


def exit_code(report: Report) -> int:
    if report.findings:
        return EXIT_VULNERABLE
    if report.unreachable:
        return EXIT_UNREACHABLE
    return EXIT_OK


def table(rows: Sequence[Sequence[str]], header: Sequence[str]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    lines = ["  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)) for row in rows]
    rule = "  ".join("-" * w for w in widths)
    head = "  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True))
    return "\n".join([head, rule, *lines])


def render(report: Report, index: str, verbose: bool = False) -> str:
    out: list[str] = []
    header = ("package", "installed", "vulnerability", "fixed in")
    if report.findings:
        rows = [
            (f.package, f.installed, f.vuln_id, ", ".join(f.fixed_in) or "no fix")
            for f in report.findings
        ]
        out += ["Known vulnerabilities in installed distributions:", table(rows, header), ""]
    if report.ignored:
        kept = [
            (f.package, f.installed, f.vuln_id, ", ".join(f.fixed_in) or "no fix", reason)
            for f, reason in report.ignored
        ]
        out += ["Ignored (dependency-audit-ignore.txt):", table(kept, (*header, "reason")), ""]
    if report.unreachable:
        out.append(f"Could not read the index for {len(report.unreachable)} distribution(s):")
        out += [f"  {name}: {why}" for name, why in report.unreachable[:10]]
        if len(report.unreachable) > 10:
            out.append(f"  ... and {len(report.unreachable) - 10} more")
        out.append("")
    if report.older_than_latest:
        out.append(
            "Older than the index's latest release: a vulnerability fixed before the latest is "
            "not listed by this index, so check these by hand or upgrade them:"
        )
        out += [f"  {n} {v} (latest {latest})" for n, v, latest in report.older_than_latest]
        out.append("")
    if verbose and report.not_on_index:
        out.append("Not on the index: " + ", ".join(report.not_on_index))
    vulnerable = {f.package for f in report.findings}
    out.append(
        f"dependency audit against {index}: {report.checked} distributions checked, "
        f"{len(report.findings)} known vulnerabilit{'y' if len(report.findings) == 1 else 'ies'}"
        f" in {len(vulnerable)} package(s), {len(report.ignored)} ignored, "
        f"{len(report.older_than_latest)} older than latest, "
        f"{len(report.not_on_index)} not on the index, "
        f"{len(report.unreachable)} unreachable"
    )
    if report.unreachable and not report.findings:
        out.append(
            "dependency audit INCOMPLETE: the index could not be reached "
            f"({report.unreachable[0][1]}); exit {EXIT_UNREACHABLE}"
        )
    return "\n".join(out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-url", help="simple index URL (default: pip's configuration)")
    parser.add_argument("--ignore-file", type=Path, default=DEFAULT_IGNORE_FILE)
    parser.add_argument("--timeout", type=float, default=15.0)
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args(argv)

    try:
        ignored = (
            read_ignore_file(args.ignore_file.read_text(), str(args.ignore_file))
            if args.ignore_file.exists()
            else {}
        )
    except BadIgnoreFile as exc:
        print(f"dependency audit: {exc}", file=sys.stderr)
        return EXIT_USAGE
    index = args.index_url or configured_index_url()
    if not index.startswith(("http://", "https://")):
        print(f"dependency audit: the index {index} serves no JSON API; pass --index-url")
        return EXIT_UNREACHABLE
    base = json_base(index)
    fetch = http_fetch(base, args.timeout)
    try:  # one probe first, so an offline machine says so at once
        fetch("pip")
    except IndexUnreachable as exc:
        print(f"dependency audit SKIPPED: the index is unreachable ({exc}); exit 2")
        return EXIT_UNREACHABLE
    report = audit(installed_distributions(), fetch, ignored)
    print(render(report, base, verbose=args.verbose))
    return exit_code(report)


if __name__ == "__main__":
    sys.exit(main())
