"""``feast.infra``: the parts of Feast's infrastructure modules that feature repos import."""
