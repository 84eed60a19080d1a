"""Where the load test's CPU goes: the app's processes, PostgreSQL's, the client's, the rest.

On a small machine the app, the database and the load client share the CPUs, so latencies
at saturation are a queue; these figures say how much of the machine each took over the
recorded window (utime + stime from /proc, clock ticks) and so how much CPU an average request
cost. `--profile FILE` also samples the app's workers with py-spy (not a dependency of the
app: `pip install py-spy`) as collapsed stacks, and prints the most expensive frames.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from valuescout.core.db import make_engine

_TICK = os.sysconf("SC_CLK_TCK")


def _proc_stats() -> dict[int, tuple[str, int, float]]:
    """pid -> (command name, parent pid, CPU seconds used so far by it and by the children it
    reaped: PostgreSQL's postmaster reaps the backends of closed connections, whose CPU would
    otherwise vanish from the figures with them)."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            text = (entry / "stat").read_text()
        except OSError:
            continue
        name = text[text.index("(") + 1 : text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        ticks = sum(int(v) for v in fields[11:15])  # utime, stime, cutime, cstime
        found[int(entry.name)] = (name, int(fields[1]), ticks / _TICK)
    return found


def _machine_busy_seconds() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]  # idle + iowait
    return (sum(values) - idle) / _TICK, sum(values) / _TICK


@dataclass(frozen=True)
class CpuSample:
    by_group: dict[str, float]
    machine_busy: float
    machine_total: float
    sessions: int  # PostgreSQL connections made to the database so far


def _sessions(database_url: str) -> int:
    """pg_stat_database.sessions: a backend that ends takes its CPU figures with it, so many
    new connections show as 'other' CPU; this says how many there were."""
    engine = make_engine(database_url)
    try:
        with engine.connect() as conn:
            query = "SELECT sessions FROM pg_stat_database WHERE datname = current_database()"
            return int(conn.exec_driver_sql(query).scalar_one())
    finally:
        engine.dispose()


def sample(server_pid: int, database_url: str) -> CpuSample:
    stats = _proc_stats()
    app = {server_pid} | {p for p, (_, parent, _) in stats.items() if parent == server_pid}
    groups: dict[str, float] = dict.fromkeys(("app", "postgres", "client"), 0.0)
    for pid, (name, _, seconds) in stats.items():
        if pid in app:
            groups["app"] += seconds
        elif name == "postgres":
            groups["postgres"] += seconds
        elif pid == os.getpid():
            groups["client"] += seconds
    busy, total = _machine_busy_seconds()
    return CpuSample(groups, busy, total, _sessions(database_url))


def usage(before: CpuSample, after: CpuSample, seconds: float) -> dict[str, float]:
    """CPU seconds per group over the window, 'other' the rest of the machine's busy time."""
    used = {g: after.by_group.get(g, 0.0) - before.by_group.get(g, 0.0) for g in after.by_group}
    busy = after.machine_busy - before.machine_busy
    used["other"] = max(0.0, busy - sum(used.values()))
    cpus = (after.machine_total - before.machine_total) / seconds
    return {**used, "busy": busy, "cpus": cpus, "new_connections": after.sessions - before.sessions}


def print_usage(cpu: dict[str, float], requests: int, seconds: float) -> None:
    parts = {g: s for g, s in cpu.items() if g not in ("busy", "cpus", "new_connections")}
    print(
        f"\nCPU over the {seconds:.0f} s recorded: {cpu['busy'] / seconds:.2f} of "
        f"{cpu['cpus']:.1f} CPUs busy on average; "
        + ", ".join(
            f"{g} {s:.0f} s ({1000 * s / max(requests, 1):.1f} ms a request)"
            for g, s in sorted(parts.items(), key=lambda kv: -kv[1])
        )
        + f"; {cpu['new_connections']:.0f} new PostgreSQL connections"
    )


def start_profile(server_pid: int, out: Path, duration: float) -> subprocess.Popen[bytes]:
    spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(spy).exists():
        raise SystemExit("--profile needs py-spy: pip install py-spy")
    cmd = [spy, "record", "--pid", str(server_pid), "--subprocesses", "--nonblocking", "--gil"]
    cmd += ["--format", "raw", "--rate", "50", "--duration", str(int(duration)), "-o", str(out)]
    return subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # noqa: S603


def print_profile(path: Path, top: int = 40) -> None:
    """The frames of the app with the most samples under them (inclusive), as shares of the
    samples taken while a worker held the GIL."""
    inclusive: Counter[str] = Counter()
    total = 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = {f for f in stack.split(";") if "valuescout" in f}
        for frame in frames:
            inclusive[frame] += n
    print(f"\nprofile ({total:,} samples of the app's threads, {path}): inclusive share")
    for frame, n in inclusive.most_common(top):
        print(f"  {100 * n / max(total, 1):5.1f}%  {frame}")
