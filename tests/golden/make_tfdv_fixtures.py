"""Record golden fixtures from real TFDV 1.16.1 (``make peers``).

Generates small data sets deterministically under ``tests/golden/tfdv/data/``, then runs
``tfdv_recorder.py`` with the peer interpreter (``.peers/tfdv``), which writes TFDV's statistics,
schemas and anomalies next to them and a ``manifest.json`` listing every case, then
``tfdv_record_cases.py``, which records TFDV's answers to the API cases of ``tfdv_cases.py``.
"""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1]))

from tests.tfdv_peer import ensure_tfdv_python  # noqa: E402

FIXTURES = HERE / "tfdv"
DATA = FIXTURES / "data"

AREAS = ["Rawah", "Neota", "Comanche", "Cache"]
SOILS = [f"C{7700 + 3 * i}" for i in range(30)]
COLUMNS = [
    "Elevation",
    "Slope",
    "Hillshade_9am",
    "Ratio",
    "Wilderness_Area",
    "Soil_Type",
    "Horizontal_Distance",
    "Is_Weekend",
    "Flag",
    "Comment",
    "Cover_Type",
]


def _row(
    rng: random.Random,
    area_weights: list[float],
    soil_shift: int,
    ratio_power: float,
    missing_distance: float,
) -> dict[str, object]:
    return {
        "Elevation": round(rng.gauss(2900, 250)),
        "Slope": rng.randint(0, 60),
        "Hillshade_9am": rng.randint(0, 255),
        "Ratio": round(rng.random() ** ratio_power, 4),
        "Wilderness_Area": rng.choices(AREAS, weights=area_weights)[0],
        "Soil_Type": SOILS[min(29, int(abs(rng.gauss(soil_shift, 6))))],
        "Horizontal_Distance": ""
        if rng.random() < missing_distance
        else round(rng.uniform(0, 7000), 1),
        "Is_Weekend": int(rng.random() < 2 / 7),
        "Flag": rng.choice(["true", "false"]),
        "Comment": "" if rng.random() < 0.1 else f"note {rng.randint(0, 400)}",
        "Cover_Type": rng.randint(1, 7),
    }


def _write_csv(name: str, rows: list[dict[str, object]], columns: list[str]) -> None:
    with open(DATA / name, "w", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)


def make_tabular() -> None:
    """train / eval / serving / next_day CSVs with planted anomalies."""
    rng = random.Random(4)
    base = [0.45, 0.05, 0.4, 0.1]
    train = [_row(rng, base, 8, 1.0, 0.1) for _ in range(1000)]
    _write_csv("train.csv", train, COLUMNS)

    evaluation = [_row(rng, base, 8, 1.0, 0.35) for _ in range(400)]
    for i, row in enumerate(evaluation):
        row["Aspect"] = rng.randint(0, 360)  # a new column
        if i % 50 == 0:
            row["Wilderness_Area"] = "Unknown"  # an unseen category
        if i % 40 == 0:
            row["Slope"] = rng.randint(61, 90)  # out of the curated range
        if i % 20 == 0:
            row["Ratio"] = -0.5  # below the curated range
        if i % 20 == 1:
            row["Comment"] = ""
    evaluation[7]["Elevation"] = "2054.5"  # a float in an INT column
    eval_columns = [c for c in COLUMNS if c != "Hillshade_9am"] + ["Aspect"]  # one dropped
    _write_csv("eval.csv", evaluation, eval_columns)

    serving = [_row(rng, [0.2, 0.3, 0.3, 0.2], 8, 1.0, 0.1) for _ in range(500)]
    _write_csv("serving.csv", serving, [c for c in COLUMNS if c != "Cover_Type"])

    next_day = [_row(rng, base, 16, 2.5, 0.1) for _ in range(500)]
    _write_csv("next_day.csv", next_day, COLUMNS)


def make_lists() -> None:
    """List-valued rows (JSON lines); the recorder writes them as tf.Example TFRecords."""
    rng = random.Random(5)
    words = ["red", "green", "blue", "cyan", "plum"]

    def rows(count: int, bad: bool) -> list[dict[str, list]]:
        out = []
        for i in range(count):
            row: dict[str, list] = {
                "tags": rng.sample(words, rng.randint(1, 3)),
                "scores": [round(rng.random(), 3) for _ in range(3)],
                "ids": [rng.randint(0, 99) for _ in range(rng.randint(1, 2))],
                "weight": [round(rng.uniform(1, 2), 2)],
            }
            if i % 5 == 0:
                del row["ids"]  # sometimes absent
            if bad and i % 10 == 0:
                row["tags"] = [*words, "teal"]  # too many values, one unseen
                row["scores"] = row["scores"][:2]  # shape [3] broken
            if bad and i % 25 == 0:
                del row["weight"]
            out.append(row)
        return out

    for name, count, bad in (("lists.jsonl", 300, False), ("lists_bad.jsonl", 200, True)):
        with open(DATA / name, "w") as out:
            out.writelines(json.dumps(row) + "\n" for row in rows(count, bad))


def main() -> None:
    DATA.mkdir(parents=True, exist_ok=True)
    make_tabular()
    make_lists()
    python = ensure_tfdv_python()
    subprocess.run([python, str(HERE / "tfdv_recorder.py"), str(FIXTURES)], check=True)
    subprocess.run([python, str(HERE / "tfdv_record_cases.py"), str(FIXTURES)], check=True)
    manifest = json.loads((FIXTURES / "manifest.json").read_text())
    print(
        f"recorded {len(manifest['schemas'])} schemas and {len(manifest['validations'])} "
        f"validations from TFDV {manifest['tfdv_version']} under {FIXTURES}"
    )


if __name__ == "__main__":
    main()
