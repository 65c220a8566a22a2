"""Row-level validation (validate_examples_in_csv) on a Dask cluster equals one process, with
each bad row's file and line, however the rows are split into files."""

from __future__ import annotations

from itertools import pairwise

import pytest
from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import schema_pb2

from datajourney.stats import StatsOptions
from datajourney.validation import find_bad_examples, validate_examples_in_csv
from tests.stats.test_distributed import same

pytest.importorskip("distributed")

SCHEMA = text_format.Parse(
    """
    feature { name: "slope" type: INT int_domain { min: 0 max: 60 }
              presence { min_fraction: 1.0 } }
    feature { name: "area" type: BYTES domain: "area" }
    feature { name: "ratio" type: FLOAT }
    string_domain { name: "area" value: "Rawah" value: "Cache" }
    """,
    schema_pb2.Schema(),
)
HEADER = "slope,area,ratio,note"


def _rows() -> list[str]:
    rows = []
    for i in range(60):
        slope = {7: "", 19: "99", 33: "steep", 48: "-1"}.get(i, str(i % 50))
        area = {5: "Neota", 41: "Lima"}.get(i, "Rawah" if i % 2 else "Cache")
        ratio = {12: "x1", 50: "0.5.1"}.get(i, f"{i / 7:.3f}")
        note = "text" if i == 55 else str(i)  # text late: the column is text everywhere
        rows.append(f"{slope},{area},{ratio},{note}")
    return rows


def _files(folder, cuts: list[int], drop_area_in: int | None = None) -> list[str]:
    rows, paths = _rows(), []
    for index, (start, end) in enumerate(pairwise([0, *cuts, len(rows)])):
        lines = [HEADER, *rows[start:end]]
        if index == drop_area_in:  # a file without the "area" column at all
            lines = [",".join(v for j, v in enumerate(line.split(",")) if j != 1) for line in lines]
        path = folder / f"part{index}.csv"
        path.write_text("\n".join(lines) + "\n")
        paths.append(str(path))
    return paths


def _key(bad) -> tuple:
    return bad.row, bad.feature, bad.reason, bad.value


@pytest.mark.parametrize(
    "cuts",
    [[], [20, 40], [0, 30, 30, 59]],
    ids=["one-file", "thirds", "empty-files"],
)
def test_bad_rows_do_not_depend_on_the_files_or_the_engine(dask_client, tmp_path, cuts):
    whole = find_bad_examples(_files(_mk(tmp_path / "whole"), []), SCHEMA)
    paths = _files(_mk(tmp_path / "split"), cuts)
    alone = find_bad_examples(paths, SCHEMA)
    on_cluster = find_bad_examples(paths, SCHEMA, client=dask_client)
    assert on_cluster == alone  # locations included
    assert [_key(b) for b in alone] == [_key(b) for b in whole]
    assert {(b.row, b.feature, b.reason) for b in alone} >= {
        (7, "slope", "FEATURE_TYPE_LOW_FRACTION_PRESENT"),
        (19, "slope", "INT_TYPE_BIG_INT"),
        (33, "slope", "INT_TYPE_NOT_INT_STRING"),
        (41, "area", "ENUM_TYPE_UNEXPECTED_STRING_VALUES"),
        (50, "ratio", "FLOAT_TYPE_STRING_NOT_FLOAT"),
    }


def _mk(folder):
    folder.mkdir(exist_ok=True)
    return folder


def test_each_bad_row_names_its_file_and_line(dask_client, tmp_path):
    paths = _files(tmp_path, [20, 40])
    bad = {(b.row, b.feature): b for b in find_bad_examples(paths, SCHEMA, client=dask_client)}
    assert bad[(19, "slope")].location == f"{paths[0]}:21"  # header is line 1
    assert bad[(41, "area")].location == f"{paths[2]}:3"
    assert bad[(41, "area")].value == "Lima"


def test_a_file_without_a_column_reports_the_missing_column_for_its_rows(dask_client, tmp_path):
    paths = _files(tmp_path, [20, 40], drop_area_in=1)
    bad = find_bad_examples(paths, SCHEMA, client=dask_client)
    assert bad == find_bad_examples(paths, SCHEMA)
    missing = [b.row for b in bad if b.reason == "SCHEMA_MISSING_COLUMN"]
    assert missing == list(range(20, 40))


def test_validate_examples_in_csv_on_the_cluster_equals_one_process(dask_client, tmp_path):
    paths = _files(tmp_path, [0, 20, 40])
    options = StatsOptions(schema=SCHEMA, num_histogram_buckets=3)
    expected, expected_samples = validate_examples_in_csv(paths, options, num_sampled_examples=2)
    ours, samples = validate_examples_in_csv(
        paths, options, num_sampled_examples=2, client=dask_client
    )
    same(ours, expected)
    # as TFDV: each example validated alone, columns typed over all the files ("steep" and
    # "x1" make slope and ratio text everywhere), the column the schema lacks in every row
    assert {d.name: d.num_examples for d in ours.datasets} == {
        "area_ENUM_TYPE_UNEXPECTED_STRING_VALUES": 2,
        "note_SCHEMA_NEW_COLUMN": 60,
        "ratio_UNEXPECTED_DATA_TYPE": 60,
        "slope_UNEXPECTED_DATA_TYPE": 59,  # not the row where slope is empty
    }
    assert samples.keys() == expected_samples.keys()
    for name, frame in samples.items():
        assert frame.equals(expected_samples[name])
    # the late text in "note" types the column as text in the bad rows of every file
    note = next(f for f in ours.datasets[0].features if f.path.step[0] == "note")
    assert note.HasField("string_stats")


def test_validate_examples_in_csv_refuses_files_with_different_headers(dask_client, tmp_path):
    paths = _files(tmp_path, [0, 20, 40], drop_area_in=1)
    options = StatsOptions(schema=SCHEMA)
    for client in (None, dask_client):
        with pytest.raises(ValueError, match="Files have different headers"):
            validate_examples_in_csv(paths, options, client=client)
