"""Drop-in replacement for ``ml_metadata``: change the import prefix, keep the code.

from datajourney.mlmd.metadata_store import metadata_store
from datajourney.mlmd.proto import metadata_store_pb2
"""

from . import proto
from .metadata_store import ListOptions, MetadataStore, OrderByField, downgrade_schema
from .version import __version__ as __version__

__all__ = ["ListOptions", "MetadataStore", "OrderByField", "downgrade_schema", "proto"]
