"""``feast.infra.online_stores``."""
