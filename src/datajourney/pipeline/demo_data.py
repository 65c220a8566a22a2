"""A covertype-like data set (cartographic features, forest cover label) with planted anomalies,
generated deterministically for the demo: no download."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

LABEL = "Cover_Type"
AREAS = ["Rawah", "Neota", "Comanche", "Cache"]
SOILS = [
    f"C{code}"
    for code in (
        2702,
        2703,
        2704,
        2705,
        2706,
        2717,
        3501,
        3502,
        4201,
        4703,
        4704,
        4744,
        4758,
        5101,
        6101,
        6102,
        6731,
        7101,
        7102,
        7700,
    )
]
UNSEEN_SOIL = "C9999"
COLUMNS = [
    "Elevation",
    "Aspect",
    "Slope",
    "Horizontal_Distance_To_Hydrology",
    "Vertical_Distance_To_Hydrology",
    "Horizontal_Distance_To_Roadways",
    "Hillshade_9am",
    "Hillshade_Noon",
    "Hillshade_3pm",
    "Horizontal_Distance_To_Fire_Points",
    "Wilderness_Area",
    "Soil_Type",
    LABEL,
]


def ints(values: np.ndarray) -> list:
    """Plain Python ints (so a row can later hold a planted string or blank)."""
    return [int(v) for v in values]


def _rows(rng: np.random.Generator, n: int, area_shares: list[float]) -> dict[str, list]:
    return {
        "Elevation": ints(np.clip(rng.normal(2950, 280, n), 1860, 3850)),
        "Aspect": ints(rng.integers(0, 360, n)),
        "Slope": ints(np.clip(rng.gamma(3.0, 4.5, n), 0, 60)),
        "Horizontal_Distance_To_Hydrology": ints(rng.exponential(230, n).clip(0, 1390)),
        "Vertical_Distance_To_Hydrology": ints(rng.normal(45, 58, n).clip(-170, 600)),
        "Horizontal_Distance_To_Roadways": ints(rng.exponential(2300, n).clip(0, 7100)),
        "Hillshade_9am": ints(rng.normal(212, 27, n).clip(0, 254)),
        "Hillshade_Noon": ints(rng.normal(223, 20, n).clip(0, 254)),
        "Hillshade_3pm": ints(rng.normal(142, 38, n).clip(0, 254)),
        "Horizontal_Distance_To_Fire_Points": ints(rng.exponential(1980, n).clip(0, 7170)),
        "Wilderness_Area": list(rng.choice(AREAS, n, p=area_shares)),
        "Soil_Type": list(rng.choice(SOILS, n)),
        LABEL: ints(rng.integers(0, 7, n)),
    }


def _write(path: Path, data: dict[str, list]) -> None:
    columns = [c for c in COLUMNS if c in data]
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(columns)
        writer.writerows(zip(*(data[c] for c in columns)))


def write_covertype(folder: str | Path, rows: int = 4000, seed: int = 7) -> Path:
    """Write ``train.csv`` (clean), ``eval.csv`` and ``serving.csv`` (no label) under ``folder``.

    Planted: in eval, an unseen ``Soil_Type`` (C9999), ``Hillshade_9am`` above 255 and missing
    ``Elevation`` values; in serving, ``Slope`` above 90 and a shifted ``Wilderness_Area`` mix
    (skew). Same arguments, same bytes.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(seed)
    shares = [0.45, 0.05, 0.42, 0.08]
    _write(folder / "train.csv", _rows(rng, rows, shares))
    evaluation = _rows(rng, rows // 4, shares)
    for i in range(0, len(evaluation["Soil_Type"]), 25):
        evaluation["Soil_Type"][i] = UNSEEN_SOIL
    for i in range(3, len(evaluation["Hillshade_9am"]), 40):
        evaluation["Hillshade_9am"][i] = 300
    for i in range(5, len(evaluation["Elevation"]), 20):
        evaluation["Elevation"][i] = ""
    _write(folder / "eval.csv", evaluation)
    serving = _rows(rng, rows // 4, [0.15, 0.05, 0.72, 0.08])
    del serving[LABEL]
    for i in range(7, len(serving["Slope"]), 50):
        serving["Slope"][i] = 95
    _write(folder / "serving.csv", serving)
    return folder
