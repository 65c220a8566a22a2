"""Helpers for the feature store tests: a feature repo in a temporary folder, built in code."""

from __future__ import annotations

import pytest

from datajourney.features import FeatureStore, RepoConfig


@pytest.fixture
def make_store(tmp_path):
    """``make(online_store=None)``: a FeatureStore whose registry and online store live under
    the test's folder (closed afterwards)."""
    made: list[FeatureStore] = []

    def make(online_store: dict | None = None, project: str = "test") -> FeatureStore:
        config = RepoConfig(
            project=project,
            registry=str(tmp_path / "registry.sqlite"),
            online_store=online_store or {"type": "sqlite", "path": str(tmp_path / "online.db")},
            repo_path=tmp_path,
        )
        store = FeatureStore(config=config)
        made.append(store)
        return store

    yield make
    for store in made:
        store.close()
