"""TFDV's ``anomalies`` package: its protos (``anomalies.proto``)."""
