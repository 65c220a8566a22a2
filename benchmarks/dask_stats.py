"""Statistics on Dask: one process against a LocalCluster, and a cold first call against TFDV.

``make bench`` runs it. It writes a covertype-like data set (``stats_workload.py``) of ``--rows``
rows (default 10M) as ``--files`` Parquet files and the same rows as CSV files, then measures:

- one process (``generate_statistics`` on the files) against a LocalCluster of ``--workers``
  worker processes (one thread each), and against one worker, for Parquet and for CSV; best of
  ``--repeats`` after a warm-up run, the statistics compared for equality;
- the floors that bound any speed-up here: the bare Dask graph (a no-op task per partition), and
  reading the same files (no statistics) in one process and on the cluster;
- peak memory (RSS) of each worker after a run over one file and after the whole data set (the
  accumulators are bounded by the batch, not the rows), and of the one process;
- the 581,012-row covertype CSV in a fresh interpreter, imports included, against TFDV 1.16.1 in
  its peer interpreter (``.peers/tfdv``), in the same run.

Each measurement of one process runs in a child process. The table goes to
``benchmarks/results/dask_stats.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.csv as pacsv
import pyarrow.parquet as pq

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stats_workload import COVERTYPE_ROWS, covertype_table, write_covertype_csv

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "dask_stats.md"
ROW_GROUP_ROWS = 250_000

# One process: statistics of the files (a warm-up, then the best of the repeats) and its peak RSS.
_ONE_PROCESS = """
import json, resource, sys, time
from datajourney.stats import generate_statistics
files, repeats = json.loads(sys.argv[1]), int(sys.argv[2])
times = []
for _ in range(repeats + 1):
    start = time.perf_counter()
    generate_statistics(files)
    times.append(time.perf_counter() - start)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": min(times[1:]), "peak_rss_mib": peak}))
"""

# A cold first call: a fresh interpreter, imports included.
_COLD_OURS = """
import time
start = time.perf_counter()
import sys
import datajourney.tfdv as tfdv
stats = tfdv.generate_statistics_from_csv(sys.argv[1])
print(time.perf_counter() - start, stats.datasets[0].num_examples)
"""
_COLD_TFDV = """
import time
start = time.perf_counter()
import sys
import tensorflow_data_validation as tfdv
stats = tfdv.generate_statistics_from_csv(sys.argv[1])
print(time.perf_counter() - start, stats.datasets[0].num_examples)
"""


def write_data(folder: Path, rows: int, files: int) -> tuple[list[str], list[str]]:
    """``rows`` covertype-like rows as ``files`` Parquet files and the same rows as CSV files."""
    parquet, csv = [], []
    per_file = -(-rows // files)
    for index in range(files):
        count = min(per_file, rows - index * per_file)
        table = covertype_table(count, seed=index)
        parquet.append(str(folder / f"part{index:02d}.parquet"))
        pq.write_table(table, parquet[-1], row_group_size=ROW_GROUP_ROWS)
        csv.append(str(folder / f"part{index:02d}.csv"))
        pacsv.write_csv(table, csv[-1], pacsv.WriteOptions(quoting_style="none"))
    return parquet, csv


def one_process(files: list[str], repeats: int) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", _ONE_PROCESS, json.dumps(files), str(repeats)],
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def best_of(repeats: int, work) -> float:
    """The fastest of ``repeats`` runs of ``work``, after one warm-up run."""
    work()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def _spin(loops: int) -> float:
    """A pure-Python busy loop; its seconds."""
    start = time.perf_counter()
    total = 0
    for i in range(loops):
        total += i * i % 7
    return time.perf_counter() - start


def parallel_capacity(workers: int, loops: int = 20_000_000) -> float:
    """How many cores' worth of CPU ``workers`` busy processes get now (``workers`` on an idle
    machine): the ceiling of any speed-up measured in the same minute."""
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(workers) as pool:
        alone = min(pool.submit(_spin, loops).result() for _ in range(2))
        together = max(pool.map(_spin, [loops] * workers))
    return workers * alone / together


def _noop(part) -> int:
    return 0


def _read_only(part) -> int:
    """Read a partition's rows, nothing else: the I/O and decoding floor."""
    from datajourney.io.csv import CsvSource

    if part.row_groups is not None:
        batches = pq.ParquetFile(part.path).iter_batches(row_groups=list(part.row_groups))
    else:
        batches = CsvSource([part.path])
    return sum(batch.num_rows for batch in batches)


