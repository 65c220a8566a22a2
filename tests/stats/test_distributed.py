"""Statistics on a Dask LocalCluster equal one process's, however the data is partitioned."""

from __future__ import annotations

import subprocess
import sys
from itertools import pairwise

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from datajourney.stats import (
    StatsOptions,
    data_problems,
    generate_statistics,
    generate_statistics_from_csv,
    generate_statistics_from_dataframe,
    get_feature_value_slicer,
)

dd = pytest.importorskip("dask.dataframe")
distributed = pytest.importorskip("distributed")
from dask import delayed  # noqa: E402


@pytest.fixture
def client(dask_client):
    """The session's cluster (tests/conftest.py): two worker processes."""
    return dask_client


def _frame(rows: int = 3_000) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    count = rng.integers(0, 900, rows).astype(float)
    count[rng.random(rows) < 0.1] = np.nan  # missing values
    return pd.DataFrame(
        {
            "count": count,
            "price": rng.integers(0, 3_000, rows) / 100,
            "city": rng.choice(["Lyon", "Oslo", "Kyiv", "Lima"], rows),
            "user": [f"user-{i}" for i in rng.integers(0, 2_500, rows)],
            "sparse": [None if i < 2_000 else f"s{i % 7}" for i in range(rows)],
        }
    )


def _pieces(frame: pd.DataFrame, cuts: list[int]) -> list[pd.DataFrame]:
    edges = [0, *cuts, len(frame)]
    return [frame.iloc[a:b] for a, b in pairwise(edges)]


def _dask_frame(pieces: list[pd.DataFrame]):
    return dd.from_delayed([delayed(p.copy)() for p in pieces], meta=pieces[0].iloc[:0])


def same(ours, expected) -> None:
    """Equal protos, but mean and std dev only to floating-point rounding."""
    ours, expected = _copy(ours), _copy(expected)
    for mine, theirs in zip(ours.datasets, expected.datasets):
        for a, b in zip(mine.features, theirs.features):
            if not a.HasField("num_stats"):
                continue
            pairs = [(a.num_stats, b.num_stats)]
            pairs.append((a.num_stats.weighted_numeric_stats, b.num_stats.weighted_numeric_stats))
            for left, right in pairs:
                for field in ("mean", "std_dev"):
                    value = getattr(right, field)
                    assert getattr(left, field) == pytest.approx(value, rel=1e-12, abs=1e-12)
                    left.ClearField(field)
                    right.ClearField(field)
    assert ours == expected


def _copy(statistics):
    return type(statistics).FromString(statistics.SerializeToString())


@pytest.mark.parametrize(
    "cuts",
    [
        [],  # one partition
        [1_000, 2_000],  # equal parts; all of "sparse" missing in the first two
        [0, 700, 700, 2_999],  # empty partitions and a one-row partition
        [1_999, 2_000, 2_001],
    ],
    ids=["one", "thirds", "empty-parts", "ragged"],
)
def test_dask_dataframe_statistics_equal_one_process(client, cuts):
    frame = _frame()
    expected = generate_statistics(frame)
    ours = generate_statistics(_dask_frame(_pieces(frame, cuts)), client=client)
    same(ours, expected)


def test_tfdv_dataframe_name_takes_a_dask_dataframe_on_the_current_client(client):
    frame = _frame(500)
    ours = generate_statistics_from_dataframe(_dask_frame(_pieces(frame, [100, 300])))
    same(ours, generate_statistics_from_dataframe(frame))


def test_slices_and_weights_are_the_same_on_the_cluster(client):
    frame = _frame(1_200)
    frame["weight"] = np.arange(len(frame)) % 3 + 0.5
    options = StatsOptions(
        weight_feature="weight", slice_functions=[get_feature_value_slicer({"city": None})]
    )
    ours = generate_statistics(_dask_frame(_pieces(frame, [400, 800])), options, client=client)
    expected = generate_statistics(frame, options)
    assert [d.name for d in ours.datasets] == [d.name for d in expected.datasets]
    same(ours, expected)


def _write_files(folder) -> list[str]:
    frame = _frame(2_400)
    paths = []
    for index, piece in enumerate(_pieces(frame, [800, 1_600])):
        path = folder / f"part{index}.csv"
        piece.to_csv(path, index=False)
        paths.append(str(path))
    # a ragged row in the middle file, and text in a column the other files hold numbers in
    lines = (folder / "part1.csv").read_text().splitlines()
    lines.insert(5, "1,2")
    (folder / "part1.csv").write_text("\n".join(lines) + "\n")
    lines = (folder / "part2.csv").read_text().splitlines()
    lines[-1] = "n/a," + lines[-1].split(",", 1)[1]
    (folder / "part2.csv").write_text("\n".join(lines) + "\n")
    return paths


def test_csv_files_on_the_cluster_equal_one_process_with_bad_rows_located(client, tmp_path):
    paths = _write_files(tmp_path)
    expected = generate_statistics(paths)
    ours = generate_statistics(paths, client=client)
    same(ours, expected)
    (problem,) = data_problems(ours.datasets[0])
    assert problem.kind == "wrong_field_count" and problem.count == 1
    assert problem.examples[0].location == f"{paths[1]}:6"  # the file and line it came from
    count = next(f for f in ours.datasets[0].features if f.path.step[0] == "count")
    assert count.HasField("string_stats")  # widened to text everywhere, as in one process


def test_tfdv_csv_name_and_schema_types_on_the_cluster(client, tmp_path):
    from datajourney.schema import infer_schema

    paths = _write_files(tmp_path)
    schema = infer_schema(generate_statistics(paths[0]))
    options = StatsOptions(schema=schema, infer_type_from_schema=True)
    expected = generate_statistics_from_csv(paths, stats_options=options)
    ours = generate_statistics_from_csv(paths, stats_options=options, client=client)
    same(ours, expected)
    kinds = {p.kind for p in data_problems(ours.datasets[0])}
    assert "unparsable_value" in kinds  # "n/a" against the schema's number type


def test_parquet_row_groups_are_partitions(client, tmp_path):
    frame = pa.Table.from_pandas(_frame(5_000), preserve_index=False)
    paths = []
    for index in range(2):
        path = tmp_path / f"p{index}.parquet"
        pq.write_table(frame, path, row_group_size=250)  # 20 row groups: several partitions
        paths.append(str(path))
    same(generate_statistics(paths, client=client), generate_statistics(paths))


def test_statistics_never_import_dask_unless_asked(tmp_path):
    (tmp_path / "a.csv").write_text("x,y\n1,a\n2,b\n")
    script = (
        "import sys; sys.modules['dask'] = None; sys.modules['distributed'] = None\n"
        "from datajourney.stats import generate_statistics\n"
        f"print(generate_statistics({str(tmp_path / 'a.csv')!r}).datasets[0].num_examples)\n"
        "try:\n"
        f"    generate_statistics({str(tmp_path / 'a.csv')!r}, client=object())\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "2"
    assert "pip install datajourney[dask]" in done.stdout
