"""Statistics benchmark: datajourney vs TFDV 1.16.1 vs pyarrow only parsing, on covertype.

``make bench`` runs it: a generated 581,012-row covertype-like CSV (``stats_workload.py``),
statistics by datajourney (best of three), by real TFDV in its peer interpreter (``.peers/tfdv``,
created by ``tests/tfdv_peer.py``; skipped with a note when it cannot be had) and the time
pyarrow alone takes to parse the file. ``--large`` adds a 10,000,000-row file, computed in a
child process whose peak RSS is reported. The table goes to ``benchmarks/results/stats.md``.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pyarrow.csv as pacsv

sys.path.insert(0, str(Path(__file__).resolve().parent))
from stats_workload import COVERTYPE_ROWS, write_covertype_csv

REPO = Path(__file__).resolve().parents[1]
RESULTS = REPO / "benchmarks" / "results" / "stats.md"
LARGE_ROWS = 10_000_000

_TFDV_SCRIPT = """
import json, sys, time
import tensorflow_data_validation as tfdv
start = time.perf_counter()
stats = tfdv.generate_statistics_from_csv(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - start,
                  "examples": stats.datasets[0].num_examples}))
"""

_OURS_SCRIPT = """
import json, resource, sys, time
from datajourney.stats import generate_statistics
start = time.perf_counter()
stats = generate_statistics(sys.argv[1])
print(json.dumps({"seconds": time.perf_counter() - start,
                  "examples": stats.datasets[0].num_examples,
                  "peak_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""


def best_of(repeats: int, work) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def parse_only(path: Path) -> None:
    for _batch in pacsv.open_csv(path):
        pass


def ours(path: Path) -> None:
    from datajourney.stats import generate_statistics

    generate_statistics(str(path))


def tfdv_seconds(path: Path) -> tuple[float | None, str]:
    sys.path.insert(0, str(REPO))
    try:
        from tests.tfdv_peer import ensure_tfdv_python

        python = ensure_tfdv_python()
    except Exception as error:  # the peer is optional for the benchmark
        return None, f"TFDV peer unavailable: {error}"
    done = subprocess.run(
        [python, "-c", _TFDV_SCRIPT, str(path)], capture_output=True, text=True, check=False
    )
    if done.returncode:
        return None, "TFDV failed: " + done.stderr.strip().splitlines()[-1]
    return json.loads(done.stdout.strip().splitlines()[-1])["seconds"], "TFDV 1.16.1 (DirectRunner)"


def large_run(folder: Path) -> dict:
    path = write_covertype_csv(folder / "large.csv", LARGE_ROWS)
    done = subprocess.run(
        [sys.executable, "-c", _OURS_SCRIPT, str(path)], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["file_mib"] = path.stat().st_size / 2**20
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--large", action="store_true", help="also the 10M-row file")
    parser.add_argument("--no-tfdv", action="store_true", help="skip the TFDV peer")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = write_covertype_csv(Path(folder) / "covertype.csv", COVERTYPE_ROWS)
        size = path.stat().st_size / 2**20
        ours(path)  # warm up imports
        parse_s = best_of(3, lambda: parse_only(path))
        ours_s = best_of(3, lambda: ours(path))
        tfdv_s, tfdv_note = (None, "skipped (--no-tfdv)") if args.no_tfdv else tfdv_seconds(path)
        large = large_run(Path(folder)) if args.large else None
    lines = [
        "# Statistics benchmark",
        "",
        f"Covertype-like CSV, {COVERTYPE_ROWS:,} rows x 13 columns, {size:.1f} MiB; "
        f"{platform.machine()}, Python {platform.python_version()}; best of 3 except TFDV (1 run).",
        "",
        "| what | seconds | ratio |",
        "|---|---:|---:|",
        f"| pyarrow parse only (open_csv) | {parse_s:.3f} | 1.00 |",
        f"| datajourney generate_statistics | {ours_s:.3f} | {ours_s / parse_s:.2f}x parse |",
    ]
    if tfdv_s is not None:
        lines.append(
            f"| {tfdv_note} generate_statistics_from_csv | {tfdv_s:.2f} | "
            f"datajourney {tfdv_s / ours_s:.0f}x faster |"
        )
    else:
        lines.append(f"| TFDV | - | {tfdv_note} |")
    if large is not None:
        lines += [
            "",
            f"10M rows ({large['file_mib']:.0f} MiB): datajourney {large['seconds']:.1f} s, "
            f"peak RSS {large['peak_rss_mib']:.0f} MiB (whole process, interpreter included).",
        ]
    text = "\n".join(lines) + "\n"
    print(text)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)


if __name__ == "__main__":
    main()
