"""The metadata-store benchmark workload, for one implementation, printed as JSON.

Usage::

    python store_workload.py TARGET STORE [--artifacts N] [--chain N] [--batch N] ...

``TARGET`` is an import prefix of the ml-metadata API, ``ml_metadata`` (the real library, run
with the peer's interpreter) or ``datajourney.mlmd`` (the drop-in), or ``datajourney`` for
datajourney's native API. With an import prefix the workload uses only
``<prefix>.metadata_store.metadata_store`` and ``<prefix>.proto.metadata_store_pb2``, so the very
same code runs against both implementations. ``STORE`` is a SQLite file path or a PostgreSQL URL
``postgresql://user[:password]@host:port/NAME``. Each fresh store (one per bulk-insert repeat) is
the file with a suffix, or a new database ``NAME_<tag>`` on that server (created and dropped with
``psql``); every one is deleted at the end.

Each operation is timed with ``time.perf_counter`` (the best of ``--repeats`` runs for reads, of
``--bulk-repeats`` runs on a fresh store for bulk inserts, a single run for the execution chain).
An operation that raises is recorded with its error and the workload goes on.

This file runs under the peer's interpreter too: standard library only, besides the target (and
the ``psql`` client for PostgreSQL).
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.metadata
import json
import os
import platform
import random
import resource
import sqlite3
import subprocess
import sys
import time
import traceback
import urllib.parse
from collections.abc import Callable
from typing import Any

NATIVE = "datajourney"
ARTIFACT_TYPE = "DataSet"
CHAIN_ARTIFACT_TYPE = "Checkpoint"
EXECUTION_TYPE = "Trainer"
CONTEXT_TYPE = "PipelineRun"
# ml-metadata's SqliteMetadataSourceConfig.ConnectionMode.READWRITE_OPENCREATE
READWRITE_OPENCREATE = 3


def _dist_version(name: str) -> str:
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return "?"


class Skipped(Exception):
    """An operation could not run because one it depends on failed."""


# --------------------------------------------------------------------------------------------
# Where the stores live: each backend names a fresh store per tag, empties and drops it, and
# tells both APIs how to connect to it.
# --------------------------------------------------------------------------------------------


class SqliteFiles:
    """Stores as SQLite files ``<base>.<tag>.sqlite``."""

    def __init__(self, base: str) -> None:
        self.base = base

    def describe(self) -> str:
        return f"Python's sqlite3 module: SQLite {sqlite3.sqlite_version}"

    def name(self, tag: str) -> str:
        return f"{self.base}.{tag}.sqlite"

    def reset(self, name: str) -> None:
        """Make ``name`` a fresh, empty store."""
        self.drop(name)

    def drop(self, name: str) -> None:
        for suffix in ("", "-journal", "-wal", "-shm"):
            if os.path.exists(name + suffix):
                os.remove(name + suffix)

    def url(self, name: str) -> str:
        return f"sqlite:///{name}"

    def configure(self, config: Any, name: str) -> None:
        """Point an ml-metadata ``ConnectionConfig`` at the store ``name``."""
        config.sqlite.filename_uri = name
        config.sqlite.connection_mode = READWRITE_OPENCREATE


class PostgresDatabases:
    """Stores as databases ``<NAME>_<tag>`` on the server of ``postgresql://.../NAME``."""

    def __init__(self, url: str) -> None:
        parts = urllib.parse.urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 5432
        self.user = urllib.parse.unquote(parts.username or "postgres")
        self.password = urllib.parse.unquote(parts.password or "")
        self.prefix = parts.path.strip("/") or "dj_bench"

    def describe(self) -> str:
        settings = self._psql(
            "SELECT current_setting('server_version') || ', fsync ' || current_setting('fsync')"
            " || ', synchronous_commit ' || current_setting('synchronous_commit')"
        )
        return f"PostgreSQL server at {self.host}:{self.port}: {settings}"

    def name(self, tag: str) -> str:
        return f"{self.prefix}_{tag}".replace("-", "_")

    def reset(self, name: str) -> None:
        """Make ``name`` a fresh, empty database."""
        self.drop(name)
        self._psql(f'CREATE DATABASE "{name}"')

    def drop(self, name: str) -> None:
        self._psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def url(self, name: str) -> str:
        quote = urllib.parse.quote
        login = quote(self.user, safe="") + (
            f":{quote(self.password, safe='')}" if self.password else ""
        )
        return f"postgresql://{login}@{self.host}:{self.port}/{name}"

    def configure(self, config: Any, name: str) -> None:
        """Point an ml-metadata ``ConnectionConfig`` at the database ``name``."""
        pg = config.postgresql
        pg.host, pg.port, pg.user, pg.dbname = self.host, str(self.port), self.user, name
        if self.password:
            pg.password = self.password
        pg.skip_db_creation = True

    def _psql(self, sql: str) -> str:
        """Run ``sql`` through the server's ``postgres`` database; its output."""
        cmd = ["psql", "-X", "-At", "-v", "ON_ERROR_STOP=1", "-d", self.url("postgres"), "-c", sql]
        done = subprocess.run(cmd, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"psql {sql!r} failed: {done.stderr.strip()}")
        return done.stdout.strip()


