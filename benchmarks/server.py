"""Benchmark: ``datajourney serve`` under 50 concurrent clients, and the remote store's cost.

1. The demo pipeline runs twice into a fresh store (a SQLite file; with ``--backend
   postgresql`` into a SQLite file that is then copied into PostgreSQL, see ``copy_store``).
2. ``datajourney serve`` serves it in its own process (one uvicorn worker, as a user starts it).
3. ``--clients`` concurrent clients (asyncio, kept-alive HTTP/1.1 connections, one request at a
   time each) read for ``--duration`` seconds, in turn: a list page (``/api/artifacts``,
   ``/api/executions``), a detail page (``/api/artifacts/{id}``, ``/api/executions/{id}``) and
   a lineage (``/api/lineage/artifact/{id}``). Reported: requests per second, p50 / p99
   latency per kind of request, and errors (any status but 200, or a broken connection).
   Goal: no errors, p99 under 50 ms for detail pages.
4. The remote store's overhead per call: the same ``MetadataStore`` calls, one client, against
   the local store and against ``MetadataStore("http://...")`` on the server.

The load generator and the server share the machine (2 cores here), so the figures are what
one box serving itself gives. Results go to ``benchmarks/results/server_sqlite.md`` (or
``server_postgresql.md``; ``server.md`` sums both up); ``--quick`` runs only print.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
POSTGRESQL = os.environ.get(
    "DATAJOURNEY_BENCH_POSTGRESQL", "postgresql+psycopg://postgres@127.0.0.1:5432/dj_bench_server"
)


FLOOR_MIX = [("health", "/api/health")]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def prepare_store(backend: str, folder: Path, rows: int) -> tuple[str, dict]:
    """A store the demo wrote; its URL and the ids to request."""
    import datajourney as dj
    from datajourney.pipeline.demo import run_demo

    if backend == "sqlite":
        url = f"sqlite:///{folder / 'metadata.sqlite'}"
    else:
        from sqlalchemy import create_engine, make_url

        url = POSTGRESQL
        target = make_url(url)
        admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.exec_driver_sql(f"DROP DATABASE IF EXISTS {target.database} WITH (FORCE)")
        admin.dispose()
    os.environ["DATAJOURNEY_OBJECTS"] = str(folder / "objects")
    demo_url = url if backend == "sqlite" else f"sqlite:///{folder / 'demo.sqlite'}"
    with dj.MetadataStore(demo_url) as store:
        result = run_demo(folder / "demo", store, rows=rows)
        anomalies = result.anomalies_artifact.id
    if backend != "sqlite":
        # The demo's lake step cannot write PostgreSQL today (its ingested_at, ms since the
        # epoch, overflows ML Metadata's 32-bit int_value column there): copy the demo's
        # store into PostgreSQL instead, with such values as doubles.
        with dj.MetadataStore(demo_url) as source, dj.MetadataStore(url) as target:
            anomalies = copy_store(source, target)[("artifact", anomalies)]
    with dj.MetadataStore(url) as store:
        ids = {
            "artifacts": [a.id for a in store.artifacts()],
            "executions": [e.id for e in store.executions()],
            "anomalies": anomalies,
        }
    return url, ids


INT32 = range(-(2**31), 2**31)


def copy_store(source, target) -> dict[tuple[str, int], int]:
    """Every type, node, event, attribution, association and parent link of ``source``
    written to ``target`` (new ids; integer properties beyond 32 bits become doubles);
    (kind, old id) -> new id."""
    import dataclasses

    from datajourney.metadata.model import (
        Association,
        Attribution,
        Event,
        NodeKind,
        ParentContext,
        PropertyType,
    )

    kinds = {
        "artifact": NodeKind.ARTIFACT,
        "execution": NodeKind.EXECUTION,
        "context": NodeKind.CONTEXT,
    }
    ids: dict[tuple[str, int], int] = {}
    with target.transaction():
        for name, kind in kinds.items():
            nodes = source.get(kind)
            wide = {
                (n.type_id, k)
                for n in nodes
                for k, v in n.properties.items()
                if isinstance(v, int) and not isinstance(v, bool) and v not in INT32
            }
            type_ids = {}
            for t in source.get_types(kind):
                props = {
                    k: PropertyType.DOUBLE if (t.id, k) in wide else v
                    for k, v in t.properties.items()
                }
                copy = dataclasses.replace(t, id=None, properties=props)
                type_ids[t.id] = target.put_type(copy)
            copies = [
                dataclasses.replace(
                    n,
                    id=None,
                    type_id=type_ids[n.type_id],
                    properties={
                        k: float(v) if (n.type_id, k) in wide else v
                        for k, v in n.properties.items()
                    },
                )
                for n in nodes
            ]
            for node, new in zip(nodes, target.put(copies)):
                ids[(name, node.id)] = new
        artifacts = [old for (k, old) in ids if k == "artifact"]
        target.put_events(
            [
                dataclasses.replace(
                    e,
                    artifact_id=ids[("artifact", e.artifact_id)],
                    execution_id=ids[("execution", e.execution_id)],
                )
                for e in source.get_events(artifact_ids=artifacts)
                if isinstance(e, Event)
            ]
        )
        attributions, associations, parents = [], [], []
        for context in source.get_contexts():
            new = ids[("context", context.id)]
            attributions += [
                Attribution(new, ids[("artifact", a.id)])
                for a in source.get_artifacts(context_id=context.id)
            ]
            associations += [
                Association(new, ids[("execution", e.id)])
                for e in source.get_executions(context_id=context.id)
            ]
            parents += [
                ParentContext(new, ids[("context", p.id)])
                for p in source.get_contexts(child_id=context.id)
            ]
        target.put_attributions_and_associations(attributions, associations)
        target.put_parent_contexts(parents)
    return ids


def start_server(
    url: str, port: int, workers: int, pythonpath: Path | None = None
) -> subprocess.Popen:
    """``datajourney serve`` in its own process (the package from ``pythonpath`` if given)."""
    command = [sys.executable, "-m", "datajourney.cli", "serve", "--store", url]
    command += ["--port", str(port), "--workers", str(workers)]
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    if pythonpath is not None:
        env["PYTHONPATH"] = str(pythonpath)
    server = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return server
        except OSError:
            if server.poll() is not None:
                error = server.stderr.read().decode()[-2000:]
                raise RuntimeError(f"server exited: {error}") from None
            time.sleep(0.1)
    server.kill()
    raise RuntimeError("server did not start in 60 s")


def request_mix(ids: dict) -> list[tuple[str, str]]:
    """(kind, path) in the order each client cycles through them."""
    mix = []
    for i, artifact in enumerate(ids["artifacts"]):
        execution = ids["executions"][i % len(ids["executions"])]
        mix += [
            ("list", "/api/artifacts?limit=50"),
            ("detail", f"/api/artifacts/{artifact}"),
            ("lineage", f"/api/lineage/artifact/{artifact}?direction=both"),
            ("list", "/api/executions?limit=50&order_by=create_time&descending=true"),
            ("detail", f"/api/executions/{execution}"),
            ("lineage", f"/api/lineage/artifact/{ids['anomalies']}?direction=upstream"),
        ]
    return mix


async def client(
    port: int, mix: list[tuple[str, str]], offset: int, stop: float, out: dict
) -> None:
    """One client: kept-alive connection, one request at a time, until ``stop``."""
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    i = offset
    try:
        while time.perf_counter() < stop:
            kind, path = mix[i % len(mix)]
            i += 1
            started = time.perf_counter()
            writer.write(f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode())
            try:
                head = await reader.readuntil(b"\r\n\r\n")
                status = int(head.split(b" ", 2)[1])
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
            except (asyncio.IncompleteReadError, ConnectionError, ValueError) as error:
                out["errors"] += 1
                out["kinds"][type(error).__name__] = out["kinds"].get(type(error).__name__, 0) + 1
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            out["latency"][kind].append(time.perf_counter() - started)
            if status != 200:
                out["errors"] += 1
                out["kinds"][f"HTTP {status}"] = out["kinds"].get(f"HTTP {status}", 0) + 1
    finally:
        writer.close()


async def load(port: int, mix: list, clients: int, duration: float) -> dict:
    out = {"errors": 0, "kinds": {}, "latency": {kind: [] for kind, _ in mix}}
    stop = time.perf_counter() + duration
    started = time.perf_counter()
    await asyncio.gather(*(client(port, mix, c * 7, stop, out) for c in range(clients)))
    out["seconds"] = time.perf_counter() - started
    return out


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds a process has used (Linux), or None."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000


def per_call(
    function: Callable[[], object], seconds: float = 2.0, count: list | None = None
) -> float:
    """Median milliseconds of one call, over batches for about ``seconds`` (the number of
    calls made is added to ``count[0]``)."""
    function()
    times = []
    stop = time.perf_counter() + seconds
    while time.perf_counter() < stop:
        started = time.perf_counter()
        for _ in range(10):
            function()
        times.append((time.perf_counter() - started) / 10)
    if count is not None:
        count[0] += 10 * len(times) + 1
    return statistics.median(times) * 1000


def overhead(url: str, port: int, ids: dict, pid: int) -> list[tuple]:
    """(call, local ms, remote ms, server CPU ms per remote call) for the same store calls."""
    import datajourney as dj

    artifact, anomalies = ids["artifacts"][len(ids["artifacts"]) // 2], ids["anomalies"]
    calls = {
        "get_artifacts(ids=[one])": lambda s: s.get_artifacts(ids=[artifact]),
        "artifacts(limit=50)": lambda s: s.artifacts(limit=50),
        "get_events(artifact)": lambda s: s.get_events(artifact_ids=[artifact]),
        "lineage(anomalies, upstream)": lambda s: s.lineage(anomalies, direction="upstream"),
        "find_type(ExampleStatistics)": lambda s: s.find_type(dj.ArtifactType, "Schema"),
    }
    rows = []
    with dj.MetadataStore(url) as local, dj.MetadataStore(f"http://127.0.0.1:{port}") as remote:
        for name, call in calls.items():
            alone = per_call(lambda c=call: c(local))
            count, before = [0], cpu_seconds(pid)
            far = per_call(lambda c=call: c(remote), count=count)
            after = cpu_seconds(pid)
            cpu = (after - before) / count[0] * 1000 if before is not None else float("nan")
            rows.append((name, alone, far, cpu))
    return rows


def _cpu(result: dict, total: int) -> str:
    """The server's CPU time per request: what the machine's load does not change much."""
    if "cpu" not in result or not total:
        return "Server CPU time per request: not measured (needs Linux and one worker)."
    per = result["cpu"] / total * 1000
    return (
        f"Server CPU time: {result['cpu']:.1f} s for {total} requests = **{per:.2f} ms per "
        f"request**, so one server process on a core of its own serves at most about "
        f"{1000 / per:.0f} requests/s of this mix."
    )


def _kinds(result: dict) -> str:
    kinds = result.get("kinds") or {}
    return " (" + ", ".join(f"{k}: {n}" for k, n in sorted(kinds.items())) + ")" if kinds else ""


def report(args, url: str, ids: dict, result: dict, rows: list, floor: dict) -> str:
    latency = result["latency"]
    total = sum(len(v) for v in latency.values())
    lines = [
        f"# Server: {args.clients} concurrent clients for {args.duration:.0f} s ({args.backend})",
        "",
        f"{datetime.date.today()}, {platform.machine()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}; `python benchmarks/server.py --backend {args.backend} "
        f"--duration {args.duration:.0f} --workers {args.workers}`. Store: the demo "
        f"(`run_demo`, {args.rows} rows, run twice: {len(ids['artifacts'])} artifacts, "
        f"{len(ids['executions'])} executions"
        + ("; written to SQLite, then copied into PostgreSQL" if args.backend != "sqlite" else "")
        + f"); `datajourney serve --workers {args.workers}`; "
        "the load generator (asyncio, kept-alive connections, no pause between requests) on "
        f"the same machine. Load average at the start: {args.load_before}. Goal: no errors, "
        "p99 < 50 ms for details.",
        "",
        f"Requests: {total} in {result['seconds']:.1f} s = **{total / result['seconds']:.0f} "
        f"requests/s**; errors: **{result['errors']}**{_kinds(result)}.",
        "",
        _cpu(result, total),
        "",
        "| request | count | p50 ms | p99 ms |",
        "|---|---:|---:|---:|",
    ]
    for kind in ("list", "detail", "lineage"):
        values = latency[kind]
        if values:
            lines.append(
                f"| {kind} | {len(values)} | {percentile(values, 50):.1f} | "
                f"{percentile(values, 99):.1f} |"
            )
    floor_values = floor["latency"]["health"]
    lines += [
        "",
        f"Floor, the same clients on `/api/health` (no store) for {args.floor_seconds:.0f} s: "
        f"{len(floor_values) / floor['seconds']:.0f} requests/s, p50 "
        f"{percentile(floor_values, 50):.1f} ms, p99 {percentile(floor_values, 99):.1f} ms, "
        f"errors {floor['errors']}{_kinds(floor)}. With {args.clients} clients always waiting, "
        f"p99 is at least about {args.clients} / (requests per second): the goal needs about "
        f"{args.clients / 0.05:.0f} requests/s.",
    ]
    lines += [
        "",
        "Remote store overhead per call (one client, median of batches; the same server, idle):",
        "",
        "| call | local ms | remote ms | overhead ms | server CPU ms per call |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, local, remote, cpu in rows:
        lines.append(
            f"| `{name}` | {local:.2f} | {remote:.2f} | {remote - local:.2f} | {cpu:.2f} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="Seconds of load.")
    parser.add_argument("--rows", type=int, default=2000, help="Demo rows.")
    parser.add_argument("--workers", type=int, default=1, help="Server processes.")
    parser.add_argument("--floor-seconds", type=float, default=10.0)
    parser.add_argument("--quick", action="store_true", help="Print only; write no results.")
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    args.load_before = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="dj-bench-server-") as tmp:
        url, ids = prepare_store(args.backend, Path(tmp), args.rows)
        port = free_port()
        server = start_server(url, port, args.workers)
        try:
            before = cpu_seconds(server.pid)
            result = asyncio.run(load(port, request_mix(ids), args.clients, args.duration))
            after = cpu_seconds(server.pid)
            if before is not None and after is not None and args.workers == 1:
                result["cpu"] = after - before
            floor = asyncio.run(load(port, FLOOR_MIX, args.clients, args.floor_seconds))
            rows = overhead(url, port, ids, server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)
    text = report(args, url, ids, result, rows, floor)
    print(text)
    if not args.quick:
        name = f"server_{args.backend}.md"  # server.md is the summary of both, by hand
        if args.workers > 1:
            name = name.replace(".md", f"_{args.workers}workers.md")
        out = args.out or HERE / "results" / name
        out.write_text(text)
        print(f"written to {out}")


if __name__ == "__main__":
    main()
