"""Benchmarks: datajourney side by side with its peers, in one run, as a results table.

``make bench`` runs this file. The metadata-store benchmark runs ``store_workload.py`` three
times on the same workload, each in its own process (ml-metadata and datajourney define the same
proto package, so they never share one):

* ``ml_metadata`` (real ml-metadata 1.17.1) with the peer's interpreter from ``.peers/mlmd``,
  created by ``tests/peer.py`` if missing;
* ``datajourney.mlmd`` (the drop-in: the very same workload code) with this interpreter;
* ``datajourney`` (the native API) with this interpreter.

It prints a markdown table with ratios (ml-metadata time / datajourney time: above 1 means
datajourney is faster) and writes it to ``benchmarks/results/store.md`` (full runs; ``--quick``
runs print only unless ``--out`` is given).

``--backend postgresql`` runs the same workload on a PostgreSQL server (``--postgresql-url``),
each side in fresh databases of its own (``dj_bench_<side>_<tag>``, made and dropped with
``psql``), with 10,000 artifacts instead of 100,000 by default, and writes
``benchmarks/results/store_postgresql.md``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlite_floor import bulk_insert_floor

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parent
WORKLOAD = HERE / "store_workload.py"
BACKENDS = {
    # name: the results file of full runs, what the stores are, default sizes (--quick: a tenth)
    "sqlite": {
        "out": HERE / "results" / "store.md",
        "title": "SQLite",
        "where": "a SQLite file",
        "artifacts": 100_000,
        "chain": 2_000,
    },
    "postgresql": {
        "out": HERE / "results" / "store_postgresql.md",
        "title": "PostgreSQL",
        "where": "PostgreSQL (a fresh database for every store, on one local server over TCP; "
        "the server's durable defaults, so every committed call waits for its WAL flush)",
        "artifacts": 10_000,
        "chain": 2_000,
    },
}

PEER = "ml_metadata"
SIDES = {
    # key: (column title, target given to the workload, interpreter: "peer" or "self")
    "mlmd": ("ml-metadata 1.17.1", PEER, "peer"),
    "drop-in": ("datajourney.mlmd", "datajourney.mlmd", "self"),
    "native": ("datajourney native", "datajourney", "self"),
}
OPERATIONS = [
    # key, label
    ("put_artifacts_one_call", "put_artifacts, one call"),
    ("put_artifacts_batched", "put_artifacts, batches of {batch:,}"),
    ("get_artifacts_by_type", "get_artifacts_by_type ({artifacts:,})"),
    ("get_artifacts_by_id_random", "get_artifacts_by_id, {random_ids:,} random ids"),
    ("get_artifacts_by_id_all", "get_artifacts_by_id, all {artifacts:,} ids"),
    ("put_execution_chain", "put_execution chain, {chain:,} steps"),
    ("upstream_walk_events", "upstream walk by get_events_by_*_ids"),
    (
        "lineage_full_chain",
        "whole upstream lineage with its nodes "
        "(mlmd: event walk + get_*_by_id; native: store.lineage)",
    ),
    ("lineage_subgraph_full", "get_lineage_subgraph UPSTREAM, {hops:,} hops"),
    ("lineage_subgraph_100", "get_lineage_subgraph UPSTREAM, 100 hops"),
]
# glog lines ml-metadata's C++ core writes to stderr, e.g. "I1122 13:08:04.538848 13564 x.cc:1] m"
GLOG = re.compile(r"^[IWEF]\d{4} \d\d:\d\d:\d\d\.\d+\s+\d+ (\S+)\] (.*)$")


class BenchError(RuntimeError):
    """A benchmark could not run at all; the message says why."""


# Interpreters ------------------------------------------------------------------------------


def peer_python(explicit: str | None) -> str:
    """The interpreter with ml-metadata 1.17.1, from ``tests/peer.py`` (created if missing)."""
    if explicit:
        return explicit
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    try:
        from tests import peer
    except ImportError as exc:
        raise BenchError(
            f"cannot import tests/peer.py to find the ml-metadata peer ({exc}); "
            "run `make bench` (it installs the test extras) or pass --mlmd-python"
        ) from exc
    if Path(peer.__file__).resolve() != REPO_ROOT / "tests" / "peer.py":
        raise BenchError(f"`tests.peer` resolved to {peer.__file__}, not this repository's")
    print(
        f"preparing the ml-metadata {peer.MLMD_VERSION} peer in {peer.MLMD_VENV} "
        "(the first time this installs it; see .peers/mlmd-install.log) ...",
        file=sys.stderr,
        flush=True,
    )
    # ensure_mlmd_python raises PeerUnavailableError; mlmd_python (for tests) turns that into
    # pytest.skip / pytest.fail, which are BaseExceptions outside pytest: catch both.
    get = getattr(peer, "ensure_mlmd_python", None) or peer.mlmd_python
    try:
        return get()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:
        raise BenchError(
            f"the ml-metadata {peer.MLMD_VERSION} peer is unavailable: {exc}\n"
            f"It needs `{peer.MLMD_BASE_PYTHON}` and network access to pip-install "
            f"ml-metadata=={peer.MLMD_VERSION} into {peer.MLMD_VENV}; or pass --mlmd-python "
            "PATH, or --skip-peer to benchmark datajourney alone."
        ) from exc


# Running one side ---------------------------------------------------------------------------


def side_store(key: str, workdir: Path, postgresql_url: str | None) -> str:
    """The workload's STORE argument for one side: a file in ``workdir`` or its own databases."""
    if postgresql_url is None:
        return str(workdir / key)
    return f"{postgresql_url.rstrip('/')}/dj_bench_{key.replace('-', '_')}"


