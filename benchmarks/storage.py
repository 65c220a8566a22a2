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


def one(name: str, work: Path, args: argparse.Namespace) -> None:
    os.chdir(work)
    if name == "load_ours":
        from google.protobuf import text_format
        from tensorflow_metadata.proto.v0 import schema_pb2

        from datajourney.warehouse import Warehouse

        with Warehouse("wh_ours", store="sqlite:///ours.sqlite") as wh:
            wh.create("s.t", text_format.Parse(SCHEMA, schema_pb2.Schema()))
            wh.load("s.t", "data.csv")
    elif name == "load_plain":
        import pyarrow.csv as pacsv
        from deltalake import write_deltalake

        write_deltalake("wh_plain", pacsv.read_csv("data.csv"))
    elif name == "travel_ours":
        from datajourney.warehouse import Warehouse

        with Warehouse("wh_travel", store="sqlite:///travel.sqlite") as wh:
            middle = args.versions // 2
            wh.sql(f"SELECT country, sum(amount) FROM wh('s.t', {middle}) GROUP BY country")
    elif name == "travel_duckdb":
        import duckdb
        from deltalake import DeltaTable

        files = DeltaTable("wh_travel/s/t", version=args.versions // 2).file_uris()
        listed = ", ".join(f"'{f}'" for f in files)
        duckdb.sql(
            f"SELECT country, sum(amount) FROM read_parquet([{listed}]) GROUP BY country"
        ).fetchall()
    elif name == "ingest_ours":
        from datajourney.lake import Lake

        with Lake("sqlite:///lake.sqlite", objects="lake_objects") as lake:
            lake.ingest("files")
    else:
        raise SystemExit(f"unknown measurement {name}")


def measure(name: str, work: Path, args: argparse.Namespace) -> tuple[float, float]:
    """(seconds, peak MiB) of one measurement in a fresh process."""
    command = [sys.executable, __file__, "--one", name, "--work", str(work)]
    command += ["--rows", str(args.rows), "--versions", str(args.versions)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    seconds, peak = done.stdout.split()
    return float(seconds), float(peak)


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
    parser.add_argument("--quick", action="store_true", help="Print only.")
    args = parser.parse_args()
    if args.one:
        started = time.perf_counter()
        one(args.one, Path(args.work), args)
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{time.perf_counter() - started:.4f} {peak:.1f}")
        return
    work = Path(tempfile.mkdtemp(prefix="dj-storage-bench-"))
    try:
        rows = run_all(work, args)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    report(rows, args)


def run_all(work: Path, args: argparse.Namespace) -> list[tuple]:
    make_csv(work / "data.csv", args.rows)
    results = []
    ours, ours_mem = measure("load_ours", work, args)
    plain, plain_mem = measure("load_plain", work, args)
    results.append(
        (
            f"load {args.rows:,}-row CSV (validated vs plain deltalake)",
            ours,
            plain,
            ours_mem,
            plain_mem,
        )
    )
    build_versions(work, args.versions, args.version_rows)
    ours, ours_mem = measure("travel_ours", work, args)
    duck, duck_mem = measure("travel_duckdb", work, args)
    results.append(
        (
            f"time travel on a {args.versions}-version table (vs DuckDB on its Parquet)",
            ours,
            duck,
            ours_mem,
            duck_mem,
        )
    )
    make_files(work / "files", args.files)
    time.sleep(2.5)
    ours, ours_mem = measure("ingest_ours", work, args)
    copy = timed(["cp", "-r", "files", "files_copy"], work)
    results.append(
        (f"lake ingest of {args.files:,} small files (vs cp -r)", ours, copy, ours_mem, None)
    )
    dvc = dvc_time(work)
    if dvc is not None:
        results.append(
            (f"lake ingest of {args.files:,} small files (vs dvc add)", ours, dvc, ours_mem, None)
        )
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


def report(rows: list[tuple], args: argparse.Namespace) -> None:
    lines = [
        "# Storage benchmark (lake and warehouse)",
        "",
        f"{datetime.date.today()}, Python {platform.python_version()}, {os.cpu_count()} CPUs; "
        f"`python benchmarks/storage.py --rows {args.rows} --versions {args.versions} "
        f"--files {args.files}`. Each side a fresh process; ratio = ours / theirs "
        "(below 1: ours is faster).",
        "",
        "| operation | datajourney s | peer s | ratio | our peak MiB | peer peak MiB |",
        "|---|---|---|---|---|---|",
    ]
    for name, ours, theirs, ours_mem, theirs_mem in rows:
        peer_mem = "" if theirs_mem is None else f"{theirs_mem:.0f}"
        lines.append(
            f"| {name} | {ours:.2f} | {theirs:.2f} | {ours / theirs:.2f}x | {ours_mem:.0f} | "
            f"{peer_mem} |"
        )
    text = "\n".join(lines) + "\n"
    print(text)
    if not args.quick:
        OUT.write_text(text)


if __name__ == "__main__":
    main()
