"""Per-call speed of the ml-metadata API: ml-metadata 1.17.1 and datajourney.mlmd, call by call,
in process and over gRPC, in one run, as a results table.

``make bench`` runs this file. It runs the same small-call workload (``--worker``, below) in
separate processes (ml-metadata and datajourney define the same proto package, so they never
share one):

* in process: ``ml_metadata`` (ml-metadata 1.17.1, the peer interpreter from ``.peers/mlmd``,
  created by ``tests/peer.py`` if missing) and ``datajourney.mlmd`` (this interpreter), each on
  a SQLite file of its own;
* over gRPC: ml-metadata's own client (the peer interpreter) against two servers of
  ``MetadataStoreService``, each over a SQLite file: ml-metadata's C++ store behind gRPC
  (``tests/mlmd/differential/mlmd_server.py``: the wheel ships no ``metadata_store_server``
  binary, so the C++ methods the binary wraps are served by grpcio) and ``datajourney
  serve-mlmd``.

Each call is timed one by one, ``--repeats`` runs of ``--calls`` calls in a row, in ``--rounds``
rounds where the sides take turns (each on fresh stores), so both meet the same load; a call's
time is its median, from the round where that was smaller. The table
(microseconds per call in process, calls per second over gRPC, and the ratio ml-metadata time /
datajourney time: above 1 means datajourney is faster) goes to
``benchmarks/results/mlmd_calls.md`` (``--quick`` runs print only unless ``--out`` is given).

The worker (``--worker TARGET STORE [--grpc HOST:PORT]``) runs under either interpreter with
the standard library and the target only, and prints JSON.
"""

from __future__ import annotations

import argparse
import datetime
import gc
import importlib
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
OUT = HERE / "results" / "mlmd_calls.md"
PEER = "ml_metadata"
DROP_IN = "datajourney.mlmd"
CHAIN = 200  # put_execution steps written before the timing (one context holds them all)
DATASETS = 1_000  # DataSet artifacts written before the timing

# key, label, over gRPC too
CALLS = [
    ("get_artifact_type", "get_artifact_type", False),
    ("get_artifacts_by_id", "get_artifacts_by_id, 1 id", True),
    ("get_executions_by_id", "get_executions_by_id, 1 id", False),
    ("get_contexts_by_id", "get_contexts_by_id, 1 id", False),
    ("get_events_by_artifact_ids", "get_events_by_artifact_ids, 1 id", True),
    ("get_events_by_execution_ids", "get_events_by_execution_ids, 1 id", True),
    ("get_artifacts_by_uri", "get_artifacts_by_uri", False),
    ("get_context_by_type_and_name", "get_context_by_type_and_name", False),
    ("get_contexts_by_artifact", "get_contexts_by_artifact", True),
    ("get_artifacts_by_context_10", "get_artifacts_by_context, limit 10", False),
    ("get_executions_by_context_10", "get_executions_by_context, limit 10", False),
    ("get_artifacts_filter", "get_artifacts, filter query on a property, limit 10", False),
    ("get_artifacts_by_type_201", f"get_artifacts_by_type ({CHAIN + 1} artifacts)", True),
    ("get_lineage_subgraph_10", "get_lineage_subgraph UPSTREAM, 10 hops", False),
    ("put_artifacts_1", "put_artifacts, 1 new artifact", True),
    ("put_artifacts_update_1", "put_artifacts, 1 update", False),
    ("put_execution", "put_execution, 1 input, 1 output, 1 context", True),
    ("put_attributions", "put_attributions_and_associations, 1 each", False),
]


# --------------------------------------------------------------------------------------------
# The worker: one implementation, standard library only besides the target.
# --------------------------------------------------------------------------------------------


