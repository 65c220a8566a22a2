"""The feature store's errors: one clear message naming what was wrong and where."""

from __future__ import annotations


class FeatureStoreError(ValueError):
    """A bad definition, repo, query or value; nothing was changed."""


class DefinitionError(FeatureStoreError):
    """A feature definition is invalid, or two definitions clash."""


class RetrievalError(FeatureStoreError):
    """A retrieval request cannot be answered as asked (bad entity rows, unknown feature)."""


class RegistryError(FeatureStoreError):
    """The registry cannot be read or written (unknown name, newer format)."""
