"""Benchmark: the lake and the warehouse side by side with plain tools, as a results table.

Each measurement runs in a fresh process (``python benchmarks/storage.py --one NAME``), which
reports its wall time and peak memory (max RSS):

* load a CSV of ``--rows`` rows into the warehouse with schema-on-write validation, against
  reading the same CSV with pyarrow and a plain ``deltalake.write_deltalake`` (goal: at most
  1.3x);
* a time-travel query (a grouped sum) on a table of ``--versions`` versions, at the middle
  version, through ``Warehouse.sql`` against DuckDB over that version's Parquet files;
* lake ingestion of ``--files`` small files against a plain copy (``cp -r``) and ``dvc add``
  (DVC 3.67 from ``.peers/dvc``, installed by benchmarks/versioning.py's helper).

The issue's scale is 10M rows and 50k files; the default here is smaller so one run takes a few
minutes on a shared 2-core machine (``--rows 10000000 --files 50000`` for the full scale).
Results go to ``benchmarks/results/storage.md``.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "results" / "storage.md"
SCHEMA = """
feature { name: "id" type: INT presence { min_fraction: 1 } }
feature { name: "amount" type: FLOAT float_domain { min: 0 } }
feature { name: "country" type: BYTES domain: "country" }
string_domain { name: "country" value: "de" value: "fr" value: "it" }
"""


def make_csv(path: Path, rows: int) -> None:
    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    generator = np.random.default_rng(0)
    table = pa.table(
        {
            "id": np.arange(rows),
            "amount": generator.random(rows) * 100,
            "country": pa.array(generator.choice(["de", "fr", "it"], rows)),
        }
    )
    pacsv.write_csv(table, path)


def make_files(folder: Path, count: int) -> None:
    for i in range(count):
        sub = folder / f"d{i % 100:02d}"
        sub.mkdir(parents=True, exist_ok=True)
        (sub / f"f{i}.json").write_text(json.dumps({"id": i, "value": i * 7}) + "\n")


# One measurement each (run in a fresh process) ------------------------------------------------


_MARKS: list[float] = []


def imported() -> None:
    """Mark the end of a measurement's imports (its work is timed from here too)."""
    _MARKS.append(time.perf_counter())


