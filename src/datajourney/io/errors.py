"""The one error the readers raise: a file that cannot be read at all."""

from __future__ import annotations

from pathlib import Path


class DataReadError(ValueError):
    """A data file is missing, unreadable or corrupt; the message names the file and place.

    ``path`` is the file, ``location`` a line (``"line 12"``) or a byte offset
    (``"offset 4096"``) inside it, when one is known.
    """

    def __init__(self, message: str, path: str | Path | None = None, location: str | None = None):
        self.path = None if path is None else str(path)
        self.location = location
        where = ", ".join(part for part in (self.path, location) if part)
        super().__init__(f"{where}: {message}" if where else message)