def run_side(
    key: str, python: str, workdir: Path, store: str, sizes: dict[str, int], timeout: float
) -> dict[str, Any]:
    """Run the workload for one side; its JSON report, with ``glog`` notes and failures."""
    title, target, _ = SIDES[key]
    out = workdir / f"{key}.json"
    cmd = [python, str(WORKLOAD), target, store]
    for name, value in sizes.items():
        cmd += [f"--{name.replace('_', '-')}", str(value)]
    cmd += ["--out", str(out)]
    env = dict(os.environ)
    env.pop("DATAJOURNEY_STORE", None)
    if key == "mlmd":
        env.pop("PYTHONPATH", None)
    print(f"\n== {title}: {shlex.join(cmd)}", file=sys.stderr, flush=True)
    glog: dict[str, int] = {}
    started = time.perf_counter()
    try:
        proc = subprocess.Popen(
            cmd, cwd=workdir, env=env, stderr=subprocess.PIPE, stdout=sys.stderr, text=True
        )
        assert proc.stderr is not None
        for line in proc.stderr:
            match = GLOG.match(line.rstrip("\n"))
            if match:
                message = re.sub(r"\d+", "N", match.group(2))  # one note per kind of message
                glog[message] = glog.get(message, 0) + 1
                if glog[message] == 1:
                    sys.stderr.write(f"  (ml-metadata log) {match.group(2)}\n")
            elif not line.startswith("WARNING: Logging before InitGoogleLogging"):
                sys.stderr.write(line)
        code = proc.wait(timeout=max(1.0, timeout - (time.perf_counter() - started)))
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return {"failed": f"timed out after {timeout:.0f} s", "glog": glog}
    except OSError as exc:
        return {"failed": f"could not start {python}: {exc}", "glog": glog}
    if code != 0 or not out.exists():
        return {"failed": f"the workload exited with status {code}", "glog": glog}
    report = json.loads(out.read_text())
    report["glog"] = glog
    return report


# The table ----------------------------------------------------------------------------------


def fmt_seconds(seconds: float) -> str:
    if seconds < 1e-3:
        return f"{seconds * 1e6:.0f} µs"
    if seconds < 1:
        return f"{seconds * 1e3:.1f} ms"
    return f"{seconds:.2f} s"