Stores = SqliteFiles | PostgresDatabases

# --------------------------------------------------------------------------------------------
# The two APIs behind one small interface. Each method is one user-level operation; the
# workload times the calls, never the preparation of their arguments.
# --------------------------------------------------------------------------------------------


class ProtoApi:
    """ml-metadata's API (``ml_metadata`` or ``datajourney.mlmd``)."""

    def __init__(self, prefix: str) -> None:
        self.ms = importlib.import_module(f"{prefix}.metadata_store.metadata_store")
        self.pb = importlib.import_module(f"{prefix}.proto.metadata_store_pb2")
        self.prefix = prefix
        self.store: Any = None
        self.notes: set[str] = set()

    def version(self) -> str:
        """The installed distribution's version (ml-metadata, or datajourney for the drop-in)."""
        return _dist_version(self.prefix.split(".")[0].replace("_", "-"))

    def open(self, stores: Stores, name: str) -> None:
        config = self.pb.ConnectionConfig()
        stores.configure(config, name)
        self.store = self.ms.MetadataStore(config)

    def close(self) -> None:
        self.store = None
        gc.collect()

    def put_types(self) -> dict[str, int]:
        pb = self.pb
        dataset = pb.ArtifactType(name=ARTIFACT_TYPE)
        dataset.properties["rows"] = pb.INT
        dataset.properties["split"] = pb.STRING
        dataset.properties["score"] = pb.DOUBLE
        checkpoint = pb.ArtifactType(name=CHAIN_ARTIFACT_TYPE)
        checkpoint.properties["step"] = pb.INT
        trainer = pb.ExecutionType(name=EXECUTION_TYPE)
        trainer.properties["step"] = pb.INT
        run = pb.ContextType(name=CONTEXT_TYPE)
        return {
            "dataset": self.store.put_artifact_type(dataset),
            "checkpoint": self.store.put_artifact_type(checkpoint),
            "trainer": self.store.put_execution_type(trainer),
            "run": self.store.put_context_type(run),
        }

    def make_artifacts(self, type_id: int, start: int, stop: int) -> list:
        out = []
        for i in range(start, stop):
            a = self.pb.Artifact(type_id=type_id, uri=f"/data/set-{i}")
            a.properties["rows"].int_value = i
            a.properties["split"].string_value = "train" if i % 4 else "eval"
            a.properties["score"].double_value = i / 7.0
            out.append(a)
        return out

    def put_artifacts(self, artifacts: list) -> list[int]:
        return list(self.store.put_artifacts(artifacts))

    def get_by_type(self) -> int:
        return len(self.store.get_artifacts_by_type(ARTIFACT_TYPE))

    def get_by_id(self, ids: list[int]) -> int:
        return len(self.store.get_artifacts_by_id(ids))

    # The chain -----------------------------------------------------------------------------

    def chain_seed(self, type_ids: dict[str, int]) -> tuple[Any, Any]:
        """The first step's input artifact and the context, written before the timing."""
        pb = self.pb
        seed = pb.Artifact(type_id=type_ids["checkpoint"], uri="/chain/step-0")
        seed.properties["step"].int_value = 0
        [seed.id] = self.store.put_artifacts([seed])
        context = pb.Context(type_id=type_ids["run"], name="chain-run")
        [context.id] = self.store.put_contexts([context])
        return seed, context

    def chain_step_args(self, type_ids: dict[str, int], step: int) -> tuple[Any, Any]:
        pb = self.pb
        execution = pb.Execution(
            type_id=type_ids["trainer"], last_known_state=pb.Execution.COMPLETE
        )
        execution.properties["step"].int_value = step
        output = pb.Artifact(type_id=type_ids["checkpoint"], uri=f"/chain/step-{step}")
        output.properties["step"].int_value = step
        return execution, output

    def chain_step(self, execution: Any, previous: Any, output: Any, context: Any) -> Any:
        pb = self.pb
        _, artifact_ids, _ = self.store.put_execution(
            execution,
            [(previous, pb.Event(type=pb.Event.INPUT)), (output, pb.Event(type=pb.Event.OUTPUT))],
            [context],
        )
        output.id = artifact_ids[1]
        return output

    def walk_upstream(self, artifact_id: int) -> tuple[list[int], list[int]]:
        """Back to the start, hop by hop, the way MLMD users do it; (artifact ids, execution
        ids)."""
        pb, store = self.pb, self.store
        artifacts, executions = [artifact_id], []
        frontier = [artifact_id]
        while frontier:
            events = store.get_events_by_artifact_ids(frontier)
            producers = sorted({e.execution_id for e in events if e.type == pb.Event.OUTPUT})
            if not producers:
                break
            executions += producers
            events = store.get_events_by_execution_ids(producers)
            frontier = sorted({e.artifact_id for e in events if e.type == pb.Event.INPUT})
            artifacts += frontier
        return artifacts, executions

    def full_lineage(self, artifact_id: int) -> str:
        """ml-metadata's fastest way to what ``store.lineage`` answers for a long chain: the
        event walk (get_lineage_subgraph stops at 100 hops), then the nodes it found, with
        their properties (the contexts they belong to are left out: one call per node)."""
        artifact_ids, execution_ids = self.walk_upstream(artifact_id)
        artifacts = self.store.get_artifacts_by_id(artifact_ids)
        executions = self.store.get_executions_by_id(execution_ids)
        return f"{len(artifacts)} artifacts, {len(executions)} executions"

    def lineage_subgraph(self, artifact_id: int, hops: int) -> str:
        pb = self.pb
        options = pb.LineageSubgraphQueryOptions(
            max_num_hops=hops, direction=pb.LineageSubgraphQueryOptions.UPSTREAM
        )
        options.starting_artifacts.filter_query = f"id = {artifact_id}"
        graph = self.store.get_lineage_subgraph(options)
        return (
            f"{len(graph.artifacts)} artifacts, {len(graph.executions)} executions, "
            f"{len(graph.events)} events"
        )


