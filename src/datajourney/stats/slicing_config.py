"""TFDV's ``SlicingConfig`` (tfx_bsl's ``slicing_spec.proto``): slices named by feature keys,
feature values or slicing SQL, checked and turned into slice functions and queries.

Where tfx_bsl is installed its message classes are used; otherwise an equivalent message (same
package, names, fields and numbers, so the same text, JSON and wire format) is built here.
"""

from __future__ import annotations

import logging
from typing import Any

from google.protobuf import descriptor_pb2, descriptor_pool, message_factory

from datajourney.stats.options import SliceFunction
from datajourney.stats.slicing import get_feature_value_slicer

_PACKAGE = "tfx_bsl.slicing_spec"


def _build_messages() -> tuple[type, type]:
    """SlicingSpec and SlicingConfig, built in a private descriptor pool."""
    file = descriptor_pb2.FileDescriptorProto(
        name="tfx_bsl/public/proto/slicing_spec.proto", package=_PACKAGE, syntax="proto3"
    )
    field = descriptor_pb2.FieldDescriptorProto
    spec = file.message_type.add(name="SlicingSpec")
    spec.field.add(
        name="feature_keys", number=1, type=field.TYPE_STRING, label=field.LABEL_REPEATED
    )
    spec.field.add(
        name="feature_values",
        number=2,
        type=field.TYPE_MESSAGE,
        label=field.LABEL_REPEATED,
        type_name=f".{_PACKAGE}.SlicingSpec.FeatureValuesEntry",
    )
    spec.field.add(
        name="slice_keys_sql", number=3, type=field.TYPE_STRING, label=field.LABEL_OPTIONAL
    )
    entry = spec.nested_type.add(name="FeatureValuesEntry")
    entry.options.map_entry = True
    for number, name in ((1, "key"), (2, "value")):
        entry.field.add(name=name, number=number, type=field.TYPE_STRING, label=1)
    config = file.message_type.add(name="SlicingConfig")
    config.field.add(
        name="slicing_specs",
        number=1,
        type=field.TYPE_MESSAGE,
        label=field.LABEL_REPEATED,
        type_name=f".{_PACKAGE}.SlicingSpec",
    )
    pool = descriptor_pool.DescriptorPool()
    pool.Add(file)
    return (
        message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.SlicingSpec")),
        message_factory.GetMessageClass(pool.FindMessageTypeByName(f"{_PACKAGE}.SlicingConfig")),
    )


try:  # tfx_bsl's own classes, so configs made with them compare equal to ours
    from tfx_bsl.public.proto.slicing_spec_pb2 import SlicingConfig, SlicingSpec
except ImportError:
    SlicingSpec, SlicingConfig = _build_messages()


def check_slicing_config(slicing_config: Any) -> None:
    """Refuse a config that mixes feature slices and SQL slices (TFDV runs one kind)."""
    if slicing_config is None:
        return
    specs = slicing_config.slicing_specs
    if any(s.feature_keys or s.feature_values for s in specs) and any(
        s.slice_keys_sql for s in specs
    ):
        raise ValueError(
            "Only one of slicing features or slicing sql queries can be specified in the "
            "slicing config."
        )


def convert_slicing_config_to_slice_functions_and_sqls(
    slicing_config: Any,
) -> tuple[list[SliceFunction], list[str]]:
    """The slice functions (feature keys and values) and slicing queries a config names; a
    spec naming nothing is the whole data set, which is always computed."""
    if not slicing_config:
        return [], []
    functions: list[SliceFunction] = []
    queries: list[str] = []
    for spec in slicing_config.slicing_specs:
        features: dict[str, list[str] | None] = dict.fromkeys(spec.feature_keys)
        features.update({key: [value] for key, value in spec.feature_values.items()})
        if features:
            functions.append(get_feature_value_slicer(features))
        if spec.slice_keys_sql:
            queries.append(spec.slice_keys_sql)
        if not features and not spec.slice_keys_sql:
            logging.info("The entire dataset is already included as a slice.")
    return functions, queries
