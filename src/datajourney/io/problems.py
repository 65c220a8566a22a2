"""Problems found in the data while reading it: counted, with a few examples, never raised.

A problem is "bad data", not a bad call: a CSV row with the wrong number of fields, a value that
does not parse as the type the schema declares, a tf.Example feature whose kind changes between
records. Readers record them in a :class:`ProblemLog`; the statistics layer stores them in the
statistics (see :mod:`datajourney.stats.problems`) so that validation reports them as anomalies.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

#: A CSV row whose number of fields differs from the header's (the row is skipped).
WRONG_FIELD_COUNT = "wrong_field_count"
#: A value that does not parse as the feature's declared type (it is counted as missing).
UNPARSABLE_VALUE = "unparsable_value"
#: Values of another type than the feature's (a string among numbers, bytes among ints).
TYPE_MISMATCH = "type_mismatch"
#: A data file with no data at all (not even a header).
EMPTY_FILE = "empty_file"

MAX_EXAMPLES = 5


@dataclass(frozen=True)
class ProblemExample:
    """One offending value (or row text) and where it was found (``"data.csv:12"``)."""

    value: str
    location: str = ""


@dataclass
class DataProblem:
    """``count`` occurrences of one kind of problem, for one feature or (``feature=None``) for
    whole rows, with up to :data:`MAX_EXAMPLES` examples and a short ``detail``."""

    kind: str
    feature: str | None
    count: int = 0
    detail: str = ""
    examples: list[ProblemExample] = field(default_factory=list)

    def add(self, count: int, examples: Iterable[ProblemExample]) -> None:
        """Count ``count`` more occurrences; keep the first examples."""
        self.count += count
        for example in examples:
            if len(self.examples) >= MAX_EXAMPLES:
                break
            self.examples.append(example)


class ProblemLog:
    """The problems of one read (or one statistics run), keyed by (kind, feature)."""

    def __init__(self) -> None:
        self._problems: dict[tuple[str, str | None], DataProblem] = {}

    def add(
        self,
        kind: str,
        feature: str | None,
        count: int,
        examples: Iterable[ProblemExample] = (),
        detail: str = "",
    ) -> None:
        """Record ``count`` occurrences of ``kind`` on ``feature`` (None: the whole row)."""
        if count <= 0:
            return
        problem = self._problems.get((kind, feature))
        if problem is None:
            problem = self._problems[(kind, feature)] = DataProblem(kind, feature, detail=detail)
        problem.add(count, examples)

    def merge(self, other: ProblemLog) -> None:
        """Add the problems of ``other`` to this log."""
        for problem in other:
            self.add(problem.kind, problem.feature, problem.count, problem.examples, problem.detail)

    def clear(self) -> None:
        self._problems.clear()

    def __iter__(self):
        return iter(self._problems.values())

    def __len__(self) -> int:
        return len(self._problems)

    def for_feature(self, feature: str | None) -> list[DataProblem]:
        """The problems recorded for ``feature`` (None: the row-level ones)."""
        return [p for p in self._problems.values() if p.feature == feature]
