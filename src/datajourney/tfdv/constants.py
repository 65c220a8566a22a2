"""TFDV's ``constants``: slice keys and placeholders, as datajourney's statistics use them."""

from datajourney.stats.slicing import DEFAULT_SLICE_KEY
from datajourney.stats.values import BYTES_VALUE as NON_UTF8_PLACEHOLDER

#: TFDV's slice key for examples a slice function failed on.
INVALID_SLICE_KEY = "Invalid Slice"
#: TFDV's placeholder for values too large to keep.
LARGE_BYTES_PLACEHOLDER = "__LARGE_BYTES__"
#: TFDV's input batch size (examples) where none is asked for.
DEFAULT_DESIRED_INPUT_BATCH_SIZE = 1000
#: TFDV's metrics namespace (Beam metrics; no metrics are reported here).
METRICS_NAMESPACE = "tfx.DataValidation"

__all__ = [
    "DEFAULT_DESIRED_INPUT_BATCH_SIZE",
    "DEFAULT_SLICE_KEY",
    "INVALID_SLICE_KEY",
    "LARGE_BYTES_PLACEHOLDER",
    "METRICS_NAMESPACE",
    "NON_UTF8_PLACEHOLDER",
]
