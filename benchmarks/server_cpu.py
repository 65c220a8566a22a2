"""Benchmark: the server's CPU time per request, by kind of request (issue 15).

The demo pipeline runs twice into a fresh SQLite store (as in ``benchmarks/server.py``);
``datajourney serve`` serves it in its own process, and one client (a kept-alive connection,
one request at a time) sends each request below for ``--seconds``, then makes one remote store
call after another. The server's CPU time (user + system, from ``/proc``) over that time,
divided by the requests answered, is the figure: it moves much less with the machine's load
than latency does.

``--baseline REV`` also serves the same store with the package's source at git revision
``REV`` (``git archive``), alternating between the two servers round by round, so "before" and
"after" are measured side by side in the same run. Results go to
``benchmarks/results/server_cpu.md``; ``--quick`` only prints.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import statistics
import subprocess
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path

from server import REPO_ROOT, cpu_seconds, free_port, load, prepare_store, start_server

HERE = Path(__file__).resolve().parent


def requests(ids: dict) -> list[tuple[str, str]]:
    """(what, path) of the requests measured."""
    artifact = ids["artifacts"][len(ids["artifacts"]) // 2]
    return [
        ("`/api/health` (no store)", "/api/health"),
        ("artifact detail, JSON", f"/api/artifacts/{artifact}"),
        ("artifact detail, HTML page", f"/artifacts/{artifact}"),
        ("artifact list (50), JSON", "/api/artifacts?limit=50"),
        ("artifact list (50), HTML page", "/artifacts?limit=50"),
        ("lineage upstream, JSON", f"/api/lineage/artifact/{ids['anomalies']}?direction=upstream"),
        (REMOTE, f"{REMOTE}{artifact}"),
    ]


def source_at(revision: str, folder: Path) -> Path:
    """The package's source (``src/``) at a git revision, unpacked under ``folder``."""
    archive = subprocess.run(
        ["git", "archive", revision, "src"], cwd=REPO_ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    return folder / "src"


REMOTE = "remote store `get_artifacts(ids=[one])`"


def measure(port: int, pid: int, path: str, seconds: float) -> tuple[float, float, int]:
    """(server CPU ms per request, latency p50 ms, errors) of one client on ``path``
    (``REMOTE``: ``MetadataStore("http://...").get_artifacts`` of the artifact ``path``)."""
    before = cpu_seconds(pid)
    if path.startswith(REMOTE):
        done = remote_calls(port, int(path.removeprefix(REMOTE)), seconds)
        errors = 0
    else:
        result = asyncio.run(load(port, [("r", path)], 1, seconds))
        done, errors = result["latency"]["r"], result["errors"]
    used = cpu_seconds(pid) - before
    return used / max(1, len(done)) * 1000, statistics.median(done) * 1000, errors


def remote_calls(port: int, artifact: int, seconds: float) -> list[float]:
    """Seconds of each remote call made for ``seconds`` (the store's opening is one more)."""
    import datajourney as dj

    took = []
    with dj.MetadataStore(f"http://127.0.0.1:{port}") as store:
        stop = time.perf_counter() + seconds
        while time.perf_counter() < stop:
            started = time.perf_counter()
            store.get_artifacts(ids=[artifact])
            took.append(time.perf_counter() - started)
    return took


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--baseline", help="Also measure the source at this git revision.")
    parser.add_argument("--seconds", type=float, default=3.0, help="Per request and round.")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--rows", type=int, default=2000, help="Demo rows.")
    parser.add_argument("--quick", action="store_true", help="Print only; write no results.")
    args = parser.parse_args()
    load_before = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="dj-bench-server-cpu-") as tmp:
        url, ids = prepare_store("sqlite", Path(tmp), args.rows)
        trees = {"now": None}
        if args.baseline:
            trees = {args.baseline: source_at(args.baseline, Path(tmp) / "baseline"), **trees}
        servers = {}
        try:
            for name, src in trees.items():
                port = free_port()
                servers[name] = (port, start_server(url, port, 1, pythonpath=src))
            cpu: dict = {}
            for _ in range(args.rounds):
                for what, path in requests(ids):
                    for name, (port, server) in servers.items():
                        figures = measure(port, server.pid, path, args.seconds)
                        cpu.setdefault((what, name), []).append(figures)
        finally:
            for _, server in servers.values():
                server.terminate()
                server.wait(timeout=30)
    names = list(trees)
    lines = [
        "# Server CPU time per request",
        "",
        f"{datetime.datetime.now():%Y-%m-%d %H:%M}, {platform.machine()}, {os.cpu_count()} "
        f"cores, Python {platform.python_version()}, load average at the start {load_before}; "
        f"`python benchmarks/server_cpu.py"
        + (f" --baseline {args.baseline}" if args.baseline else "")
        + f"`. One client, {args.seconds:.0f} s per request and round, {args.rounds} rounds "
        f"(median of rounds); the demo's store ({args.rows} rows, run twice) on SQLite, "
        "`datajourney serve` with one worker.",
        "",
        "| request | " + " | ".join(f"CPU ms ({n}) | p50 ms ({n})" for n in names) + " |",
        "|---|" + "---:|---:|" * len(names),
    ]
    for what, _ in requests(ids):
        cells = []
        for name in names:
            runs = cpu[(what, name)]
            errors = sum(r[2] for r in runs)
            cells.append(
                f"{statistics.median(r[0] for r in runs):.2f}"
                + (f" ({errors} errors)" if errors else "")
            )
            cells.append(f"{statistics.median(r[1] for r in runs):.2f}")
        lines.append(f"| {what} | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.quick:
        out = HERE / "results" / "server_cpu.md"
        out.write_text(text)
        print(f"written to {out}")


if __name__ == "__main__":
    main()
