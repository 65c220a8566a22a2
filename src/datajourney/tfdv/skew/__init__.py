"""TFDV's ``skew`` package: its result protos."""
