"""Semantic-domain statistics (``StatsOptions(enable_semantic_domain_stats=True)``), as TFDV's.

Three detectors look at each feature's values and, when a feature has enough values
(:data:`MIN_VALUES`) that mostly (:data:`MATCH_RATIO`) look alike, suggest its domain in a
``domain_info`` custom statistic, which schema inference turns into the feature's domain:

- images: values that start with a BMP, GIF, JPEG or PNG signature. Adds ``domain_info:
  image_domain {}`` and ``image_format_histogram`` (values per format, "UNKNOWN" for the others).
  Images are not decoded (TFDV reports no sizes either by default);
- natural language: a value of at least three words (split on ASCII white space, in its first
  100 bytes) whose average length is 2.5 to 8 bytes. Only the first
  :data:`NL_VALUES_PER_BATCH` values of each batch of examples are looked at; a batch is
  ``desired_batch_size`` examples (TFDV's largest, 1000, when unset) or a whole in-memory data
  set (a DataFrame, an Arrow table), as TFDV batches them. Adds ``natural_language_domain {}``
  and ``natural_language_match_rate``;
- time: text in one of TFDV's date / time formats (``%Y-%m-%d``, ``%m/%d/%Y %H:%M:%S``, ...),
  or integers in the range of UNIX days, seconds, milli-, micro- or nanoseconds between 1990
  and 2030. The most frequent format wins. Adds ``time_domain {string_format: '...'}`` (or
  ``integer_format``) and ``time_match_ratio``. An empty or non-UTF-8 text value rules it out.

A feature of another type (floats; integers for images and natural language) gets none.
``semantic_domain_stats_sample_rate`` keeps each batch for these detectors with that
probability (seeded by ``sample_seed``). TFDV has no URL detector: ``url_domain`` comes only
from a schema or a ``domain_info`` written by hand.
"""

from __future__ import annotations

import re

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2

DOMAIN_INFO = "domain_info"
MIN_VALUES = 100
MATCH_RATIO = 0.8
#: TFDV's largest batch when ``desired_batch_size`` is unset.
DEFAULT_BATCH_ROWS = 1000
NL_VALUES_PER_BATCH = 100
_NL_PREFIX_BYTES = 100
_NL_WORD_LENGTH = (2.5, 8.0)
_NL_MIN_WORDS = 3

IMAGE_SIGNATURES = {
    "bmp": b"BM",
    "gif": b"GIF8",
    "jpeg": b"\xff\xd8\xff",
    "png": b"\x89PNG\r\n\x1a\n",
}

_UNIX_RANGES = (  # [start, end): 1990-01-01 to 2030-01-01 in each unit
    (schema_pb2.TimeDomain.UNIX_DAYS, 7_305, 21_915),
    (schema_pb2.TimeDomain.UNIX_SECONDS, 631_152_000, 1_893_456_000),
    (schema_pb2.TimeDomain.UNIX_MILLISECONDS, 631_152_000_000, 1_893_456_000_000),
    (schema_pb2.TimeDomain.UNIX_MICROSECONDS, 631_152_000_000_000, 1_893_456_000_000_000),
    (schema_pb2.TimeDomain.UNIX_NANOSECONDS, 631_152_000_000_000_000, 1_893_456_000_000_000_000),
)

_MONTHS = "January February March April May June July August September October November December"
_DIRECTIVES = {  # strptime directives as regular expressions (\d: any decimal digit, as Python)
    "%a": "(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)",
    "%b": "(?:" + "|".join(m[:3] for m in _MONTHS.split()) + ")",
    "%B": "(?:" + "|".join(_MONTHS.split()) + ")",
    "%f": r"(?:\d{1,6})",
    "%d": r"(?:3[0-1]|[1-2]\d|0[1-9]|[1-9]| [1-9])",
    "%H": r"(?:2[0-3]|[0-1]\d|\d)",
    "%y": r"(?:\d\d)",
    "%Y": r"(?:\d\d\d\d)",
    "%m": r"(?:1[0-2]|0[1-9]|[1-9])",
    "%M": r"(?:[0-5]\d|\d)",
    "%S": r"(?:60[0-1]|[0-5]\d|\d)",
}
# TFDV's order: %Y-%m-%d, %Y/%m/%d, %Y%m%d, %y..., %m-%d-%Y, %m/%d/%Y, %m%d%Y, ...
_DATES = [
    "%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%y-%m-%d", "%y/%m/%d",
    "%m-%d-%Y", "%m/%d/%Y", "%m%d%Y", "%m-%d-%y", "%m/%d/%y",
    "%d-%m-%Y", "%d/%m/%Y", "%d%m%Y", "%d-%B-%Y", "%d-%m-%y", "%d/%m/%y", "%d-%B-%y",
]  # fmt: skip
_TIMES = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
TIME_FORMATS = [
    *_DATES,
    *_TIMES,
    "%a %b %d %H:%M:%S %Y",
    *(date + sep + time for date in _DATES for time in _TIMES for sep in "T "),
]


