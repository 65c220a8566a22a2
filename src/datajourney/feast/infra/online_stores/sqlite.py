"""``feast.infra.online_stores.sqlite``: the SQLite online store's configuration."""

from datajourney.features.repo import SqliteOnlineStoreConfig

__all__ = ["SqliteOnlineStoreConfig"]