class NativeApi:
    """datajourney's native API (``datajourney.MetadataStore`` and its dataclasses)."""

    def __init__(self) -> None:
        self.dj = importlib.import_module(NATIVE)
        self.store: Any = None
        self.notes: set[str] = set()

    def version(self) -> str:
        return _dist_version(NATIVE)

    def open(self, stores: Stores, name: str) -> None:
        self.store = self.dj.MetadataStore(stores.url(name))

    def close(self) -> None:
        if self.store is not None:
            self.store.close()
        self.store = None
        gc.collect()

    def put_types(self) -> dict[str, int]:
        dj = self.dj
        p = dj.PropertyType
        return {
            "dataset": self.store.put_type(
                dj.ArtifactType(
                    ARTIFACT_TYPE, {"rows": p.INT, "split": p.STRING, "score": p.DOUBLE}
                )
            ),
            "checkpoint": self.store.put_type(
                dj.ArtifactType(CHAIN_ARTIFACT_TYPE, {"step": p.INT})
            ),
            "trainer": self.store.put_type(dj.ExecutionType(EXECUTION_TYPE, {"step": p.INT})),
            "run": self.store.put_type(dj.ContextType(CONTEXT_TYPE)),
        }

    def make_artifacts(self, type_id: int, start: int, stop: int) -> list:
        artifact = self.dj.Artifact
        return [
            artifact(
                type_id=type_id,
                uri=f"/data/set-{i}",
                properties={"rows": i, "split": "train" if i % 4 else "eval", "score": i / 7.0},
            )
            for i in range(start, stop)
        ]

    def put_artifacts(self, artifacts: list) -> list[int]:
        return self.store.put(artifacts)

    def get_by_type(self) -> int:
        return len(self.store.get_artifacts(type_name=ARTIFACT_TYPE))

    def get_by_id(self, ids: list[int]) -> int:
        return len(self.store.get_artifacts(ids=ids))

    def chain_seed(self, type_ids: dict[str, int]) -> tuple[Any, Any]:
        dj = self.dj
        seed = dj.Artifact(
            type_id=type_ids["checkpoint"], uri="/chain/step-0", properties={"step": 0}
        )
        [seed.id] = self.store.put([seed])
        context = dj.Context(type_id=type_ids["run"], name="chain-run")
        [context.id] = self.store.put([context])
        return seed, context

    def chain_step_args(self, type_ids: dict[str, int], step: int) -> tuple[Any, Any]:
        dj = self.dj
        execution = dj.Execution(
            type_id=type_ids["trainer"],
            last_known_state=dj.ExecutionState.COMPLETE,
            properties={"step": step},
        )
        output = dj.Artifact(
            type_id=type_ids["checkpoint"], uri=f"/chain/step-{step}", properties={"step": step}
        )
        return execution, output

    def chain_step(self, execution: Any, previous: Any, output: Any, context: Any) -> Any:
        dj = self.dj
        _, artifact_ids, _ = self.store.put_execution(
            execution,
            [
                (previous, dj.Event(type=dj.EventType.INPUT)),
                (output, dj.Event(type=dj.EventType.OUTPUT)),
            ],
            [context],
        )
        output.id = artifact_ids[1]
        return output

    def walk_upstream(self, artifact_id: int) -> tuple[list[int], list[int]]:
        store, event_type = self.store, self.dj.EventType
        artifacts, executions = [artifact_id], []
        frontier = [artifact_id]
        while frontier:
            events = store.get_events(artifact_ids=frontier)
            producers = sorted({e.execution_id for e in events if e.type == event_type.OUTPUT})
            if not producers:
                break
            executions += producers
            events = store.get_events(execution_ids=producers)
            frontier = sorted({e.artifact_id for e in events if e.type == event_type.INPUT})
            artifacts += frontier
        return artifacts, executions

    def full_lineage(self, artifact_id: int) -> str:
        """The whole upstream lineage in one call: nodes with their properties, events and
        the contexts involved."""
        graph = self.store.lineage(artifact_id, "upstream")
        return f"{len(graph.artifacts)} artifacts, {len(graph.executions)} executions"

    def lineage_subgraph(self, artifact_id: int, hops: int) -> str:
        """``store.lineage(id, "upstream", max_hops=hops)``."""
        graph = self.store.lineage(artifact_id, "upstream", max_hops=hops)
        via = "measured with store.lineage(id, 'upstream', max_hops=...)"
        counts = [
            f"{len(getattr(graph, name))} {name}"
            for name in ("artifacts", "executions", "events")
            if hasattr(graph, name)
        ]
        self.notes.add(f"get_lineage_subgraph rows: {via}")
        return ", ".join(counts) or type(graph).__name__


