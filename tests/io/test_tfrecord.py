"""TFRecord framing, checksums and tf.Example conversion."""

from __future__ import annotations

import gzip
import struct

import pyarrow as pa
import pytest

from datajourney.io import (
    DataReadError,
    TFRecordWriter,
    iter_records,
    read_tfrecord,
    write_tfrecord,
)
from datajourney.io.proto.example_pb2 import Example
from datajourney.io.tfrecord import masked_crc32c


def test_masked_crc32c_known_value():
    # CRC-32C of b"123456789" is 0xE3069283 (RFC 3720); the mask rotates and adds a constant.
    crc = 0xE3069283
    assert masked_crc32c(b"123456789") == (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def test_framing_is_length_crc_data_crc(tmp_path):
    path = tmp_path / "r.tfrecord"
    with TFRecordWriter(path) as writer:
        writer.write(b"hello")
    raw = path.read_bytes()
    assert struct.unpack("<Q", raw[:8])[0] == 5
    assert struct.unpack("<I", raw[8:12])[0] == masked_crc32c(raw[:8])
    assert raw[12:17] == b"hello"
    assert struct.unpack("<I", raw[17:])[0] == masked_crc32c(b"hello")


@pytest.mark.parametrize("compression", ["none", "gzip"])
def test_table_round_trips_through_examples(tmp_path, compression):
    table = pa.table({"i": [1, None, 3], "s": ["x", "y", None], "f": [[1.5, 2.0], [], None]})
    path = write_tfrecord(tmp_path / "t.tfrecord", table, compression=compression)
    if compression == "gzip":
        assert gzip.decompress(path.read_bytes())  # a real gzip file
    assert read_tfrecord(path).read_all().to_pydict() == {
        "f": [[1.5, 2.0], [], None],
        "i": [[1], None, [3]],
        "s": [[b"x"], [b"y"], None],
    }


def test_example_wire_format_matches_tensorflow_field_numbers():
    example = Example()
    example.features.feature["a"].int64_list.value.append(7)
    # Example.features = 1 > Features.feature map entry = 1 (key = 1, value = 2)
    # > Feature.int64_list = 3 > Int64List.value = 1 (packed)
    expected = bytes.fromhex("0a0c0a0a0a016112051a030a0107")
    assert example.SerializeToString() == expected
    assert Example.FromString(expected) == example


def test_corrupt_record_names_file_and_offset(tmp_path):
    path = tmp_path / "r.tfrecord"
    with TFRecordWriter(path) as writer:
        writer.write(b"first")
        writer.write(b"second")
    raw = bytearray(path.read_bytes())
    raw[21 + 12] ^= 0xFF  # a data byte of the second record
    path.write_bytes(bytes(raw))
    with pytest.raises(DataReadError, match=r"r\.tfrecord, record 1 at offset 21: corrupt"):
        list(iter_records(path))


def test_truncated_file_is_a_clear_error(tmp_path):
    path = tmp_path / "r.tfrecord"
    with TFRecordWriter(path) as writer:
        writer.write(b"payload")
    path.write_bytes(path.read_bytes()[:-3])
    with pytest.raises(DataReadError, match="truncated record"):
        list(iter_records(path))


def test_conflicting_kinds_are_problems(tmp_path):
    a, b, c = Example(), Example(), Example()
    a.features.feature["x"].int64_list.value.append(1)
    b.features.feature["x"].float_list.value.append(2.5)
    c.features.feature["x"].bytes_list.value.append(b"oops")
    source = read_tfrecord(write_tfrecord(tmp_path / "e.tfrecord", [a, b, c]))
    assert source.read_all().column("x").to_pylist() == [[1.0], [2.5], None]
    (problem,) = list(source.problems)
    assert (problem.kind, problem.feature, problem.count) == ("type_mismatch", "x", 1)