def one(name: str, work: Path, args: argparse.Namespace) -> None:
    os.chdir(work)
    if name == "load_ours":
        from google.protobuf import text_format
        from tensorflow_metadata.proto.v0 import schema_pb2

        from datajourney.warehouse import Warehouse

        imported()
        with Warehouse("wh_ours", store="sqlite:///ours.sqlite") as wh:
            wh.create("s.t", text_format.Parse(SCHEMA, schema_pb2.Schema()))
            wh.load("s.t", "data.csv")
    elif name == "load_plain":
        import pyarrow.csv as pacsv
        from deltalake import write_deltalake

        imported()
        write_deltalake("wh_plain", pacsv.read_csv("data.csv"))
    elif name == "read_plain":
        import pyarrow.csv as pacsv

        imported()
        pacsv.read_csv("data.csv")
    elif name == "read_checked":
        import pyarrow.csv as pacsv
        from google.protobuf import text_format
        from tensorflow_metadata.proto.v0 import schema_pb2

        from datajourney.warehouse.loading import fits_quickly

        imported()
        schema = text_format.Parse(SCHEMA, schema_pb2.Schema())
        table = pacsv.read_csv("data.csv")
        assert fits_quickly(table, schema)
    elif name == "travel_ours":
        import duckdb  # both sides import it before the mark

        from datajourney.warehouse import Warehouse

        imported()
        with Warehouse("wh_travel", store="sqlite:///travel.sqlite") as wh:
            middle = args.versions // 2
            wh.sql(f"SELECT country, sum(amount) FROM wh('s.t', {middle}) GROUP BY country")
    elif name == "travel_duckdb":
        import duckdb
        from deltalake import DeltaTable

        imported()
        files = DeltaTable("wh_travel/s/t", version=args.versions // 2).file_uris()
        listed = ", ".join(f"'{f}'" for f in files)
        duckdb.sql(
            f"SELECT country, sum(amount) FROM read_parquet([{listed}]) GROUP BY country"
        ).fetchall()
    elif name == "ingest_ours":
        from datajourney.lake import Lake

        imported()
        with Lake("sqlite:///lake.sqlite", objects="lake_objects") as lake:
            lake.ingest("files")
    else:
        raise SystemExit(f"unknown measurement {name}")


@dataclass
class Measured:
    """One measurement: wall seconds, CPU seconds (user + system), wall seconds after the
    imports, peak memory (MiB, max RSS)."""

    wall: float
    cpu: float
    work: float
    peak: float


def measure(name: str, work: Path, args: argparse.Namespace) -> Measured:
    """One measurement in a fresh process: the least times of ``--repeat`` runs (the machine
    may be shared; CPU time is the steadier figure there), and the largest peak."""
    command = [sys.executable, __file__, "--one", name, "--work", str(work)]
    command += ["--rows", str(args.rows), "--versions", str(args.versions)]
    runs = []
    for _ in range(args.repeat):
        for leftover in ("wh_ours", "wh_plain", "ours.sqlite", "lake_objects", "lake.sqlite"):
            target = work / leftover
            if target.is_dir():
                shutil.rmtree(target)
            elif target.exists():
                target.unlink()
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        runs.append(tuple(float(x) for x in done.stdout.split()))
    return Measured(
        min(r[0] for r in runs),
        min(r[1] for r in runs),
        min(r[2] for r in runs),
        max(r[3] for r in runs),
    )


def timed(command: list[str], cwd: Path) -> float:
    started = time.perf_counter()
    subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - started


def build_versions(work: Path, versions: int, rows: int) -> None:
    import numpy as np
    import pyarrow as pa
    from google.protobuf import text_format
    from tensorflow_metadata.proto.v0 import schema_pb2

    from datajourney.warehouse import Warehouse

    generator = np.random.default_rng(1)
    with Warehouse(work / "wh_travel", store=f"sqlite:///{work / 'travel.sqlite'}") as wh:
        wh.create("s.t", text_format.Parse(SCHEMA, schema_pb2.Schema()))
        for version in range(1, versions):
            batch = pa.table(
                {
                    "id": np.arange(rows) + version * rows,
                    "amount": generator.random(rows) * 100,
                    "country": pa.array(generator.choice(["de", "fr", "it"], rows)),
                }
            )
            wh.load("s.t", batch)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_000_000)
    parser.add_argument("--versions", type=int, default=100)
    parser.add_argument("--version-rows", type=int, default=20_000)
    parser.add_argument("--files", type=int, default=5_000)
    parser.add_argument("--one")
    parser.add_argument("--work")
    parser.add_argument("--repeat", type=int, default=1, help="Runs per measurement (min).")
    parser.add_argument("--quick", action="store_true", help="Print only.")
    parser.add_argument(
        "--only",
        choices=["load", "travel", "ingest"],
        action="append",
        help="Run only these measurements (repeatable); default all.",
    )
    args = parser.parse_args()
    if args.one:
        started = time.perf_counter()
        one(args.one, Path(args.work), args)
        ended = time.perf_counter()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        peak = usage.ru_maxrss / 1024
        cpu = usage.ru_utime + usage.ru_stime
        work = ended - (_MARKS[0] if _MARKS else started)
        print(f"{ended - started:.4f} {cpu:.4f} {work:.4f} {peak:.1f}")
        return
    work = Path(tempfile.mkdtemp(prefix="dj-storage-bench-"))
    try:
        rows = run_all(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(rows, args)


def run_all(work: Path, args: argparse.Namespace) -> list[tuple]:
    only = set(args.only or ["load", "travel", "ingest"])
    results = []
    if "load" in only:
        results += run_load(work, args)
    if "travel" in only:
        results += run_travel(work, args)
    if "ingest" in only:
        results += run_ingest(work, args)
    return results


def run_load(work: Path, args: argparse.Namespace) -> list[tuple]:
    make_csv(work / "data.csv", args.rows)
    results = []
    ours = measure("load_ours", work, args)
    plain = measure("load_plain", work, args)
    results.append((f"load {args.rows:,}-row CSV (validated vs plain deltalake)", ours, plain))
    checked = measure("read_checked", work, args)
    read = measure("read_plain", work, args)
    results.append(
        (f"floor: read {args.rows:,}-row CSV + schema check (vs pyarrow read)", checked, read)
    )
    return results


def run_travel(work: Path, args: argparse.Namespace) -> list[tuple]:
    results = []
    build_versions(work, args.versions, args.version_rows)
    ours = measure("travel_ours", work, args)
    duck = measure("travel_duckdb", work, args)
    results.append(
        (f"time travel on a {args.versions}-version table (vs DuckDB on its Parquet)", ours, duck)
    )
    return results


def run_ingest(work: Path, args: argparse.Namespace) -> list[tuple]:
    results = []
    make_files(work / "files", args.files)
    time.sleep(2.5)
    ours = measure("ingest_ours", work, args)
    copy = timed(["cp", "-r", "files", "files_copy"], work)
    results.append((f"lake ingest of {args.files:,} small files (vs cp -r)", ours, copy))
    dvc = dvc_time(work)
    if dvc is not None:
        results.append((f"lake ingest of {args.files:,} small files (vs dvc add)", ours, dvc))
    return results


def dvc_time(work: Path) -> float | None:
    sys.path.insert(0, str(HERE))
    try:
        from versioning import dvc_binary

        binary = str(dvc_binary())
    except Exception as error:  # no DVC (no registry reachable): said in the table
        print(f"dvc unavailable: {error}", file=sys.stderr)
        return None
    repo = work / "dvc_repo"
    repo.mkdir()
    shutil.move(str(work / "files_copy"), repo / "files")
    subprocess.run([binary, "init", "--no-scm", "-q"], cwd=repo, check=True)
    return timed([binary, "add", "-q", "files"], repo)


def _cell(ours: float, theirs: float) -> str:
    return f"{ours:.2f} / {theirs:.2f} ({ours / theirs:.2f}x)"


def report(rows: list[tuple], args: argparse.Namespace) -> None:
    lines = [
        "# Storage benchmark (lake and warehouse)",
        "",
        f"{datetime.date.today()}, Python {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"`python benchmarks/storage.py --rows {args.rows} --versions {args.versions} "
        f"--files {args.files} --repeat {args.repeat}`. Each side a fresh process, the least "
        "time of the repeats; ratio = ours / theirs "
        "(below 1: ours is faster).",
        "",
        "| operation | wall s ours / peer (ratio) | CPU s ours / peer (ratio) | "
        "after imports s ours / peer (ratio) | peak MiB ours / peer |",
        "|---|---|---|---|---|",
    ]
    for name, ours, theirs in rows:
        if isinstance(theirs, Measured):
            cells = [
                _cell(ours.wall, theirs.wall),
                _cell(ours.cpu, theirs.cpu),
                _cell(ours.work, theirs.work),
                f"{ours.peak:.0f} / {theirs.peak:.0f}",
            ]
        else:  # a command timed from outside: wall time only
            cells = [_cell(ours.wall, theirs), "", "", f"{ours.peak:.0f} /"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.quick:
        OUT.write_text(text)


if __name__ == "__main__":
    main()