def fmt_ratio(peer: float | None, ours: float | None) -> str:
    if not peer or not ours:
        return "—"
    ratio = peer / ours
    return f"**{ratio:.2f}x**" if ratio >= 1 else f"{ratio:.2f}x"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def build_table(reports: dict[str, dict[str, Any]], sizes: dict[str, int]) -> tuple[str, list]:
    """The markdown table and the numbered error notes its cells refer to."""
    keys = list(reports)
    has_peer = "mlmd" in reports
    header = ["operation"]
    for key in keys:
        header.append(SIDES[key][0])
        if key != "mlmd" and has_peer:
            header.append("ratio")
    header.append("result")
    lines = [
        "| " + " | ".join(header) + " |",
        "|" + "|".join(["---"] + ["--:"] * (len(header) - 2) + ["---"]) + "|",
    ]
    errors: list[str] = []

    def error_ref(side: str, text: str) -> str:
        entry = f"{SIDES[side][0]}: {text}"
        if entry not in errors:
            errors.append(entry)
        return f"error [{errors.index(entry) + 1}]"

    labels = dict(
        sizes,
        hops=2 * sizes["chain"] + 2,
        random_ids=min(sizes["random_ids"], sizes["artifacts"]),
    )
    for op, label in OPERATIONS:
        row = [label.format(**labels)]
        seconds: dict[str, float | None] = {}
        details: dict[str, str] = {}
        for key in keys:
            report = reports[key]
            if "failed" in report:
                cell, value = error_ref(key, report["failed"]), None
            else:
                entry = next((r for r in report["results"] if r["op"] == op), None)
                if entry is None:
                    cell, value = "—", None
                elif "error" in entry:
                    cell, value = error_ref(key, entry["error"]), None
                else:
                    value = entry["seconds"]
                    cell = fmt_seconds(value)
                    details[key] = entry.get("detail", "")
            seconds[key] = value
            row.append(cell)
            if key != "mlmd" and has_peer:
                row.append(fmt_ratio(seconds.get("mlmd"), value))
        groups: dict[str, list[str]] = {}
        for key, detail in details.items():
            groups.setdefault(detail, []).append(SIDES[key][0])
        if len(groups) <= 1:
            row.append(next(iter(groups), ""))
        else:
            row.append("; ".join(f"{', '.join(names)}: {d}" for d, names in groups.items()))
        lines.append("| " + " | ".join(_cell(c) for c in row) + " |")

    row = ["peak RSS of the process"]
    rss: dict[str, float | None] = {}
    for key in keys:
        kib = reports[key].get("peak_rss_kib")
        rss[key] = kib / 1024 if kib else None
        row.append(f"{rss[key]:.0f} MiB" if rss[key] else "—")
        if key != "mlmd" and has_peer:
            row.append(fmt_ratio(rss.get("mlmd"), rss[key]))
    row.append("ratio: ml-metadata / ours, >1 means we use less")
    lines.append("| " + " | ".join(row) + " |")
    return "\n".join(lines), errors


# Machine and versions -------------------------------------------------------------------------


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def _memory() -> str:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return f"{int(line.split()[1]) / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError):
        pass
    return "?"


def _git() -> str:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "src"],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "?"
    return f"{head}{' with uncommitted changes in src/' if dirty else ''}"


def _load() -> str:
    try:
        return ", ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def machine_lines(reports: dict[str, dict[str, Any]], load_before: str) -> list[str]:
    cpus = os.cpu_count()
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    lines = [
        f"- date: {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M UTC}",
        f"- machine: {platform.system()} {platform.release()} {platform.machine()}, "
        f"{_cpu_model()}, {cpus} CPUs ({usable} usable), {_memory()} RAM",
        f"- load average (1, 5, 15 min): {load_before} before the run, {_load()} after "
        "(other work on the machine makes the numbers noisier)",
        f"- datajourney: git {_git()}",
    ]
    for key, report in reports.items():
        if "failed" in report:
            continue
        title = SIDES[key][0]
        lines.append(
            f"- {title}: `{report['target']}` ({report['api']} API), "
            f"{'ml-metadata' if key == 'mlmd' else 'datajourney'} {report['version']}, "
            f"{report['python_implementation']} {report['python']} ({report['backend']})"
        )
    return lines


