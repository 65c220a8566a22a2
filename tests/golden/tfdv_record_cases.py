"""Runs inside the TFDV peer venv: records what TFDV answers to every case of ``tfdv_cases.py``.

Usage: ``.peers/tfdv/bin/python tests/golden/tfdv_record_cases.py tests/golden/tfdv``, after
``tfdv_recorder.py`` (its statistics and schemas are the cases' inputs). Writes the extra inputs
that need TensorFlow (a TFRecord of bytes, statistics of nested lists and of structs, TFDV's
StatsOptions JSON) and ``cases.json``.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import pyarrow as pa
import tensorflow as tf
import tensorflow_data_validation as tfdv
from tensorflow_data_validation.statistics import stats_impl

sys.path.insert(0, str(Path(__file__).resolve().parent))
from tfdv_cases import CASES, _bmp, _gif, _png, _sentence, jsonable

ROOT = Path(sys.argv[1])
DATA = ROOT / "data"


def write_inputs() -> None:
    with tf.io.TFRecordWriter(str(DATA / "binary.tfrecord")) as writer:
        for i in range(40):
            blobs = [b"\xff\xfe\x00" + bytes([i]), b"plain text"] if i % 4 == 0 else [b"ok"]
            feature = {"blob": tf.train.Feature(bytes_list=tf.train.BytesList(value=blobs))}
            example = tf.train.Example(features=tf.train.Features(feature=feature))
            writer.write(example.SerializeToString())

    write_semantic_tfrecord()

    nested = pa.RecordBatch.from_arrays(
        [
            pa.array(
                [[[1, 2], [3]], [[4], [5, 6], [7]], None, [[8, 9]]], pa.list_(pa.list_(pa.int64()))
            ),
            pa.array(
                [[[0.5, 1.5]], [[2.5, 3.5]], [[4.5, 5.5]], [[6.5, 7.5]]],
                pa.list_(pa.list_(pa.float32())),
            ),
            pa.array([["a"], ["b", "c"], ["a"], ["a"]], pa.list_(pa.binary())),
        ],
        ["ragged", "grid", "words"],
    )
    stats = stats_impl.generate_statistics_in_memory(nested, tfdv.StatsOptions())
    tfdv.write_stats_text(stats, str(ROOT / "statistics" / "nested.pbtxt"))

    structs = pa.RecordBatch.from_arrays(
        [
            pa.array(
                [
                    [{"x": [1, 2], "s": ["a"]}],
                    [{"x": [3, 4], "s": ["b"]}, {"x": [5, 6], "s": None}],
                    None,
                    [{"x": [7, 8], "s": ["a"]}],
                ],
                pa.list_(pa.struct([("x", pa.list_(pa.int64())), ("s", pa.list_(pa.binary()))])),
            ),
            pa.array([[1], [2], [3], [4]], pa.list_(pa.int64())),
        ],
        ["st", "k"],
    )
    stats = stats_impl.generate_statistics_in_memory(structs, tfdv.StatsOptions())
    tfdv.write_stats_text(stats, str(ROOT / "statistics" / "struct.pbtxt"))

    schema = tfdv.load_schema_text(str(ROOT / "schemas" / "train.pbtxt"))
    options = tfdv.StatsOptions(
        schema=schema, num_top_values=7, sample_rate=0.25, feature_allowlist=["Slope", "Flag"]
    )
    (DATA / "stats_options.json").write_text(options.to_json())


def write_semantic_tfrecord() -> None:
    """``semantic.tfrecord``: 200 examples (five batches of 40) of list features for the
    semantic-domain cases: images, text whose first 100 values per batch differ from the rest,
    invalid UTF-8 inside and past those 100 values, UNIX milliseconds, floats."""

    def jpeg(i: int) -> bytes:
        pixels = tf.fill([1 + i % 3, 2, 3], tf.constant(i % 256, tf.uint8))
        return tf.io.encode_jpeg(pixels).numpy()

    images = [lambda i: _png(1 + i % 4, 2), _gif_of, _bmp_of, jpeg]
    with tf.io.TFRecordWriter(str(DATA / "semantic.tfrecord")) as writer:
        for i in range(200):
            in_batch = i % 40
            caption = [_sentence(i + k).encode() for k in range(3)]
            late = list(caption)
            if in_batch >= 30:
                caption = [b"x"] * 3
            if in_batch == 39:
                late[2] = b"\xff\xfe bad bytes"
            note = [b"\xc3\x28 not utf-8" if i == 150 else _sentence(i).encode()]
            photos = [images[(i + k) % 4](i + k) for k in range(1 + i % 3)]
            if i % 7 == 0:
                photos.append(b"thumbnail missing")
            feature = {
                "photos": _bytes(photos),
                "caption": _bytes(caption),
                "late_bad": _bytes(late),
                "note": _bytes(note),
                "when_ms": tf.train.Feature(
                    int64_list=tf.train.Int64List(value=[1_577_836_800_000 + 3_600_000 * i] * 2)
                ),
                "ratio": tf.train.Feature(float_list=tf.train.FloatList(value=[i / 200])),
            }
            example = tf.train.Example(features=tf.train.Features(feature=feature))
            writer.write(example.SerializeToString())


def _gif_of(i: int) -> bytes:
    return _gif(1 + i % 3, 1)


def _bmp_of(i: int) -> bytes:
    return _bmp(1, 1 + i % 3)


def _bytes(values: list[bytes]):
    return tf.train.Feature(bytes_list=tf.train.BytesList(value=values))


def record() -> dict:
    out = {"tfdv_version": tfdv.__version__, "cases": {}}
    for name, (group, function) in sorted(CASES.items()):
        with tempfile.TemporaryDirectory() as tmp:
            try:
                entry = {"result": jsonable(function(tfdv, DATA, Path(tmp)))}
            except Exception as error:  # what TFDV raises is the expected answer
                entry = {"error": type(error).__name__, "message": str(error)[:2000]}
        out["cases"][name] = {"group": group, **entry}
        print(name, "->", entry.get("error", "ok"), flush=True)
    return out


if __name__ == "__main__":
    write_inputs()
    recorded = record()
    (ROOT / "cases.json").write_text(json.dumps(recorded, indent=1, sort_keys=True) + "\n")
