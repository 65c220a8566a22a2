"""CSV files as a stream of record batches, typed the way TFDV types CSV columns.

A column is ``int64`` when every value is an integer, ``double`` when every value is a number,
else ``string``; an empty cell is a missing value (null) and nothing else is. Types come from
the first block of each file; when a later row needs a wider type (``"2054.5"`` in a column of
integers, a word in a column of numbers) the reader widens the column and goes on from that row,
and every later pass of the same source uses the widened type from the start.

Columns with a declared type (``column_types``, e.g. from a schema) never widen: a value that
does not parse becomes missing and is recorded as an ``unparsable_value`` problem. Rows with the
wrong number of fields are skipped and recorded as ``wrong_field_count`` problems.
"""

from __future__ import annotations

import csv as stdcsv
import io
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from datajourney.io.errors import DataReadError
from datajourney.io.problems import (
    EMPTY_FILE,
    UNPARSABLE_VALUE,
    WRONG_FIELD_COUNT,
    ProblemExample,
)
from datajourney.io.source import Location, Source, expand_paths

DEFAULT_BLOCK_SIZE = 4 << 20
_CONVERSION_ERROR = re.compile(r"In CSV column #(\d+): .*invalid value '(.*)'", re.DOTALL)
_INT_TEXT = r"^\s*[+-]?\d+\s*$"
_FLOAT_TEXT = r"(?i)^\s*[+-]?(\d+\.?\d*(e[+-]?\d+)?|\.\d+(e[+-]?\d+)?|inf|infinity|nan)\s*$"
_WIDER = {pa.int64(): pa.float64(), pa.float64(): pa.string()}


def _reader_type(inferred: pa.DataType) -> pa.DataType:
    """The type a column keeps given the type pyarrow inferred from a first block."""
    if pa.types.is_null(inferred):
        return pa.int64()  # no value yet: start narrow, widen when values come
    if inferred in (pa.int64(), pa.float64()):
        return inferred
    return pa.string()  # dates, times, booleans stay text, as in TFDV


def _widen(current: pa.DataType, value: str) -> pa.DataType:
    if current == pa.int64() and re.match(_FLOAT_TEXT, value):
        return pa.float64()
    return pa.string() if current in _WIDER else current