def render(
    reports: dict[str, dict[str, Any]],
    sizes: dict[str, int],
    command: str,
    quick: bool,
    load_before: str,
    backend: str,
    floor: float | None = None,
) -> str:
    table, errors = build_table(reports, sizes)
    where = BACKENDS[backend]["where"]
    out = [
        f"# Metadata store on {BACKENDS[backend]['title']}: datajourney vs ml-metadata 1.17.1",
        "",
        f"Generated by `{command}`{' (quick mode)' if quick else ''}; do not edit by hand.",
        "",
        *machine_lines(reports, load_before),
        "",
        f"Every column runs the same workload (`benchmarks/store_workload.py`) on {where}, "
        "each side in its own process. ml-metadata and datajourney.mlmd run the very same code "
        "(ml-metadata's API, only the import prefix differs); the native column does the same "
        "operations with `datajourney.MetadataStore` and its dataclasses. Times are the best of "
        f"{sizes['repeats']} runs for reads, of {sizes['bulk_repeats']} runs on a fresh store for "
        "bulk inserts, and a single run for the put_execution chain. "
        f"Sizes: {sizes['artifacts']:,} artifacts with 3 declared properties (int, string, "
        f"double) each, a chain of {sizes['chain']:,} put_execution steps (one input and one "
        "output artifact, one context). Ratio: ml-metadata time / "
        "datajourney time; **above 1 means datajourney is faster**. The upstream walk is what MLMD "
        "users write: get_events_by_artifact_ids / get_events_by_execution_ids hop by hop from the "
        "chain's last artifact back to its start. The whole-lineage row asks for what "
        "`store.lineage` returns: ml-metadata's fastest way there is that walk (its "
        "get_lineage_subgraph stops at 100 hops) followed by get_artifacts_by_id and "
        "get_executions_by_id for the nodes found; `store.lineage` also returns the contexts "
        "involved, which ml-metadata would need one call per node to find. ml-metadata lowers a "
        "max_num_hops above 100 to 100, so both get_lineage_subgraph rows stop 100 hops up the "
        "chain, while the native column's 4,002-hop row walks the whole chain.",
        "",
        table,
        "",
        *floor_lines(reports, sizes, floor),
    ]
    if errors:
        out += ["Errors:", ""]
        out += [f"{i}. {_cell(text)}" for i, text in enumerate(errors, 1)]
        out.append("")
    notes = [
        f"- {SIDES[key][0]}: {note}"
        for key, report in reports.items()
        for note in report.get("notes", [])
    ]
    if notes:
        out += ["Notes:", "", *notes, ""]
    notes = []
    for key, report in reports.items():
        for message, count in report.get("glog", {}).items():
            notes.append(f"- {SIDES[key][0]} logged {count} times: {message}")
    if notes:
        out += ["Log messages from ml-metadata's core (numbers shown as N):", "", *notes, ""]
    return "\n".join(out)


def floor_lines(
    reports: dict[str, dict[str, Any]], sizes: dict[str, int], floor: float | None
) -> list[str]:
    """What SQLite alone needs for the bulk put's rows, against both libraries' times."""
    if floor is None:
        return []

    def seconds(side: str) -> float | None:
        results = reports.get(side, {}).get("results", [])
        entry = next((r for r in results if r["op"] == "put_artifacts_one_call"), None)
        return entry.get("seconds") if entry else None

    mlmd, native = seconds("mlmd"), seconds("native")
    text = (
        f"Floor of the bulk put: SQLite alone, with no Python per row and no driver, inserts the "
        f"same {sizes['artifacts']:,} artifacts and their property rows into the same tables "
        f"and indexes in {fmt_seconds(floor)} (`benchmarks/sqlite_floor.py`, best of 3)"
    )
    if mlmd:
        text += (
            ": no library keeping this file format can beat ml-metadata by more than "
            f"{mlmd / floor:.2f}x here"
        )
    if native:
        text += f"; datajourney native takes {native / floor:.1f}x the floor"
    return [text + ".", ""]