def _time_pattern(time_format: str) -> str:
    """The RE2 pattern of a whole value in ``time_format`` (a trailing newline allowed, and
    any decimal digit, as Python's ``re`` matches)."""
    body = re.sub("|".join(_DIRECTIVES), lambda m: _DIRECTIVES[m.group(0)], time_format)
    return "^(?:" + body.replace(r"\d", r"\p{Nd}") + ")\n?$"


_TIME_PATTERNS = [(f, _time_pattern(f)) for f in TIME_FORMATS]


def _is_text(kind: int) -> bool:
    return kind == statistics_pb2.FeatureNameStatistics.STRING


def _as_binary(values: pa.Array) -> pa.Array:
    if pa.types.is_binary(values.type) or pa.types.is_large_binary(values.type):
        return values
    if pa.types.is_large_string(values.type):
        return values.cast(pa.large_binary())
    return pc.cast(values, pa.string()).cast(pa.binary())


def _as_text(values: pa.Array) -> pa.Array | None:
    """``values`` as UTF-8 text; None when one of them is not UTF-8."""
    if pa.types.is_string(values.type) or pa.types.is_large_string(values.type):
        return values
    target = pa.large_string() if pa.types.is_large_binary(values.type) else pa.string()
    try:
        return pc.cast(values, target)
    except pa.ArrowInvalid:
        return None


def looks_like_natural_language(value: bytes) -> bool:
    """TFDV's heuristic: at least three words, of 2.5 to 8 bytes on average (first 100 bytes)."""
    words = value[:_NL_PREFIX_BYTES].split()
    if len(words) < _NL_MIN_WORDS:
        return False
    average = sum(map(len, words)) / len(words)
    return _NL_WORD_LENGTH[0] <= average <= _NL_WORD_LENGTH[1]


def _add_counts(mine: dict, other: dict) -> None:
    """Add ``other``'s counts (new keys after the known ones, in ``other``'s order)."""
    for key, count in other.items():
        mine[key] = mine.get(key, 0) + count


