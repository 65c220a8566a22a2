"""validate_examples_in_tfrecord with num_sampled_examples returns tf.Example messages."""

from __future__ import annotations

from google.protobuf import text_format
from tensorflow_metadata.proto.v0 import schema_pb2

import datajourney.tfdv as tfdv
from datajourney.io.example import write_tfrecord
from datajourney.io.proto.example_pb2 import Example

_EXAMPLES = [
    'features { feature { key: "colour" value { bytes_list { value: "purple" } } } }',
    'features { feature { key: "colour" value { bytes_list { value: "red" } } } '
    'feature { key: "extra" value { int64_list { value: [1, 2] } } } }',
    'features { feature { key: "colour" value { bytes_list { value: "red" } } } }',
]
_SCHEMA = """
feature { name: "colour" type: BYTES domain: "colour" presence { min_count: 1 } }
string_domain { name: "colour" value: "red" value: "blue" }
"""


def test_sampled_anomalous_examples_are_tf_examples(tmp_path):
    examples = [text_format.Parse(text, Example()) for text in _EXAMPLES]
    path = write_tfrecord(tmp_path / "data.tfrecord", examples)
    options = tfdv.StatsOptions(schema=text_format.Parse(_SCHEMA, schema_pb2.Schema()))
    stats, samples = tfdv.validate_examples_in_tfrecord(str(path), options, num_sampled_examples=5)
    assert [d.name for d in stats.datasets] == sorted(samples)
    assert samples == {
        "colour_ENUM_TYPE_UNEXPECTED_STRING_VALUES": [examples[0]],
        "extra_SCHEMA_NEW_COLUMN": [examples[1]],
    }
