"""The lake's errors: one clear message naming what was wrong and where."""

from __future__ import annotations


class LakeError(Exception):
    """A lake call that cannot be done; ``where`` names the path, pattern or entry."""

    def __init__(self, message: str, where: str = ""):
        super().__init__(message)
        self.where = where


class LakeReadError(LakeError):
    """Lake data that cannot be read as asked (not a table, no entry matches, bad SQL)."""


class EntryNotFoundError(LakeError):
    """No lake entry with this id or path."""
