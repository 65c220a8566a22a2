"""``feast.data_source``: sources and ``PushMode``."""

from datajourney.features.sources import FileSource, PushMode, PushSource, RequestSource

__all__ = ["FileSource", "PushMode", "PushSource", "RequestSource"]
