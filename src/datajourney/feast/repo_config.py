"""``feast.repo_config``."""

from datajourney.features.repo import RegistryConfig, RepoConfig

__all__ = ["RegistryConfig", "RepoConfig"]
