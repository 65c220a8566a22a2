"""TFDV's ``api`` package: ``validation_api`` and ``stats_api`` (their functions without Beam)."""
