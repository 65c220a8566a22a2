"""``feast.feature_logging``: where a feature service's logs go."""

from datajourney.features.feature_logging import FileLoggingDestination, LoggingConfig

LoggingDestination = FileLoggingDestination

__all__ = ["LoggingConfig", "LoggingDestination"]
