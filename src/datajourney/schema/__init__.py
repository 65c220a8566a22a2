"""Schemas (``tensorflow_metadata`` ``Schema`` protos): inference, curation, environments, text
files and schema evolution."""

from __future__ import annotations

from datajourney.schema.diff import FeatureChange, SchemaDiff, schema_diff
from datajourney.schema.environments import environments, in_environment
from datajourney.schema.features import (
    generate_dummy_schema_with_paths,
    get_domain,
    get_feature,
    set_domain,
)
from datajourney.schema.inference import infer_schema
from datajourney.schema.text_io import load_schema_text, write_schema_text
from datajourney.schema.update import update_schema

__all__ = [
    "FeatureChange",
    "SchemaDiff",
    "environments",
    "generate_dummy_schema_with_paths",
    "get_domain",
    "get_feature",
    "in_environment",
    "infer_schema",
    "load_schema_text",
    "schema_diff",
    "set_domain",
    "update_schema",
    "write_schema_text",
]