# Main -----------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Metadata-store benchmark: datajourney vs ml-metadata 1.17.1, side by side."
    )
    parser.add_argument(
        "--backend",
        choices=list(BACKENDS),
        default="sqlite",
        help="where the stores live (sqlite: files in a temporary folder)",
    )
    parser.add_argument(
        "--postgresql-url",
        default="postgresql://postgres@127.0.0.1:5432",
        help="the server for --backend postgresql (user with CREATEDB; trust or password auth)",
    )
    parser.add_argument("--quick", action="store_true", help="smoke run: a tenth of the sizes")
    parser.add_argument(
        "--artifacts", type=int, help="artifacts to bulk insert (sqlite 100000, postgresql 10000)"
    )
    parser.add_argument("--chain", type=int, help="put_execution chain steps (2000)")
    parser.add_argument("--batch", type=int, default=1_000, help="artifacts per batched call")
    parser.add_argument("--random-ids", type=int, default=1_000)
    parser.add_argument("--repeats", type=int, help="runs of each read, best kept (5; quick 3)")
    parser.add_argument(
        "--bulk-repeats", type=int, help="runs of each bulk insert on a fresh store (3; quick 2)"
    )
    parser.add_argument(
        "--sides",
        default=",".join(SIDES),
        help=f"comma-separated subset of {', '.join(SIDES)}",
    )
    parser.add_argument("--mlmd-python", help="interpreter with ml-metadata 1.17.1 installed")
    parser.add_argument("--skip-peer", action="store_true", help="run datajourney's sides only")
    parser.add_argument(
        "--out",
        type=Path,
        help="markdown file to write (default for full runs: benchmarks/results/store.md, "
        "store_postgresql.md with --backend postgresql; quick runs print only)",
    )
    parser.add_argument("--timeout", type=float, default=3600, help="seconds per side")
    parser.add_argument("--keep-json", type=Path, help="copy each side's JSON report here")
    args = parser.parse_args(argv)

    backend = BACKENDS[args.backend]
    scale = 10 if args.quick else 1
    sizes = {
        "artifacts": args.artifacts or backend["artifacts"] // scale,
        "batch": args.batch,
        "random_ids": args.random_ids,
        "chain": args.chain or backend["chain"] // scale,
        "repeats": args.repeats or (3 if args.quick else 5),
        "bulk_repeats": args.bulk_repeats or (2 if args.quick else 3),
    }
    sides = [s.strip() for s in args.sides.split(",") if s.strip()]
    unknown = [s for s in sides if s not in SIDES]
    if unknown:
        parser.error(f"unknown sides {unknown}; choose from {list(SIDES)}")
    if args.skip_peer and "mlmd" in sides:
        sides.remove("mlmd")

    try:
        pythons = {"self": sys.executable}
        if "mlmd" in sides:
            pythons["peer"] = peer_python(args.mlmd_python)
        if args.backend == "postgresql" and shutil.which("psql") is None:
            raise BenchError("--backend postgresql needs the psql client on PATH")
    except BenchError as exc:
        print(f"\nbenchmarks/run.py: {exc}", file=sys.stderr)
        return 2

    load_before = _load()
    reports: dict[str, dict[str, Any]] = {}
    postgresql_url = args.postgresql_url if args.backend == "postgresql" else None
    with tempfile.TemporaryDirectory(prefix="datajourney-bench-") as tmp:
        for key in sides:
            python = pythons[SIDES[key][2]]
            store = side_store(key, Path(tmp), postgresql_url)
            reports[key] = run_side(key, python, Path(tmp), store, sizes, args.timeout)
            if args.keep_json and "failed" not in reports[key]:
                args.keep_json.mkdir(parents=True, exist_ok=True)
                (args.keep_json / f"{key}.json").write_text(json.dumps(reports[key], indent=1))

    given = sys.argv[1:] if argv is None else argv
    command = shlex.join(["python", "benchmarks/run.py", *given])
    floor = None
    if args.backend == "sqlite" and "native" in reports:
        with tempfile.TemporaryDirectory(prefix="datajourney-floor-") as tmp:
            floor = bulk_insert_floor(Path(tmp), sizes["artifacts"])
    text = render(reports, sizes, command, args.quick, load_before, args.backend, floor)
    print("\n" + text)

    out = args.out or (None if args.quick else backend["out"])
    if out is not None:
        if "mlmd" not in reports or "failed" in reports["mlmd"]:
            print(f"not writing {out}: the ml-metadata side did not run", file=sys.stderr)
        else:
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp_path = out.with_suffix(out.suffix + ".tmp")
            tmp_path.write_text(text)
            tmp_path.replace(out)
            print(f"wrote {out}", file=sys.stderr)
    failed = [SIDES[k][0] for k, r in reports.items() if "failed" in r]
    if failed:
        print(f"these sides did not complete: {', '.join(failed)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
