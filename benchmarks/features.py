"""Benchmark: the feature store side by side with Feast 0.67, in the same run.

Every measurement is a fresh process running ``benchmarks/features_workload.py`` (datajourney
in this venv, Feast in its peer venv ``.peers/feast``), which reports seconds and its peak
memory (max RSS):

* ``import datajourney.feast`` against ``import feast``;
* historical retrieval of 5 features for the entity rows: the first call in the process and
  the best of three (warm), against Feast's duckdb offline store, Feast's file (Dask) store
  and a bare DuckDB ASOF join of the same files (the floor: no ttl, no created-time tie rule);
* materialization of the whole range into SQLite, first and warm, against Feast;
* online reads of 1 and 100 entities (p50 / p99) on SQLite and on Redis (127.0.0.1:6379)
  against Feast, and over HTTP through ``datajourney features serve``.

The issue's scale is 1,000 entities x 30 days hourly (720,000 feature rows) and 100,000 entity
rows (the defaults); ``--drivers``, ``--days`` and ``--entity-rows`` scale it down. Results go
to ``benchmarks/results/features.md``; ratio = ours / theirs (below 1: ours is faster).
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
WORKLOAD = HERE / "features_workload.py"
OUT = HERE / "results" / "features.md"
OURS = "datajourney.feast"


def feast_python() -> str:
    """The Feast 0.67 peer interpreter (created on first use), with the Redis client."""
    sys.path.insert(0, str(ROOT))
    from tests.features.feast_peer import ensure_feast_python

    python = ensure_feast_python()
    probe = subprocess.run([python, "-c", "import redis"], capture_output=True)
    if probe.returncode:
        subprocess.run([python, "-m", "pip", "install", "-q", "redis>=4.2.2,<6"], check=True)
    return python


def redis_up() -> bool:
    import socket

    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


class Runner:
    """Runs one measurement in a fresh process and keeps what it printed."""

    def __init__(self, work: Path, env: dict[str, str], feast: str):
        self.work = work
        self.env = env
        self.python = {OURS: sys.executable, "feast": feast}

    def __call__(self, what: str, package: str, option: str = "") -> dict:
        command = [self.python[package], str(WORKLOAD), what, package, str(self.work)]
        if option:
            command.append(option)
        start = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, env=self.env, cwd=self.work)
        wall = time.perf_counter() - start
        if done.returncode:
            tail = "\n".join(done.stderr.strip().splitlines()[-5:])
            raise SystemExit(f"{what} {package} {option} failed:\n{tail}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["process_s"] = wall
        print(f"  {what:<11} {package:<17} {option:<6} {json.dumps(result)}", flush=True)
        return result


GROUPS = ("import", "historical", "file", "materialize", "online", "http", "redis")


def measure(args: argparse.Namespace, work: Path) -> dict[str, dict]:
    env = {
        **os.environ,
        "DJ_BENCH_DRIVERS": str(args.drivers),
        "DJ_BENCH_DAYS": str(args.days),
        "DJ_BENCH_ENTITY_ROWS": str(args.entity_rows),
        "PYTHONWARNINGS": "ignore",
    }
    run = Runner(work, env, feast_python())
    run("data", OURS)
    wanted = set(args.only.split(",")) if args.only else set(GROUPS)
    found: dict[str, dict] = {}
    if "import" in wanted:
        found["import ours"] = run("import", OURS)
        found["import feast"] = run("import", "feast")
    if "historical" in wanted:
        found["hist ours"] = run("historical", OURS, "duckdb")
        found["hist feast duckdb"] = run("historical", "feast", "duckdb")
        found["hist bare"] = run("bare", OURS)
    if "file" in wanted:
        found["hist feast file"] = run("historical", "feast", "file")
    if "materialize" in wanted:
        found["mat ours"] = run("materialize", OURS, "duckdb")
        found["mat feast"] = run("materialize", "feast", "duckdb")
    if "online" in wanted:
        found["online ours sqlite"] = run("online", OURS, "duckdb")
        found["online feast sqlite"] = run("online", "feast", "duckdb")
    if "http" in wanted:
        found["http ours"] = run("http", OURS, "duckdb")
    if "redis" in wanted and redis_up():
        found["online ours redis"] = run("online", OURS, "redis")
        found["online feast redis"] = run("online", "feast", "redis")
    return found


def _ratio(ours: float, theirs: float | None) -> str:
    return f"{ours / theirs:.3f}x" if theirs else ""


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f}"


def table(found: dict[str, dict]) -> list[str]:
    """The results table: one line per operation and peer."""
    lines = [
        "| operation | datajourney | peer | peer's | ratio | goal | our peak MiB | peer peak MiB |",
        "|---|---|---|---|---|---|---|---|",
    ]

    def row(op, ours, peer, theirs, goal, mine, other, fmt=lambda s: f"{s:.3f} s"):
        ratio = _ratio(ours, theirs) if theirs is not None else ""
        lines.append(
            f"| {op} | {fmt(ours)} | {peer} | {fmt(theirs) if theirs is not None else ''} | "
            f"{ratio} | {goal} | {mine['peak_rss_mib']:.0f} | "
            f"{other['peak_rss_mib']:.0f} |"
            if other
            else f"| {op} | {fmt(ours)} | {peer} | | | {goal} | {mine['peak_rss_mib']:.0f} | |"
        )

    if "import ours" in found:
        imp, fimp = found["import ours"], found["import feast"]
        row("import", imp["seconds"], "import feast", fimp["seconds"], "<= 0.5 s", imp, fimp)
    ours = found.get("hist ours")
    if ours:
        duck, bare = found["hist feast duckdb"], found["hist bare"]
        for when in ("first", "best"):
            label = "historical retrieval, " + ("first call" if when == "first" else "warm")
            row(label, ours[when], "Feast duckdb store", duck[when], "<= 0.5x", ours, duck)
            row(label, ours[when], "bare DuckDB ASOF", bare[when], "<= 1.5x", ours, bare)
    file = found.get("hist feast file")
    if ours and file:
        row("historical retrieval, first call", ours["first"], "Feast file store",
            file["first"], "<= 0.05x", ours, file)  # fmt: skip
    if "mat ours" in found:
        mat, fmat = found["mat ours"], found["mat feast"]
        for when in ("first", "best"):
            label = "materialize to SQLite, " + ("first call" if when == "first" else "warm")
            row(label, mat[when], "Feast", fmat[when], "<= 0.33x", mat, fmat)
    for store in ("sqlite", "redis"):
        mine, theirs = found.get(f"online ours {store}"), found.get(f"online feast {store}")
        if mine is None:
            continue
        for size, goal in ((1, "p99 <= 1 ms"), (100, "p99 <= 5 ms")):
            for stat in ("p50", "p99"):
                row(
                    f"online read {size} entit{'y' if size == 1 else 'ies'}, {store}, {stat} ms",
                    mine[f"{stat}_{size}"],
                    "Feast",
                    theirs[f"{stat}_{size}"],
                    goal if stat == "p99" else "",
                    mine,
                    theirs,
                    _ms,
                )
    http = found.get("http ours")
    for size, goal in ((1, "p99 <= 3 ms"), (100, "p99 <= 10 ms")) if http else ():
        for stat in ("p50", "p99"):
            row(
                f"online read {size} entit{'y' if size == 1 else 'ies'}, HTTP, {stat} ms",
                http[f"{stat}_{size}"],
                "",
                None,
                goal if stat == "p99" else "",
                http,
                None,
                _ms,
            )
    return lines


def report(found: dict[str, dict], args: argparse.Namespace) -> None:
    feature_rows = args.drivers * args.days * 24
    command = (
        f"python benchmarks/features.py --drivers {args.drivers} --days {args.days} "
        f"--entity-rows {args.entity_rows}"
        + (f" --only {args.only}" if args.only else "")
        + (f" --out {args.out}" if args.out != str(OUT) else "")
    )
    text = [
        "# Feature store benchmark (datajourney vs Feast 0.67)",
        "",
        f"{datetime.date.today()}, Python {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"`{command}`: {feature_rows:,} feature rows (5 float features, a created time), "
        f"{args.entity_rows:,} entity rows. Each measurement a fresh process; ratio = ours / "
        "theirs (below 1: ours is faster). Peak MiB is the process's max RSS.",
        "",
        *table(found),
    ]
    if "hist ours" in found:
        ours, bare = found["hist ours"], found["hist bare"]
        rows = [f"Feast's duckdb store {found['hist feast duckdb']['rows']:,}"]
        if "hist feast file" in found:
            rows.append(f"its file store {found['hist feast file']['rows']:,}")
        text += [
            "",
            f"Historical retrieval returned {ours['rows']:,} rows ({ours['nulls']:,} without a "
            f"value in the 1-day ttl); {', '.join(rows)}. The bare ASOF join is the floor: it "
            f"does no ttl and no created-time tie rule and took {bare['best']:.3f} s warm.",
        ]
    out = Path(args.out)
    out.parent.mkdir(exist_ok=True)
    out.write_text("\n".join(text) + "\n")
    print("\n".join(text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drivers", type=int, default=1_000)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--entity-rows", type=int, default=100_000)
    parser.add_argument(
        "--only", help=f"Comma-separated measurement groups (default all): {','.join(GROUPS)}."
    )
    parser.add_argument("--out", default=str(OUT), help="The results file.")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dj-features-bench-") as folder:
        found = measure(args, Path(folder))
    report(found, args)


if __name__ == "__main__":
    main()