class CsvSource(Source):
    """CSV files (a path, a glob pattern, or several) read block by block.

    ``column_names`` names the columns of files that have no header line (as in TFDV);
    without it the first line of each file is its header. ``column_types`` declares the type of
    some columns (values that do not parse are recorded as problems). :attr:`widened_to_text`
    lists the columns that turned from numbers to text after batches had been yielded.
    ``start_types`` gives inferred columns the type to start from (they still widen), as when
    other files of the same data set were read first; :attr:`types` is where they ended.
    ``use_threads=False`` parses on the calling thread only (a Dask worker's task, whose
    parallelism is the cluster's). ``compression`` names the files' compression (``"gzip"``,
    ``"bz2"``, ...; ``"auto"``: from the file name's suffix, ``None``: none).
    """

    def __init__(
        self,
        location: Location,
        column_names: Sequence[str] | None = None,
        delimiter: str = ",",
        quote_char: str | None = '"',
        column_types: Mapping[str, pa.DataType] | None = None,
        block_size: int = DEFAULT_BLOCK_SIZE,
        start_types: Mapping[str, pa.DataType] | None = None,
        use_threads: bool = True,
        compression: str | None = "auto",
    ):
        super().__init__()
        self.use_threads = use_threads
        self.compression = compression
        self.paths = expand_paths(location)
        self.column_names = list(column_names) if column_names is not None else None
        self.delimiter = delimiter
        self.quote_char = quote_char
        self.declared = dict(column_types or {})
        self.block_size = block_size
        self._types: dict[str, pa.DataType] = dict(start_types or {})
        self._rows_yielded = 0
        self.widened_to_text: set[str] = set()

    @property
    def types(self) -> dict[str, pa.DataType]:
        """The types of the inferred columns so far (after a pass: the final ones)."""
        return dict(self._types)

    def _batches(self) -> Iterator[pa.RecordBatch]:
        self.widened_to_text = set()
        self._rows_yielded = 0  # in this pass, over all files
        for path in self.paths:
            yield from self._file_batches(path)

    def _open(self, path: Path, skip_rows: int, bad_rows: list[str]) -> pacsv.CSVStreamingReader:
        def on_bad_row(row: pacsv.InvalidRow) -> str:
            bad_rows.append(row.text)
            return "skip"

        types = {**self._types, **dict.fromkeys(self.declared, pa.string())}
        return pacsv.open_csv(
            self._input(path),
            read_options=pacsv.ReadOptions(
                column_names=self.column_names,
                block_size=self.block_size,
                skip_rows_after_names=skip_rows,
                use_threads=self.use_threads,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=self.delimiter,
                quote_char=self.quote_char if self.quote_char else False,
                invalid_row_handler=on_bad_row,
            ),
            convert_options=pacsv.ConvertOptions(
                column_types=types,
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=True,
                true_values=[],
                false_values=[],
            ),
        )

    def _input(self, path: Path) -> Path | pa.NativeFile:
        """The file as pyarrow reads it: by path (compression from the suffix) or decompressed."""
        if self.compression == "auto":
            return path
        raw = pa.OSFile(str(path))
        return raw if self.compression is None else pa.CompressedInputStream(raw, self.compression)

    def _open_typed(self, path: Path, skip_rows: int, bad_rows: list[str]):
        """Open at ``skip_rows``; fix the types of columns seen for the first time."""
        try:
            reader = self._open(path, skip_rows, bad_rows)
            names = reader.schema.names
            twice = sorted({name for name in names if names.count(name) > 1})
            if twice:
                given = self.column_names is not None
                raise DataReadError(
                    f"{'column_names name' if given else 'the header names'} "
                    f"{', '.join(map(repr, twice))} twice: columns need names of their own",
                    path,
                    None if given else "line 1",
                )
            fresh = {
                f.name: _reader_type(f.type)
                for f in reader.schema
                if f.name not in self._types and f.name not in self.declared
            }
            if any(reader.schema.field(name).type != t for name, t in fresh.items()):
                self._types.update(fresh)
                del bad_rows[:]
                reader = self._open(path, skip_rows, bad_rows)
            self._types.update(fresh)
            return reader
        except OSError as error:
            raise DataReadError(str(error), path) from None

    def _file_batches(self, path: Path) -> Iterator[pa.RecordBatch]:
        bad_rows: list[str] = []
        rows_done = 0
        first_line = 1 if self.column_names is not None else 2
        reader = None
        while True:
            try:
                if reader is None:
                    reader = self._open_typed(path, rows_done + len(bad_rows), bad_rows)
                batch = reader.read_next_batch()
            except StopIteration:
                break
            except pa.ArrowInvalid as error:
                if "Empty CSV file" in str(error):
                    self.problems.add(EMPTY_FILE, None, 1, [ProblemExample("", str(path))])
                    return
                self._widen_after(error, path)
                # Rows of the failed block were not yielded: reopen just after the yielded ones.
                reader = None
                continue
            if self.declared:
                batch = self._cast_declared(batch, path, first_line + rows_done + len(bad_rows))
            rows_done += batch.num_rows
            self._rows_yielded += batch.num_rows
            yield batch
        if bad_rows:
            columns = len(self.column_names or reader.schema) if reader else "?"
            lines = _find_lines(path, bad_rows[:5])
            self.problems.add(
                WRONG_FIELD_COUNT,
                None,
                len(bad_rows),
                [ProblemExample(text, f"{path}:{lines.get(text, '?')}") for text in bad_rows[:5]],
                detail=f"expected {columns} fields",
            )

    def _widen_after(self, error: pa.ArrowInvalid, path: Path) -> None:
        """Widen the column a conversion error names, or raise a clear error."""
        match = _CONVERSION_ERROR.search(str(error))
        if match is None:
            raise DataReadError(_arrow_message(error), path) from None
        name = self._column_name(path, int(match.group(1)))
        current = self._types.get(name)
        wider = _widen(current, match.group(2)) if current is not None else None
        if wider is None or wider == current:
            raise DataReadError(_arrow_message(error), path) from None
        if wider == pa.string() and self._rows_yielded:  # numbers counted, this file or before
            self.widened_to_text.add(name)
        self._types[name] = wider

    def _column_name(self, path: Path, index: int) -> str:
        """The name of column ``index`` of ``path`` (conversion errors give only the index)."""
        if self.column_names is not None:
            return self.column_names[index]
        with pa.input_stream(str(path), compression="detect") as raw:
            text = io.TextIOWrapper(raw, encoding="utf-8", errors="replace", newline="")
            header = next(stdcsv.reader(text, delimiter=self.delimiter, quotechar=self.quote_char))
        return header[index]

    def _cast_declared(self, batch: pa.RecordBatch, path: Path, first_line: int) -> pa.RecordBatch:
        columns = list(batch.columns)
        for index, name in enumerate(batch.schema.names):
            target = self.declared.get(name)
            if target is None or target == pa.string():
                continue
            columns[index] = self._cast_column(columns[index], name, target, path, first_line)
        return pa.RecordBatch.from_arrays(columns, names=batch.schema.names)

    def _cast_column(
        self, column: pa.Array, name: str, target: pa.DataType, path: Path, first_line: int
    ) -> pa.Array:
        try:
            return pc.cast(column, target)  # every cell parses: the fast path
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            pass  # some cells do not parse as the declared type: find and record them below
        pattern = _INT_TEXT if pa.types.is_integer(target) else _FLOAT_TEXT
        valid = pc.match_substring_regex(column, pattern)
        bad = pc.and_(pc.is_valid(column), pc.invert(valid)).to_numpy(zero_copy_only=False)
        bad_rows = bad.nonzero()[0]
        examples = [
            ProblemExample(column[int(i)].as_py(), f"{path}:{first_line + int(i)}")
            for i in bad_rows[:5]
        ]
        self.problems.add(
            UNPARSABLE_VALUE, name, len(bad_rows), examples, detail=f"expected {target}"
        )
        cleaned = pc.if_else(valid, column, pa.scalar(None, pa.string()))
        try:
            return pc.cast(cleaned, target)
        except pa.ArrowInvalid:  # out of the type's range, e.g. a 30-digit integer
            return pc.cast(pc.cast(cleaned, pa.float64()), target, safe=False)


def _arrow_message(error: Exception) -> str:
    return str(error).splitlines()[0]


def _find_lines(path: Path, texts: Sequence[str]) -> dict[str, int]:
    """The line numbers of ``texts`` (whole lines) in ``path``; only bad files pay for this."""
    pending, found = set(texts), {}
    with open(path, encoding="utf-8", errors="replace", newline="") as lines:
        for number, line in enumerate(lines, 1):
            text = line.rstrip("\r\n")
            if text in pending:
                found[text] = number
                pending.discard(text)
                if not pending:
                    break
    return found


def read_csv(
    location: Location,
    column_names: Sequence[str] | None = None,
    delimiter: str = ",",
    quote_char: str | None = '"',
    column_types: Mapping[str, pa.DataType] | None = None,
) -> CsvSource:
    """Read CSV files (a path, a glob, or several) as a stream of record batches.

    The first line of each file is its header unless ``column_names`` is given. See
    :mod:`datajourney.io.csv` for how columns are typed and how bad rows are handled.
    """
    return CsvSource(location, column_names, delimiter, quote_char, column_types)
