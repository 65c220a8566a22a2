"""Feature logging: where a feature service's served features are logged
(``LoggingConfig`` with a ``FileLoggingDestination``, Feast's names), and writing a log table
there. Served features are logged when the caller hands a log table to
``FeatureStore.write_logged_features``; online reads do not log by themselves (nor do Feast's
Python SDK and feature server: only its Go server logs as it serves)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DefinitionError, FeatureStoreError

if TYPE_CHECKING:
    import pyarrow as pa


@dataclass
class FileLoggingDestination:
    """Log files (Parquet) in a folder, relative to the repo unless absolute; ``partition_by``
    names columns that split them into sub-folders."""

    path: str
    s3_endpoint_override: str = ""
    partition_by: list[str] | None = None

    def __post_init__(self) -> None:
        if not self.path:
            raise DefinitionError("FileLoggingDestination needs a path")
        if self.s3_endpoint_override:
            raise DefinitionError(
                "FileLoggingDestination: s3_endpoint_override is not supported; give a local "
                "folder or an fsspec URL as path"
            )
        self.partition_by = list(self.partition_by) if self.partition_by else None

    def to_spec(self) -> dict:
        """The destination as JSON-ready data."""
        return {"kind": "file", "path": self.path, "partition_by": self.partition_by}


@dataclass
class LoggingConfig:
    """Where a feature service's logs go, and the share of requests a serving logger keeps."""

    destination: FileLoggingDestination
    sample_rate: float = 1.0

    def __post_init__(self) -> None:
        if not isinstance(self.destination, FileLoggingDestination):
            raise DefinitionError(
                f"LoggingConfig destination {type(self.destination).__name__}: only "
                "FileLoggingDestination is supported"
            )
        if not 0 < self.sample_rate <= 1:
            raise DefinitionError(f"LoggingConfig sample_rate {self.sample_rate}: give 0 < r <= 1")

    def to_spec(self) -> dict:
        """The config as JSON-ready data."""
        return {"destination": self.destination.to_spec(), "sample_rate": self.sample_rate}

    @classmethod
    def from_spec(cls, spec: dict | None) -> LoggingConfig | None:
        """A config back from :meth:`to_spec` (None stays None)."""
        if spec is None:
            return None
        where = spec["destination"]
        destination = FileLoggingDestination(where["path"], "", where["partition_by"])
        return cls(destination, spec["sample_rate"])


def write_logs(
    logs: pa.Table | str | Path, service_name: str, config: LoggingConfig | None, root: Path
) -> str:
    """Append a log table (or the Parquet file / folder at a path) to the service's
    destination as new Parquet files; returns the destination folder."""
    import pyarrow as pa
    import pyarrow.dataset as ds
    import pyarrow.parquet as pq

    if config is None:
        raise FeatureStoreError(
            f"feature service {service_name!r} has no logging_config; give it "
            "LoggingConfig(destination=FileLoggingDestination(path=...))"
        )
    if isinstance(logs, str | Path):
        if not Path(logs).exists():
            raise FeatureStoreError(f"write_logged_features: no file or folder at {logs}")
        logs = pq.read_table(str(logs))
    if not isinstance(logs, pa.Table):
        raise FeatureStoreError("write_logged_features: give an Arrow table or a Parquet path")
    destination = config.destination
    missing = [c for c in destination.partition_by or [] if c not in logs.column_names]
    if missing:
        raise FeatureStoreError(
            f"write_logged_features: the logs have no partition column {missing[0]!r}"
        )
    folder = destination.path
    if "://" not in folder and not Path(folder).is_absolute():
        folder = str(root / folder)
    ds.write_dataset(
        logs,
        base_dir=folder,
        basename_template=f"{uuid.uuid4().hex}-{{i}}.parquet",
        partitioning=destination.partition_by,
        format="parquet",
        existing_data_behavior="overwrite_or_ignore",
    )
    return folder
