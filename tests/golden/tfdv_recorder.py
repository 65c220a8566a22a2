"""Runs inside the TFDV peer venv: records TFDV's outputs for the golden fixtures.

Usage: ``.peers/tfdv/bin/python tests/golden/tfdv_recorder.py tests/golden/tfdv``. Called by
``make_tfdv_fixtures.py``; not imported by the tests.
"""

from __future__ import annotations

import copy
import importlib.metadata
import json
import sys
from pathlib import Path

import tensorflow as tf
import tensorflow_data_validation as tfdv
from google.protobuf import text_format

sys.path.insert(0, str(Path(__file__).resolve().parent))
import tfdv_lab

ROOT = Path(sys.argv[1])
DATA = ROOT / "data"
manifest: dict = {
    "tfdv_version": importlib.metadata.version("tensorflow-data-validation"),
    "statistics": {},
    "schemas": {},
    "validations": {},
    "errors": {},
}


def write_tfrecord(jsonl: Path) -> Path:
    target = jsonl.with_suffix(".tfrecord")
    with tf.io.TFRecordWriter(str(target)) as writer:
        for line in jsonl.read_text().splitlines():
            feature = {}
            for name, values in json.loads(line).items():
                if isinstance(values[0], str):
                    kind = tf.train.Feature(
                        bytes_list=tf.train.BytesList(value=[v.encode() for v in values])
                    )
                elif isinstance(values[0], float):
                    kind = tf.train.Feature(float_list=tf.train.FloatList(value=values))
                else:
                    kind = tf.train.Feature(int64_list=tf.train.Int64List(value=values))
                feature[name] = kind
            example = tf.train.Example(features=tf.train.Features(feature=feature))
            writer.write(example.SerializeToString())
    return target


def stats(name: str, source: Path):
    if source.suffix == ".csv":
        result = tfdv.generate_statistics_from_csv(str(source))
    else:
        result = tfdv.generate_statistics_from_tfrecord(str(source))
    rel = f"statistics/{name}.pbtxt"
    (ROOT / rel).parent.mkdir(parents=True, exist_ok=True)
    tfdv.write_stats_text(result, str(ROOT / rel))
    manifest["statistics"][name] = {"path": rel, "data": str(source.relative_to(ROOT))}
    return result


def schema(name: str, value, **how):
    rel = f"schemas/{name}.pbtxt"
    (ROOT / rel).parent.mkdir(parents=True, exist_ok=True)
    tfdv.write_schema_text(value, str(ROOT / rel))
    manifest["schemas"][name] = {"path": rel, **how}
    return value


def validate(name: str, statistics: str, schema_name: str, **options: str) -> None:
    loaded = {k: all_stats[v] for k, v in options.items() if k.endswith("_statistics")}
    anomalies = tfdv.validate_statistics(
        all_stats[statistics],
        all_schemas[schema_name],
        environment=options.get("environment"),
        **loaded,
    )
    rel = f"anomalies/{name}.pbtxt"
    (ROOT / rel).parent.mkdir(parents=True, exist_ok=True)
    (ROOT / rel).write_text(text_format.MessageToString(anomalies))
    manifest["validations"][name] = {
        "path": rel,
        "statistics": statistics,
        "schema": schema_name,
        **options,
    }


all_stats = {
    name: stats(name, DATA / f"{name}.csv") for name in ("train", "eval", "serving", "next_day")
}
for name in ("lists", "lists_bad"):
    all_stats[name] = stats(name, write_tfrecord(DATA / f"{name}.jsonl"))

train = all_stats["train"]
inferred = tfdv.infer_schema(train)
all_schemas = {
    "train": schema("train", inferred, statistics="train"),
    "train_noshape": schema(
        "train_noshape",
        tfdv.infer_schema(train, infer_feature_shape=False),
        statistics="train",
        infer_feature_shape=False,
    ),
    "train_small_domains": schema(
        "train_small_domains",
        tfdv.infer_schema(train, max_string_domain_size=10),
        statistics="train",
        max_string_domain_size=10,
    ),
    "lists": schema("lists", tfdv.infer_schema(all_stats["lists"]), statistics="lists"),
    "lists_noshape": schema(
        "lists_noshape",
        tfdv.infer_schema(all_stats["lists"], infer_feature_shape=False),
        statistics="lists",
        infer_feature_shape=False,
    ),
    "eval_noshape": schema(
        "eval_noshape",
        tfdv.infer_schema(all_stats["eval"], infer_feature_shape=False),
        statistics="eval",
        infer_feature_shape=False,
    ),
}
all_schemas["train_updated_eval"] = schema(
    "train_updated_eval",
    tfdv.update_schema(copy.deepcopy(inferred), all_stats["eval"]),
    update="train",
    statistics="eval",
)
curated = tfdv_lab.curate(tfdv, copy.deepcopy(inferred))
all_schemas["curated"] = schema("curated", curated, lab=["curate"], base="train")
env = tfdv_lab.add_environments(tfdv, copy.deepcopy(curated))
all_schemas["curated_env"] = schema(
    "curated_env", env, lab=["curate", "add_environments"], base="train"
)
cmp = tfdv_lab.add_comparators(tfdv, copy.deepcopy(env))
all_schemas["curated_cmp"] = schema(
    "curated_cmp", cmp, lab=["curate", "add_environments", "add_comparators"], base="train"
)
lists_curated = tfdv_lab.curate_lists(tfdv, copy.deepcopy(all_schemas["lists"]))
all_schemas["lists_curated"] = schema(
    "lists_curated", lists_curated, lab=["curate_lists"], base="lists"
)

validate("train_inferred", "train", "train")
validate("eval_inferred", "eval", "train")
validate("eval_curated", "eval", "curated")
validate("serving_curated", "serving", "curated")
validate("serving_env", "serving", "curated_env", environment="SERVING")
validate("serving_env_default", "serving", "curated_env")
validate("train_env", "train", "curated_env", environment="TRAINING")
validate("skew", "train", "curated_cmp", environment="TRAINING", serving_statistics="serving")
validate("drift", "next_day", "curated_cmp", environment="TRAINING", previous_statistics="train")
validate(
    "drift_skew",
    "next_day",
    "curated_cmp",
    environment="TRAINING",
    previous_statistics="train",
    serving_statistics="serving",
)
validate("lists_ok", "lists", "lists")
validate("lists_bad", "lists_bad", "lists")
validate("lists_bad_curated", "lists_bad", "lists_curated")
validate("lists_bad_noshape", "lists_bad", "lists_noshape")

try:
    tfdv.generate_statistics_from_csv(
        str(DATA / "eval.csv"),
        stats_options=tfdv.StatsOptions(schema=curated, infer_type_from_schema=True),
    )
except Exception as exc:  # what TFDV does with "2054.5" in an INT column
    manifest["errors"]["eval_infer_type_from_schema"] = f"{type(exc).__name__}: {exc}"[:2000]

(ROOT / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")
