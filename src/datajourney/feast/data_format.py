"""``feast.data_format``: the file formats of a FileSource."""

from datajourney.features.sources import DeltaFormat, ParquetFormat

__all__ = ["DeltaFormat", "ParquetFormat"]
