"""The standard components, with TFX's names and roles."""

from .example_gen import CsvExampleGen
from .example_validator import ExampleValidator
from .schema_gen import ImportSchemaGen, SchemaGen
from .statistics_gen import StatisticsGen

__all__ = ["CsvExampleGen", "ExampleValidator", "ImportSchemaGen", "SchemaGen", "StatisticsGen"]