def _worker(target: str, store_path: str, grpc_address: str | None, calls: int, repeats: int):
    ms = importlib.import_module(f"{target}.metadata_store.metadata_store")
    pb = importlib.import_module(f"{target}.proto.metadata_store_pb2")
    if grpc_address:
        host, port = grpc_address.rsplit(":", 1)
        config = pb.MetadataStoreClientConfig(host=host, port=int(port))
    else:
        config = pb.ConnectionConfig()
        config.sqlite.filename_uri = store_path
        config.sqlite.connection_mode = 3  # READWRITE_OPENCREATE
    store = ms.MetadataStore(config)

    dataset = pb.ArtifactType(name="DataSet")
    for name, kind in (("rows", pb.INT), ("split", pb.STRING), ("score", pb.DOUBLE)):
        dataset.properties[name] = kind
    checkpoint = pb.ArtifactType(name="Checkpoint")
    checkpoint.properties["step"] = pb.INT
    trainer = pb.ExecutionType(name="Trainer")
    trainer.properties["step"] = pb.INT
    dataset_id = store.put_artifact_type(dataset)
    checkpoint_id = store.put_artifact_type(checkpoint)
    trainer_id = store.put_execution_type(trainer)
    run_id = store.put_context_type(pb.ContextType(name="PipelineRun"))

    def new_dataset(i: int) -> Any:
        a = pb.Artifact(type_id=dataset_id, uri=f"/data/set-{i}")
        a.properties["rows"].int_value = i
        a.properties["split"].string_value = "train" if i % 4 else "eval"
        a.properties["score"].double_value = i / 7.0
        return a

    dataset_ids = store.put_artifacts([new_dataset(i) for i in range(DATASETS)])
    previous = pb.Artifact(type_id=checkpoint_id, uri="/chain/step-0")
    previous.properties["step"].int_value = 0
    [previous.id] = store.put_artifacts([previous])
    context = pb.Context(type_id=run_id, name="chain-run")
    [context.id] = store.put_contexts([context])
    execution_ids = []
    for step in range(1, CHAIN + 1):
        execution = pb.Execution(type_id=trainer_id, last_known_state=pb.Execution.COMPLETE)
        execution.properties["step"].int_value = step
        output = pb.Artifact(type_id=checkpoint_id, uri=f"/chain/step-{step}")
        output.properties["step"].int_value = step
        execution_id, ids, _ = store.put_execution(
            execution,
            [(previous, pb.Event(type=pb.Event.INPUT)), (output, pb.Event(type=pb.Event.OUTPUT))],
            [context],
        )
        output.id = ids[1]
        execution_ids.append(execution_id)
        previous = output
    last, middle_execution = previous.id, execution_ids[CHAIN // 2]
    limit10 = ms.ListOptions(limit=10)
    by_filter = ms.ListOptions(
        limit=10, filter_query="type = 'DataSet' AND properties.rows.int_value > 500"
    )
    subgraph = pb.LineageSubgraphQueryOptions(
        max_num_hops=10, direction=pb.LineageSubgraphQueryOptions.UPSTREAM
    )
    subgraph.starting_artifacts.filter_query = f"id = {last}"

    # Arguments of the writes, made before each timed run.
    def new_artifacts() -> list:
        return [[new_dataset(DATASETS + i)] for i in range(calls)]

    rounds = [0]

    def updates() -> list:  # each run changes the value (an unchanged one may write nothing)
        rounds[0] += 1
        found = store.get_artifacts_by_id(dataset_ids[:calls])
        for i, a in enumerate(found):
            a.properties["rows"].int_value = -(rounds[0] * DATASETS + i)
        return [[a] for a in found]

    def executions() -> list:
        out = []
        for i in range(calls):
            execution = pb.Execution(type_id=trainer_id, last_known_state=pb.Execution.COMPLETE)
            execution.properties["step"].int_value = i
            read = pb.Artifact(id=dataset_ids[i % len(dataset_ids)])
            made = pb.Artifact(type_id=checkpoint_id, uri=f"/extra/{i}")
            out.append((execution, read, made))
        return out

    def links() -> list:
        fresh = store.put_contexts(
            [pb.Context(type_id=run_id, name=f"links-{time.time_ns()}-{i}") for i in range(calls)]
        )
        return [
            (
                [pb.Attribution(context_id=c, artifact_id=dataset_ids[0])],
                [pb.Association(context_id=c, execution_id=execution_ids[0])],
            )
            for c in fresh
        ]

    reads: dict[str, Callable[[], Any]] = {
        "get_artifact_type": lambda: store.get_artifact_type("DataSet"),
        "get_artifacts_by_id": lambda: store.get_artifacts_by_id([last]),
        "get_executions_by_id": lambda: store.get_executions_by_id([middle_execution]),
        "get_contexts_by_id": lambda: store.get_contexts_by_id([context.id]),
        "get_events_by_artifact_ids": lambda: store.get_events_by_artifact_ids([last]),
        "get_events_by_execution_ids": lambda: store.get_events_by_execution_ids(
            [middle_execution]
        ),
        "get_artifacts_by_uri": lambda: store.get_artifacts_by_uri("/chain/step-7"),
        "get_context_by_type_and_name": lambda: store.get_context_by_type_and_name(
            "PipelineRun", "chain-run"
        ),
        "get_contexts_by_artifact": lambda: store.get_contexts_by_artifact(last),
        "get_artifacts_by_context_10": lambda: store.get_artifacts_by_context(
            context.id, list_options=limit10
        ),
        "get_executions_by_context_10": lambda: store.get_executions_by_context(
            context.id, list_options=limit10
        ),
        "get_artifacts_filter": lambda: store.get_artifacts(list_options=by_filter),
        "get_artifacts_by_type_201": lambda: store.get_artifacts_by_type("Checkpoint"),
        "get_lineage_subgraph_10": lambda: store.get_lineage_subgraph(subgraph),
    }
    writes: dict[str, tuple[Callable[[], list], Callable[[Any], Any]]] = {
        "put_artifacts_1": (new_artifacts, store.put_artifacts),
        "put_artifacts_update_1": (updates, store.put_artifacts),
        "put_execution": (
            executions,
            lambda args: store.put_execution(
                args[0],
                [
                    (args[1], pb.Event(type=pb.Event.INPUT)),
                    (args[2], pb.Event(type=pb.Event.OUTPUT)),
                ],
                [context],
            ),
        ),
        "put_attributions": (links, lambda args: store.put_attributions_and_associations(*args)),
    }

    results: dict[str, Any] = {}
    only = {key for key, _, remote in CALLS if remote or not grpc_address}
    for key, _, _ in CALLS:
        if key not in only:
            continue
        try:
            times: list[float] = []
            clock = time.perf_counter
            for _ in range(repeats):
                if key in reads:
                    fn = reads[key]
                    fn()  # warm
                    gc.collect()
                    for _ in range(calls):
                        start = clock()
                        fn()
                        times.append(clock() - start)
                else:
                    make, call = writes[key]
                    prepared = make()
                    gc.collect()
                    for args in prepared:
                        start = clock()
                        call(args)
                        times.append(clock() - start)
            times.sort()
            results[key] = {"seconds_per_call": times[len(times) // 2], "count": len(times)}
        except Exception as error:  # recorded, the others go on
            results[key] = {"error": f"{type(error).__name__}: {str(error)[:200]}"}
        print(
            f"  [{target}{' grpc' if grpc_address else ''}] {key}: {results[key]}", file=sys.stderr
        )
    return {
        "target": target,
        "python": platform.python_version(),
        "calls": calls,
        "repeats": repeats,
        "results": results,
    }


# --------------------------------------------------------------------------------------------
# The orchestrator
# --------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for_port(port: int, process: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"no server on port {port} after {seconds:.0f} s")


def _run_worker(python: str, args: list[str]) -> dict:
    cmd = [python, str(Path(__file__).resolve()), "--worker", *args]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stderr[-3000:]}")
    sys.stderr.write("".join(line + "\n" for line in done.stderr.splitlines() if "  [" in line))
    return json.loads(done.stdout)


def _peer_server(python: str) -> tuple[subprocess.Popen, int]:
    """ml-metadata's C++ store behind gRPC (the peer's interpreter); the process and its port."""
    script = REPO_ROOT / "tests" / "mlmd" / "differential" / "mlmd_server.py"
    process = subprocess.Popen(
        [python, str(script), "1"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    port = int(process.stdout.readline().strip())
    return process, port


def _our_server(folder: str, round_: int) -> tuple[subprocess.Popen, int]:
    port = _free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "datajourney.cli",
            "serve-mlmd",
            "--store",
            f"sqlite:///{folder}/served-{round_}.sqlite",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    _wait_for_port(port, process)
    return process, port


def _stop(process: subprocess.Popen) -> None:
    if process.stdin:
        process.stdin.close()
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def _merge(sides: dict, key: str, report: dict) -> None:
    """Add a round's report: per call, the smaller median of the rounds (an error only when
    every round failed)."""
    kept = sides.setdefault(key, {**report, "results": {}})["results"]
    for call, result in report["results"].items():
        old = kept.get(call)
        faster = "error" not in result and (
            old is None or "error" in old or result["seconds_per_call"] < old["seconds_per_call"]
        )
        if old is None or faster:
            kept[call] = result


def _fmt_us(result: dict) -> str:
    if "error" in result:
        return f"error: {result['error']}"
    return f"{result['seconds_per_call'] * 1e6:,.0f} µs"


def _fmt_rate(result: dict) -> str:
    if "error" in result:
        return f"error: {result['error']}"
    return f"{1 / result['seconds_per_call']:,.0f} /s"


def _ratio(peer: dict, ours: dict) -> str:
    if "seconds_per_call" not in peer or "seconds_per_call" not in ours:
        return "-"
    ratio = peer["seconds_per_call"] / ours["seconds_per_call"]
    return f"**{ratio:.2f}x**" if ratio >= 1 else f"{ratio:.2f}x"


def _table(args: argparse.Namespace, sides: dict[str, dict], load: tuple) -> str:
    lines = [
        "# ml-metadata API, call by call: datajourney.mlmd vs ml-metadata 1.17.1",
        "",
        "Generated by `python benchmarks/mlmd_calls.py`; do not edit by hand.",
        "",
        f"- date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.system()} {platform.release()} {platform.machine()}, "
        f"{os.cpu_count()} CPUs",
        f"- load average (1, 5, 15 min): {load[0]} before the run, {load[1]} after "
        "(other work on the machine makes the numbers noisier)",
        f"- sizes: {DATASETS:,} DataSet artifacts (3 properties) and a chain of {CHAIN} "
        "put_execution steps in one context, written before the timing. Each call is timed "
        f"one by one: {args.repeats} runs of {args.calls} calls in a row (writes: fresh "
        f"arguments each) per round, {args.rounds} rounds with the sides taking turns (fresh "
        "stores each round); shown: the median call, from the round where it was smaller",
        "",
        "## In process (each side on a SQLite file of its own)",
        "",
        "Ratio: ml-metadata time / datajourney time; **above 1 means datajourney is faster**.",
        "",
        "| call | ml-metadata 1.17.1 | datajourney.mlmd | ratio |",
        "|---|--:|--:|--:|",
    ]
    for key, label, _ in CALLS:
        peer, ours = sides["peer"]["results"][key], sides["ours"]["results"][key]
        lines.append(f"| {label} | {_fmt_us(peer)} | {_fmt_us(ours)} | {_ratio(peer, ours)} |")
    if "peer_grpc" in sides:
        lines += [
            "",
            "## Over gRPC (ml-metadata's own Python client against each server)",
            "",
            "Servers of ml-metadata's `MetadataStoreService`, each over a SQLite file: "
            "ml-metadata's C++ store behind gRPC (the wheel ships no `metadata_store_server` "
            "binary; `tests/mlmd/differential/mlmd_server.py` serves the same C++ methods the "
            "binary wraps, with grpcio) and `datajourney serve-mlmd`. One client, one call at a "
            "time: calls per second, ratio above 1 means datajourney's server is faster.",
            "",
            "| call | ml-metadata C++ store over gRPC | datajourney serve-mlmd | ratio |",
            "|---|--:|--:|--:|",
        ]
        for key, label, remote in CALLS:
            if remote:
                peer, ours = sides["peer_grpc"]["results"][key], sides["ours_grpc"]["results"][key]
                lines.append(
                    f"| {label} | {_fmt_rate(peer)} | {_fmt_rate(ours)} | {_ratio(peer, ours)} |"
                )
    elif "grpc_skipped" in sides:
        lines += ["", f"gRPC rows skipped: {sides['grpc_skipped']}"]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--worker", nargs=2, metavar=("TARGET", "STORE"), help=argparse.SUPPRESS)
    parser.add_argument("--grpc", help=argparse.SUPPRESS)
    parser.add_argument("--calls", type=int, default=200, help="calls in a row per run")
    parser.add_argument("--repeats", type=int, default=2, help="runs of each call per round")
    parser.add_argument("--rounds", type=int, default=2, help="rounds, sides alternating")
    parser.add_argument("--quick", action="store_true", help="30 calls, 1 round; print only")
    parser.add_argument("--no-grpc", action="store_true", help="in-process rows only")
    parser.add_argument("--mlmd-python", help="the interpreter with ml-metadata 1.17.1")
    parser.add_argument("--out", help=f"write the table here (default for full runs: {OUT})")
    args = parser.parse_args(argv)
    if args.quick:
        args.calls, args.repeats, args.rounds = 30, 1, 1
    if args.worker:
        target, store = args.worker
        print(json.dumps(_worker(target, store, args.grpc, args.calls, args.repeats)))
        return 0

    sys.path.insert(0, str(HERE))
    from run import BenchError, peer_python

    try:
        peer = peer_python(args.mlmd_python)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    load_before = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    folder = tempfile.mkdtemp(prefix="dj_mlmd_calls_")
    common = ["--calls", str(args.calls), "--repeats", str(args.repeats)]
    sides: dict[str, Any] = {}
    try:
        for round_ in range(args.rounds):  # sides alternate, so both meet the same load
            for key, python, target in (
                ("peer", peer, PEER),
                ("ours", sys.executable, DROP_IN),
            ):
                path = f"{folder}/{key}-{round_}.sqlite"
                _merge(sides, key, _run_worker(python, [target, path, *common]))
        if args.no_grpc:
            sides["grpc_skipped"] = "--no-grpc"
        else:
            try:
                import grpc  # noqa: F401  (the server extra)
            except ImportError as error:
                sides["grpc_skipped"] = f"grpcio is not installed here ({error})"
            else:
                for round_ in range(args.rounds):
                    for key, start in (
                        ("peer_grpc", lambda: _peer_server(peer)),
                        ("ours_grpc", lambda r=round_: _our_server(folder, r)),
                    ):
                        process, port = start()
                        try:
                            address = ["--grpc", f"127.0.0.1:{port}"]
                            _merge(sides, key, _run_worker(peer, [PEER, "-", *address, *common]))
                        finally:
                            _stop(process)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    load_after = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    table = _table(args, sides, (load_before, load_after))
    print(table)
    out = args.out or (None if args.quick else str(OUT))
    if out:
        Path(out).write_text(table, encoding="utf-8")
        print(f"written to {out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