def _peak_rss_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def compare(ours, expected) -> tuple[bool, float]:
    """(whether every exact figure is equal, the largest normalized rank difference of the
    sketched figures). Exact: counts, missing, min / max, zeros, top values, uniques, and mean
    and standard deviation to 1e-12; sketched (features past the exact limit): the median and
    the histograms, compared by the cumulative share of the values below each bucket's end."""
    import numpy as np

    ours, expected = (type(s).FromString(s.SerializeToString()) for s in (ours, expected))
    worst = 0.0
    for mine, theirs in zip(ours.datasets, expected.datasets):
        for a, b in zip(mine.features, theirs.features):
            if not a.HasField("num_stats"):
                continue
            x, y = a.num_stats, b.num_stats
            for field in ("mean", "std_dev"):
                if abs(getattr(x, field) - getattr(y, field)) > 1e-12 * max(
                    1, abs(getattr(y, field))
                ):
                    return False, worst
                x.ClearField(field)
                y.ClearField(field)
            total = max(1, x.common_stats.num_non_missing)
            for h, k in zip(x.histograms, y.histograms):
                if h.type == h.STANDARD:  # the same bucket edges (min, max exact): compare counts
                    left = np.cumsum([bucket.sample_count for bucket in h.buckets])
                    right = np.cumsum([bucket.sample_count for bucket in k.buckets])
                    worst = max(worst, float(np.abs(left - right).max()) / total)
            for stats in (x, y):
                stats.ClearField("median")
                stats.ClearField("histograms")
                stats.common_stats.ClearField("num_values_histogram")
    return ours == expected, worst


