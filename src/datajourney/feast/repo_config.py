"""``feast.repo_config``."""

from datajourney.features.repo import RepoConfig

__all__ = ["RepoConfig"]
