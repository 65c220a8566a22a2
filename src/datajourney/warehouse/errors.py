"""The warehouse's errors: one clear message naming what was wrong and where."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tensorflow_metadata.proto.v0 import anomalies_pb2


class WarehouseError(Exception):
    """A warehouse call that cannot be done; ``where`` names the table or location."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(message)
        self.where = where


class TableNotFoundError(WarehouseError):
    """No table with this name (or no Delta table at this location)."""


class TableExistsError(WarehouseError):
    """``create`` of a table that exists already."""


class VersionNotFoundError(WarehouseError):
    """A version or time the table does not have (or whose files retention removed)."""


class ConflictError(WarehouseError):
    """Another writer committed a change this one conflicts with; nothing was written, the
    call can be retried."""


class LoadRefusedError(WarehouseError):
    """Data that does not fit the table's schema: nothing was written.

    ``anomalies``: the validation layer's report; ``bad_rows``: how many rows did not fit.
    """

    def __init__(self, message: str, where: str, anomalies: anomalies_pb2.Anomalies, bad_rows: int):
        super().__init__(message, where)
        self.anomalies = anomalies
        self.bad_rows = bad_rows
