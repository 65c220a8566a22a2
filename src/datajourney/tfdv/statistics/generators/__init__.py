"""TFDV's ``statistics.generators`` package: ``stats_generator``."""
