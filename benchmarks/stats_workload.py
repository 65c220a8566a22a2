"""Generated covertype-like CSV files for the statistics benchmark.

The shape follows the seed lab's covertype data set: ten quantitative integer columns, the
wilderness area and the soil type as categorical strings, and the ``Cover_Type`` label (1-7).
Values are drawn from fixed seeds, so every run writes the same bytes.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

COVERTYPE_ROWS = 581_012

# (name, low, high) of the quantitative columns, ranges as in the UCI covertype data.
QUANTITATIVE = [
    ("Elevation", 1859, 3858),
    ("Aspect", 0, 360),
    ("Slope", 0, 66),
    ("Horizontal_Distance_To_Hydrology", 0, 1397),
    ("Vertical_Distance_To_Hydrology", -173, 601),
    ("Horizontal_Distance_To_Roadways", 0, 7117),
    ("Hillshade_9am", 0, 254),
    ("Hillshade_Noon", 0, 254),
    ("Hillshade_3pm", 0, 254),
    ("Horizontal_Distance_To_Fire_Points", 0, 7173),
]
WILDERNESS = ["Rawah", "Neota", "Commanche", "Cache"]
SOILS = [f"C{code}" for code in range(2702, 2742)]


def covertype_table(rows: int, seed: int) -> pa.Table:
    """A covertype-like table of ``rows`` rows."""
    rng = np.random.default_rng(seed)
    columns: dict[str, pa.Array] = {}
    for name, low, high in QUANTITATIVE:
        middle, spread = (low + high) / 2, (high - low) / 6
        values = np.clip(rng.normal(middle, spread, rows).round(), low, high).astype(np.int64)
        columns[name] = pa.array(values)
    wilderness = rng.choice(len(WILDERNESS), rows, p=[0.45, 0.05, 0.44, 0.06])
    columns["Wilderness_Area"] = pa.array(np.array(WILDERNESS, dtype=object)[wilderness])
    soil_weights = rng.dirichlet(np.ones(len(SOILS)))
    soils = rng.choice(len(SOILS), rows, p=soil_weights)
    columns["Soil_Type"] = pa.array(np.array(SOILS, dtype=object)[soils])
    columns["Cover_Type"] = pa.array(rng.integers(1, 8, rows))
    return pa.table(columns)


def write_covertype_csv(path: Path, rows: int, chunk_rows: int = 1_000_000) -> Path:
    """Write a covertype-like CSV of ``rows`` rows, ``chunk_rows`` at a time (bounded memory)."""
    options = pacsv.WriteOptions(quoting_style="none")
    schema = covertype_table(1, 0).schema
    with pacsv.CSVWriter(str(path), schema, write_options=options) as writer:
        for chunk, start in enumerate(range(0, rows, chunk_rows)):
            writer.write_table(covertype_table(min(chunk_rows, rows - start), seed=chunk))
    return path
