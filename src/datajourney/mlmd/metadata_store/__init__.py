"""ml-metadata's ``metadata_store`` package."""

from .metadata_store import ListOptions, MetadataStore, OrderByField, downgrade_schema

__all__ = ["ListOptions", "MetadataStore", "OrderByField", "downgrade_schema"]
