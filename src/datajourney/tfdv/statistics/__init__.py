"""TFDV's ``statistics`` package: ``stats_options``."""
