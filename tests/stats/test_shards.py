"""Sharded statistics: TFDV's shard merge and reading sharded TFRecord files."""

from __future__ import annotations

import pytest
from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import statistics_pb2

from datajourney.io.tfrecord import TFRecordWriter
from datajourney.stats import load_sharded_statistics, merge_statistics_shards

List = statistics_pb2.DatasetFeatureStatisticsList


def _list(text: str) -> List:
    return text_format.Parse(text, List())


def _write(path, *texts: str) -> str:
    with TFRecordWriter(path) as writer:
        for text in texts:
            writer.write(_list(text).SerializeToString())
    return str(path)


def test_shards_of_one_slice_fill_each_other_in():
    merged = merge_statistics_shards(
        [
            _list('datasets { name: "s" num_examples: 4 features { path { step: "a" } } }'),
            _list(
                'datasets { name: "s" features { path { step: "a" } type: STRING '
                "string_stats { unique: 2 } } }"
            ),
        ]
    )
    assert merged == _list(
        'datasets { name: "s" num_examples: 4 features { path { step: "a" } type: STRING '
        "string_stats { unique: 2 } } }"
    )


def test_no_shard_gives_one_empty_data_set():
    assert merge_statistics_shards([]) == _list("datasets {}")


def test_prefix_reads_shards_in_name_order(tmp_path):
    _write(tmp_path / "s-00001-of-00002", 'datasets { name: "second" }')
    _write(tmp_path / "s-00000-of-00002", 'datasets { name: "first" }')
    _write(tmp_path / "s.tfrecords", 'datasets { name: "not a shard" }')
    assert load_sharded_statistics(str(tmp_path / "s")).list_slices() == ["first", "second"]


def test_one_path_is_a_list_of_one(tmp_path):
    path = _write(tmp_path / "one", 'datasets { name: "a" }', 'datasets { name: "b" }')
    assert load_sharded_statistics(input_paths=path).list_slices() == ["a", "b"]


def test_a_conflict_names_the_slice_and_feature(tmp_path):
    path = _write(
        tmp_path / "c",
        'datasets { name: "A" features { path { step: "f" } num_stats {} } }',
        'datasets { name: "A" features { path { step: "f" } bytes_stats {} } }',
    )
    with pytest.raises(RuntimeError, match="slice 'A', feature 'f': 'num_stats' and 'bytes_stats'"):
        load_sharded_statistics(input_paths=[path])