def cluster_runs(data: dict[str, list[str]], workers: int, repeats: int, floors: bool) -> dict:
    """Timings on a LocalCluster of ``workers`` processes (one thread each)."""
    from dask import delayed
    from distributed import Client, LocalCluster

    from datajourney.stats import generate_statistics
    from datajourney.stats.distributed import file_parts

    out: dict = {}
    with (
        LocalCluster(
            n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        client.run(lambda: __import__("datajourney.stats.distributed"))
        # peak memory over one file, then over all of them (the same worker processes)
        generate_statistics(data["parquet"][:1], client=client)
        out["rss_one_file"] = max(client.run(_peak_rss_mib).values())
        for kind, files in data.items():
            out[kind] = best_of(repeats, lambda f=files: generate_statistics(f, client=client))
            out[f"{kind}_stats"] = generate_statistics(files, client=client)
        out["rss_all"] = max(client.run(_peak_rss_mib).values())
        if floors:
            parts = file_parts(data["parquet"])
            out["partitions"] = len(parts)
            out["noop"] = best_of(
                repeats, lambda: client.gather(client.compute([delayed(_noop)(p) for p in parts]))
            )
            for kind, files in data.items():
                parts = file_parts(files)
                out[f"{kind}_read"] = best_of(
                    repeats,
                    lambda ps=parts: client.gather(
                        client.compute([delayed(_read_only)(p) for p in ps])
                    ),
                )
    return out


def read_only_one_process(files: list[str], repeats: int) -> float:
    from datajourney.stats.distributed import file_parts

    parts = file_parts(files)
    return best_of(repeats, lambda: [_read_only(p) for p in parts])


def cold_ours(path: Path) -> tuple[float, float]:
    """(whole process wall seconds, seconds from the script's first line) of a fresh call."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", _COLD_OURS, str(path)], capture_output=True, text=True, check=True
    )
    wall = time.perf_counter() - start
    return wall, float(done.stdout.split()[0])


def cold_tfdv(path: Path) -> tuple[float | None, float | None, str]:
    sys.path.insert(0, str(REPO))
    try:
        from tests.tfdv_peer import ensure_tfdv_python

        python = ensure_tfdv_python()
    except Exception as error:  # the peer is optional for the benchmark
        return None, None, f"TFDV peer unavailable: {error}"
    start = time.perf_counter()
    done = subprocess.run(
        [python, "-c", _COLD_TFDV, str(path)], capture_output=True, text=True, check=False
    )
    wall = time.perf_counter() - start
    if done.returncode:
        return None, None, "TFDV failed: " + done.stderr.strip().splitlines()[-1]
    return wall, float(done.stdout.split()[0]), "TFDV 1.16.1 (DirectRunner)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--files", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--no-tfdv", action="store_true", help="skip the TFDV peer")
    parser.add_argument("--cold-runs", type=int, default=3, help="fresh processes (best of)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        covertype = write_covertype_csv(folder / "covertype.csv", COVERTYPE_ROWS)
        cold = [cold_ours(covertype) for _ in range(args.cold_runs)]
        tfdv_wall, tfdv_inside, tfdv_note = (
            (None, None, "skipped (--no-tfdv)") if args.no_tfdv else cold_tfdv(covertype)
        )
        cold += [cold_ours(covertype) for _ in range(args.cold_runs)]  # around TFDV's run
        parquet, csv = write_data(folder, args.rows, args.files)
        data = {"parquet": parquet, "csv": csv}
        size = {k: sum(os.path.getsize(f) for f in v) / 2**20 for k, v in data.items()}
        alone = {kind: one_process(files, args.repeats) for kind, files in data.items()}
        read_alone = {kind: read_only_one_process(f, args.repeats) for kind, f in data.items()}
        capacity = parallel_capacity(args.workers)
        many = cluster_runs(data, args.workers, args.repeats, floors=True)
        single = cluster_runs(data, 1, args.repeats, floors=False)
        from datajourney.stats import generate_statistics

        equal = {}
        for kind, files in data.items():
            alone_stats = generate_statistics(files)
            results = [compare(r[f"{kind}_stats"], alone_stats) for r in (many, single)]
            equal[kind] = (all(ok for ok, _ in results), max(rank for _, rank in results))
    many["capacity"] = capacity
    text = report(args, size, alone, read_alone, many, single, equal, cold, tfdv_wall, tfdv_inside)
    text += f"\n{tfdv_note}.\n"
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)


def report(args, size, alone, read_alone, many, single, equal, cold, tfdv_wall, tfdv_inside):
    n = args.workers
    lines = [
        "# Statistics on Dask",
        "",
        f"{args.rows:,} covertype-like rows (13 columns) as {args.files} Parquet files "
        f"({size['parquet']:.0f} MiB, row groups of {ROW_GROUP_ROWS:,}) and as {args.files} CSV "
        f"files ({size['csv']:.0f} MiB); {platform.machine()}, {os.cpu_count()} CPUs, Python "
        f"{platform.python_version()}; best of {args.repeats} after a warm-up. LocalCluster "
        f"workers are processes with one thread each; {many['partitions']} Parquet partitions.",
        "",
        f"| what | Parquet s | CSV s | {n} workers vs one process (Parquet / CSV) |",
        "|---|---:|---:|---:|",
    ]

    def row(label, parquet, csv_s, ratio=True):
        speed = f"{alone['parquet']['seconds'] / parquet:.2f}x / " + (
            f"{alone['csv']['seconds'] / csv_s:.2f}x" if ratio else ""
        )
        lines.append(f"| {label} | {parquet:.2f} | {csv_s:.2f} | {speed if ratio else ''} |")

    row("one process: generate_statistics", alone["parquet"]["seconds"], alone["csv"]["seconds"])
    row("LocalCluster, 1 worker", single["parquet"], single["csv"])
    row(f"LocalCluster, {n} workers", many["parquet"], many["csv"])
    row("floor: read only, one process", read_alone["parquet"], read_alone["csv"], ratio=False)
    row(f"floor: read only, {n} workers", many["parquet_read"], many["csv_read"], ratio=False)
    lines += [
        "",
        f"- Speed-up of {n} workers over 1 worker: "
        f"{single['parquet'] / many['parquet']:.2f}x Parquet, "
        f"{single['csv'] / many['csv']:.2f}x CSV. Reading alone scales "
        f"{read_alone['parquet'] / many['parquet_read']:.2f}x (Parquet) and "
        f"{read_alone['csv'] / many['csv_read']:.2f}x (CSV) on the same cluster: "
        "the ceiling this machine allows.",
        f"- CPU available when measured: {n} busy processes got {many['capacity']:.2f} cores' "
        f"worth (a pure-Python loop; {n} on an idle machine). The machine is shared, so this "
        "bounds every ratio above.",
        f"- The bare Dask graph (a no-op task per partition): {many['noop'] * 1000:.0f} ms.",
        "- Statistics against one process: exact figures (counts, missing, min / max, zeros, "
        "top values, uniques; mean / std dev to 1e-12) "
        + ", ".join(f"{k} {'identical' if ok else 'DIFFERENT'}" for k, (ok, _) in equal.items())
        + "; sketched quantiles and histograms (features past 4,096 distinct values, KLL "
        "k=400) differ by at most "
        + ", ".join(f"{rank:.2%} of the values ({k})" for k, (_, rank) in equal.items())
        + " in rank.",
        f"- Peak RSS per worker: {many['rss_one_file']:.0f} MiB after one file, "
        f"{many['rss_all']:.0f} MiB after all {args.files} files; one process: "
        f"{alone['parquet']['peak_rss_mib']:.0f} MiB (Parquet), "
        f"{alone['csv']['peak_rss_mib']:.0f} MiB (CSV).",
        "",
        "## Cold first call: the 581,012-row covertype CSV in a fresh interpreter",
        "",
        "| what | whole process s | imports + call s | ratio |",
        "|---|---:|---:|---:|",
    ]
    wall, inside = min(c[0] for c in cold), min(c[1] for c in cold)
    lines.append(f"| datajourney (best of {len(cold)}) | {wall:.2f} | {inside:.2f} | 1 |")
    if tfdv_wall is not None:
        lines.append(
            f"| TFDV 1.16.1 | {tfdv_wall:.1f} | {tfdv_inside:.1f} | datajourney "
            f"{tfdv_wall / wall:.0f}x faster (whole process), {tfdv_inside / inside:.0f}x "
            "(imports + call) |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