class SemanticAccumulator:
    """One feature's evidence for an image, natural-language or time domain; merges."""

    def __init__(self) -> None:
        self.image_values = 0
        self.image_formats: dict[str, int] = {}  # "" for values of no known format
        self.image_ruled_out = False
        self.nl_considered = 0
        self.nl_matched = 0
        self.nl_ruled_out = False
        self.time_considered = 0
        self.time_formats: dict[object, int] = {}  # in the order first seen
        self.time_ruled_out = False
        self._batch = -1  # the batch of examples the last natural-language values came from
        self._seen = 0  # values of this feature in that batch so far

    def update(self, values: pa.Array, kind: int, batches: np.ndarray) -> None:
        """Add a feature's (non-null, leaf) ``values`` of statistics type ``kind``;
        ``batches`` holds the batch number of each value's example (non-decreasing)."""
        if not len(values):
            return
        if not _is_text(kind):
            self.image_ruled_out = self.nl_ruled_out = True
            if kind == statistics_pb2.FeatureNameStatistics.INT:
                self._update_unix_times(values)
            else:
                self.time_ruled_out = True
            return
        binary = _as_binary(values)
        if not self.image_ruled_out:
            self._update_images(binary)
        if not self.nl_ruled_out:
            self._update_natural_language(binary, batches)
        if not self.time_ruled_out:
            self._update_time_text(values)

    def _update_images(self, values: pa.Array) -> None:
        self.image_values += len(values)
        counts: dict[str, int] = {}
        known = 0
        for name, signature in IMAGE_SIGNATURES.items():
            prefix = pc.binary_slice(values, 0, len(signature))
            count = pc.sum(pc.equal(prefix, pa.scalar(signature, prefix.type))).as_py() or 0
            if count:
                counts[name] = count
                known += count
        if known < len(values):
            counts[""] = len(values) - known
        _add_counts(self.image_formats, counts)

    def _update_natural_language(self, values: pa.Array, batches: np.ndarray) -> None:
        # the first NL_VALUES_PER_BATCH values of each batch of examples
        starts = np.flatnonzero(np.diff(batches, prepend=batches[0] - 1))
        lengths = np.diff(starts, append=len(batches))
        position = np.arange(len(batches)) - np.repeat(starts, lengths)
        if batches[0] == self._batch:  # the batch goes on from the last values
            position[: lengths[0]] += self._seen
        seen_before = self._seen if batches[-1] == self._batch else 0
        self._batch, self._seen = int(batches[-1]), int(lengths[-1]) + seen_before
        chosen = np.flatnonzero(position < NL_VALUES_PER_BATCH)
        if not len(chosen):
            return
        sample = values.take(pa.array(chosen))
        if _as_text(sample) is None:
            self.nl_ruled_out = True
            return
        self.nl_considered += len(sample)
        self.nl_matched += sum(map(looks_like_natural_language, sample.to_pylist()))

    def _update_time_text(self, values: pa.Array) -> None:
        text = _as_text(values)
        if text is None or pc.any(pc.equal(pc.binary_length(text), 0)).as_py():
            self.time_ruled_out = True  # TFDV drops a feature with a non-UTF-8 or empty value
            return
        self.time_considered += len(text)
        found = []
        for time_format, pattern in _TIME_PATTERNS:
            matches = pc.match_substring_regex(text, pattern=pattern)
            count = pc.sum(matches).as_py() or 0
            if count:
                first = pc.index(matches, True).as_py()
                found.append((first, time_format, count))
        # the formats in the order a pass value by value, format by format meets them
        _add_counts(self.time_formats, {f: count for _, f, count in sorted(found, key=_first)})

    def _update_unix_times(self, values: pa.Array) -> None:
        if self.time_ruled_out:
            return
        numbers = np.asarray(pc.cast(values, pa.int64()).to_numpy(zero_copy_only=False))
        self.time_considered += len(numbers)
        counts = {}
        for unit, start, end in _UNIX_RANGES:
            count = int(np.count_nonzero((numbers >= start) & (numbers < end)))
            if count:
                counts[unit] = count
        _add_counts(self.time_formats, counts)

    def merge(self, other: SemanticAccumulator) -> None:
        """Add ``other``'s evidence (the same feature, another part of the data)."""
        self.image_values += other.image_values
        _add_counts(self.image_formats, other.image_formats)
        self.image_ruled_out |= other.image_ruled_out
        self.nl_considered += other.nl_considered
        self.nl_matched += other.nl_matched
        self.nl_ruled_out |= other.nl_ruled_out
        self.time_considered += other.time_considered
        _add_counts(self.time_formats, other.time_formats)
        self.time_ruled_out |= other.time_ruled_out

    def custom_stats(self) -> list[statistics_pb2.CustomStatistic]:
        """The custom statistics of the domains found (image, natural language, time)."""
        return [*self._image_stats(), *self._natural_language_stats(), *self._time_stats()]

    def _image_stats(self) -> list[statistics_pb2.CustomStatistic]:
        total = self.image_values
        if self.image_ruled_out or total < MIN_VALUES:
            return []
        if 1 - self.image_formats.get("", 0) / total < MATCH_RATIO:
            return []
        histogram = statistics_pb2.CustomStatistic(name="image_format_histogram")
        for name in sorted(self.image_formats):
            histogram.rank_histogram.buckets.add(
                label=name or "UNKNOWN", sample_count=self.image_formats[name]
            )
        return [_domain_info("image_domain {}"), histogram]

    def _natural_language_stats(self) -> list[statistics_pb2.CustomStatistic]:
        if self.nl_ruled_out or self.nl_considered < MIN_VALUES:
            return []
        rate = self.nl_matched / self.nl_considered
        if rate < MATCH_RATIO:
            return []
        return [
            _domain_info("natural_language_domain {}"),
            statistics_pb2.CustomStatistic(name="natural_language_match_rate", num=rate),
        ]

    def _time_stats(self) -> list[statistics_pb2.CustomStatistic]:
        if self.time_ruled_out or self.time_considered < MIN_VALUES or not self.time_formats:
            return []
        best = max(self.time_formats, key=self.time_formats.__getitem__)  # first of the ties
        ratio = self.time_formats[best] / self.time_considered
        if ratio < MATCH_RATIO:
            return []
        if isinstance(best, str):
            domain = f"time_domain {{string_format: '{best}'}}"
        else:  # TFDV writes the format's number
            domain = f"time_domain {{integer_format: {best}}}"
        return [
            _domain_info(domain),
            statistics_pb2.CustomStatistic(name="time_match_ratio", num=ratio),
        ]


def _first(found: tuple[int, str, int]) -> tuple[int, int]:
    return found[0], TIME_FORMATS.index(found[1])


def _domain_info(text: str) -> statistics_pb2.CustomStatistic:
    return statistics_pb2.CustomStatistic(name=DOMAIN_INFO, str=text)
