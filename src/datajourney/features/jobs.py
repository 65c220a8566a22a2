"""What retrievals return: a historical job (``to_df`` / ``to_arrow``, saved as a training
set in the lineage) and an online response (``to_dict`` / ``to_df``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import pyarrow as pa

    from ..metadata.model import Artifact


class RetrievalJob:
    """A historical retrieval, run on first use."""

    def __init__(
        self,
        run: Callable[[], pa.Table],
        full_feature_names: bool,
        save: Callable[[pa.Table, str, str], Artifact] | None = None,
    ):
        self._run = run
        self._table: pa.Table | None = None
        self.full_feature_names = full_feature_names
        self._save = save

    def to_arrow(self) -> pa.Table:
        """The rows as an Arrow table (entity columns, then the features)."""
        if self._table is None:
            self._table = self._run()
        return self._table

    def to_df(self) -> pd.DataFrame:
        """The rows as a pandas DataFrame (Map and Struct values as dicts)."""
        return self.to_arrow().to_pandas(maps_as_pydicts="strict")

    def to_parquet(self, path: str | Path) -> str:
        """Write the rows to a Parquet file; returns its path."""
        import pyarrow.parquet as pq

        pq.write_table(self.to_arrow(), str(path))
        return str(path)

    def save_training_set(self, path: str | Path, name: str | None = None) -> Artifact:
        """Write the rows to Parquet and record them as a ``TrainingSet`` artifact whose
        lineage reaches the feature view versions, their source data and the entity rows."""
        if self._save is None:
            raise ValueError("this retrieval has no registry to record a training set in")
        self.to_parquet(path)
        where = str(path) if "://" in str(path) else str(Path(path).resolve())
        return self._save(self.to_arrow(), where, name or Path(path).stem)


class OnlineResponse:
    """Online feature values: column name -> values, one per entity row."""

    def __init__(
        self,
        columns: dict[str, list[Any]],
        found_at: dict[str, tuple[list, list] | None] | None = None,
    ):
        self._columns = columns
        self._found_at = found_at or {}

    def to_dict(self, include_event_timestamps: bool = False) -> dict[str, list[Any]]:
        """Column name -> list of values (join keys first, then features)."""
        return {k: list(v) for k, v in self._columns.items()}

    def to_df(self, include_event_timestamps: bool = False) -> pd.DataFrame:
        """The values as a pandas DataFrame."""
        import pandas as pd

        return pd.DataFrame(self._columns)

    def statuses(self, name: str) -> tuple[list[int | None], list[str]]:
        """A column's event times (epoch microseconds) and read states per row: ``PRESENT``,
        ``NULL_VALUE``, ``NOT_FOUND`` or ``OUTSIDE_MAX_AGE`` (Feast's status names)."""
        values = self._columns[name]
        found = self._found_at.get(name)
        if found is None:  # join keys and computed features
            states = ["PRESENT" if v is not None else "NULL_VALUE" for v in values]
            return [None] * len(values), states
        events, states = found
        states = [
            "NULL_VALUE" if s == "PRESENT" and v is None else s for s, v in zip(states, values)
        ]
        return list(events), states