# --------------------------------------------------------------------------------------------
# The workload
# --------------------------------------------------------------------------------------------


class Recorder:
    """Collects one result per operation: best seconds, or the error."""

    def __init__(self) -> None:
        self.results: list[dict[str, Any]] = []
        self.failed: set[str] = set()

    def add(
        self,
        key: str,
        times: list[float] | None = None,
        detail: str = "",
        error: BaseException | None = None,
        ops: int = 1,
    ) -> None:
        entry: dict[str, Any] = {"op": key, "detail": detail, "ops": ops}
        if error is not None:
            self.failed.add(key)
            entry["error"] = _describe(error)
            if not isinstance(error, Skipped | NotImplementedError):
                entry["traceback"] = traceback.format_exception(error)[-6:]
        else:
            assert times
            entry["seconds"] = min(times)
            entry["all_seconds"] = times
        self.results.append(entry)
        status = entry.get("error") or f"{entry['seconds']:.4f}s {detail}"
        print(f"  {key}: {status}", file=sys.stderr, flush=True)

    def needs(self, *keys: str) -> None:
        missing = [k for k in keys if k in self.failed]
        if missing:
            raise Skipped(f"skipped: {', '.join(missing)} failed")


def _describe(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    first = text[0] if text else ""
    if isinstance(error, Skipped):
        return first
    return f"{type(error).__name__}: {first}"[:300]


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    value = fn()
    return time.perf_counter() - start, value


def run(api: ProtoApi | NativeApi, stores: Stores, args: argparse.Namespace) -> Recorder:
    """The whole workload; every store it made is dropped at the end, whatever happens."""
    names: list[str] = []  # the stores that exist, oldest first
    try:
        return _workload(api, stores, names, args)
    finally:
        api.close()
        for name in names:
            stores.drop(name)


def _workload(
    api: ProtoApi | NativeApi,
    stores: Stores,
    names: list[str],
    args: argparse.Namespace,
) -> Recorder:
    rec = Recorder()
    n, batch = args.artifacts, args.batch
    current_types: dict[str, int] = {}
    good: dict[str, Any] = {}  # the last store whose bulk insert succeeded: name, ids

    def drop(name: str) -> None:
        stores.drop(name)
        names.remove(name)

    def new_store(tag: str) -> dict[str, int]:
        api.close()
        for old in [name for name in names if name != good.get("name")]:
            drop(old)
        name = stores.name(tag)
        stores.reset(name)
        names.append(name)
        api.open(stores, name)
        current_types.clear()
        current_types.update(api.put_types())
        return current_types

    def succeeded(ids: list[int]) -> None:
        if len(ids) != n:
            raise AssertionError(f"put_artifacts returned {len(ids)} ids, expected {n}")
        if good.get("name") not in (None, names[-1]):
            drop(good["name"])
        good.update(name=names[-1], ids=ids)

    # Bulk inserts, each repeat on a fresh store. -----------------------------------------
    try:
        times = []
        for r in range(args.bulk_repeats):
            type_ids = new_store(f"one-{r}")
            artifacts = api.make_artifacts(type_ids["dataset"], 0, n)
            gc.collect()
            seconds, ids = _timed(lambda artifacts=artifacts: api.put_artifacts(artifacts))
            times.append(seconds)
            del artifacts
            succeeded(ids)
        rec.add("put_artifacts_one_call", times, f"{n} artifacts", ops=n)
    except Exception as exc:
        rec.add("put_artifacts_one_call", error=exc)

    try:
        times = []
        for r in range(args.bulk_repeats):
            type_ids = new_store(f"batched-{r}")
            batches = [
                api.make_artifacts(type_ids["dataset"], start, min(start + batch, n))
                for start in range(0, n, batch)
            ]
            gc.collect()
            start = time.perf_counter()
            ids = [i for part in batches for i in api.put_artifacts(part)]
            times.append(time.perf_counter() - start)
            del batches
            succeeded(ids)
        rec.add("put_artifacts_batched", times, f"{n} artifacts, {batch} per call", ops=n)
    except Exception as exc:
        rec.add("put_artifacts_batched", error=exc)

    # Reads and the chain, on the last store whose bulk insert succeeded. ----------------
    ids = good.get("ids", [])
    if ids and names[-1] != good["name"]:
        api.close()
        api.open(stores, good["name"])
        current_types.clear()
        current_types.update(api.put_types())  # an identical type: returns the stored ids

    def best(key: str, fn: Callable[[], Any], expect: int, detail: str, ops: int = 1) -> None:
        try:
            if not ids:
                raise Skipped("skipped: the bulk inserts failed")
            times = []
            for _ in range(args.repeats):
                seconds, count = _timed(fn)
                times.append(seconds)
                if count != expect:
                    raise AssertionError(f"returned {count} items, expected {expect}")
            rec.add(key, times, detail, ops=ops)
        except Exception as exc:
            rec.add(key, error=exc)

    best("get_artifacts_by_type", api.get_by_type, n, f"{n} artifacts", ops=n)
    sample = random.Random(args.seed).sample(ids, min(args.random_ids, len(ids))) if ids else []
    best(
        "get_artifacts_by_id_random",
        lambda: api.get_by_id(sample),
        len(sample),
        f"{len(sample)} random ids",
        ops=len(sample),
    )
    best("get_artifacts_by_id_all", lambda: api.get_by_id(ids), n, f"{n} ids", ops=n)

    # The put_execution chain, in the same store. -----------------------------------------
    steps = args.chain
    last_id = None
    try:
        if api.store is None or not current_types:
            raise Skipped("skipped: no store")
        type_ids = current_types
        previous, context = api.chain_seed(type_ids)
        prepared = [api.chain_step_args(type_ids, step) for step in range(1, steps + 1)]
        gc.collect()
        start = time.perf_counter()
        for execution, output in prepared:
            previous = api.chain_step(execution, previous, output, context)
        seconds = time.perf_counter() - start
        last_id = previous.id
        rec.add("put_execution_chain", [seconds], f"{steps} steps", ops=steps)
    except Exception as exc:
        rec.add("put_execution_chain", error=exc)

    def chain_read(key: str, fn: Callable[[], str], detail: str) -> None:
        try:
            rec.needs("put_execution_chain")
            times, found = [], ""
            for _ in range(args.repeats):
                seconds, found = _timed(fn)
                times.append(seconds)
            rec.add(key, times, f"{detail}: {found}")
        except Exception as exc:
            rec.add(key, error=exc)

    def walk() -> str:
        found = tuple(len(ids) for ids in api.walk_upstream(last_id))
        if found != (steps + 1, steps):
            raise AssertionError(f"walk found {found}, expected ({steps + 1}, {steps})")
        return f"{found[0]} artifacts, {found[1]} executions"

    chain_read("upstream_walk_events", walk, f"{2 * steps} event calls")
    chain_read("lineage_full_chain", lambda: api.full_lineage(last_id), "whole chain")
    hops = 2 * steps + 2
    chain_read(
        "lineage_subgraph_full",
        lambda: api.lineage_subgraph(last_id, hops),
        f"max_num_hops={hops}",
    )
    chain_read(
        "lineage_subgraph_100",
        lambda: api.lineage_subgraph(last_id, 100),
        "max_num_hops=100",
    )
    return rec


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("target", help="ml_metadata | datajourney.mlmd | datajourney (native)")
    parser.add_argument(
        "store", help="SQLite file path, or postgresql://user@host:port/NAME (a database per store)"
    )
    parser.add_argument("--artifacts", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--random-ids", type=int, default=1_000)
    parser.add_argument("--chain", type=int, default=2_000)
    parser.add_argument("--repeats", type=int, default=5, help="runs of each read (best kept)")
    parser.add_argument(
        "--bulk-repeats", type=int, default=3, help="runs of each bulk insert, fresh store each"
    )
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", help="write the JSON here instead of stdout")
    args = parser.parse_args(argv)

    print(f"[{args.target}] workload", file=sys.stderr, flush=True)
    api = NativeApi() if args.target == NATIVE else ProtoApi(args.target)
    started = time.perf_counter()
    stores = (
        PostgresDatabases(args.store)
        if args.store.startswith("postgresql://")
        else SqliteFiles(args.store)
    )
    rec = run(api, stores, args)
    report = {
        "target": args.target,
        "api": "native" if args.target == NATIVE else "ml-metadata",
        "version": api.version(),
        "python": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "backend": stores.describe(),
        "sizes": {
            "artifacts": args.artifacts,
            "batch": args.batch,
            "random_ids": args.random_ids,
            "chain": args.chain,
            "repeats": args.repeats,
            "bulk_repeats": args.bulk_repeats,
        },
        "results": rec.results,
        "notes": sorted(api.notes),
        # ru_maxrss is KiB on Linux, bytes on macOS.
        "peak_rss_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        // (1024 if sys.platform == "darwin" else 1),
        "wall_seconds": time.perf_counter() - started,
    }
    text = json.dumps(report, indent=1)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text)
    else:
        print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
