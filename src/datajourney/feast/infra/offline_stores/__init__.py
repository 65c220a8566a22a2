"""``feast.infra.offline_stores``."""
