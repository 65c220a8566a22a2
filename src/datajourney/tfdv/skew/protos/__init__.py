"""TFDV's feature skew result protos."""
