"""Reading and writing CSV files in management commands, for any kind of row.

This module knows nothing of the rows it moves: an adapter (see `RowAdapter`) says
what a row is. It lives in `core`, the lowest app, so that any app can import or
export its rows this way without depending on the app that first needed it.

The files are UTF-8 (with or without a byte order mark), comma- or
semicolon-separated (the header line decides), with a header row naming the columns;
headings are read as people write them (`First name`, `first-name`, `first_name`).

How "a file with a refused row writes nothing" goes with streaming: the file is read
once, in batches, inside one transaction. Valid batches are written as they come, so
memory holds one batch whatever the length of the file; at the end the transaction
is rolled back if a row was refused (`skip_invalid` commits the valid rows instead),
and always for a dry run. Reading the file twice (check, then write) would parse and
validate every row twice; this way a clean file, the usual case, costs one pass. A
dry run and a file with refused rows are written too, then rolled back, because what
a row does can depend on the rows before it (the primary of a kind, a row that
updates the contact an earlier row added): only writing them tells exactly.

Cells a spreadsheet would run as formulas. A cell that starts with `=`, `+`, `-`,
`@`, a tab or a carriage return is a formula to Excel, LibreOffice and Google Sheets
(`=HYPERLINK(...)`, `-2+3+cmd|...`). Following OWASP's advice on CSV injection,
`write_csv` wraps every cell in double quotes (so a `;` or `,` inside a value cannot
start a new cell in a spreadsheet that splits on the other one), doubles the quotes
inside, and puts a single quote before such a cell, which a spreadsheet takes as
"this is text" and does not show. A plain number (`+31612345678`, `-5`) runs nothing
and is left as it is, so phone numbers in E.164 still read as numbers. The importer
takes exactly that quote off again (`restore_cell`), so an export re-imports
unchanged; `'t Hart` and other values that merely start with a quote are read as
they are.

Broken files are refused, not guessed at: a quoted value that is never closed (which
would swallow the rest of the file into one value) or a stray quote after a closing
one refuses the whole file with its line number; a control character in a cell (a
NUL byte; a tab or a line break in a column that is not multi-line: the rule of every
text, `core.validators`) and a row with more or fewer values than the header refuse
that row, at its line and column.
"""

import csv
import io
import itertools
import os
import re
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol, TextIO

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from core.validators import validate_lines, validate_single_line

# The column the errors file adds; an errors file, once fixed, re-imports as it is.
ERROR_COLUMN = "error"
BATCH_SIZE = 1000
# Away from a terminal, a progress line every so many rows.
PROGRESS_EVERY = 10_000
# A cell starting with one of these (after any quotes) is neutralised on export.
_FORMULA_START = re.compile(r"'*[=+\-@\t\r]")
# ... unless it is a plain number.
_NEEDS_QUOTE = re.compile(r"(?![+-]?[0-9]+\Z)'*[=+\-@\t\r]")
# The first characters of such a cell: most cells start otherwise, and are written
# without a regular expression.
_RISKY_FIRST = frozenset("'=+-@\t\r")


class ImportFileError(Exception):
    """The file as a whole cannot be read: not UTF-8, no header, unknown columns."""


class RowAdapter(Protocol):
    """What one kind of row is. The importer reads, batches and reports; the adapter
    turns a record (column name → stripped text) into an object and writes objects."""

    # Every column the file may have, in the order an export writes them.
    columns: tuple[str, ...]
    # The columns the header must have.
    required_columns: tuple[str, ...]
    # The columns whose values may hold line breaks and tabs (other control
    # characters are refused in every column).
    multiline_columns: tuple[str, ...]

    def begin_batch(self, records: Sequence[dict[str, str]]) -> None:
        """Read what the batch's rows refer to (their customers, say) in one go, so
        that `build` asks the database nothing per row."""

    def build(self, record: dict[str, str]) -> Any:
        """A validated, unsaved object for the row; `ValidationError` if refused,
        keyed by column name."""

    def write(self, rows: Sequence[tuple[int, Any]]) -> "WriteOutcome":
        """Write a batch of (line, object `build` returned); say what became of
        them. A row may still be refused here, where it meets what is stored."""


def column_name(heading: str) -> str:
    """`First name`, `first-name` and `first_name` name the same column."""
    return "_".join(heading.strip().lower().replace("-", " ").split())


def sniff_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


@dataclass
class WriteOutcome:
    """What became of a batch of valid rows."""

    added: int = 0
    updated: int = 0
    unchanged: int = 0
    # (line, [(column, message)]) of the rows refused against what is stored.
    refused: list[tuple[int, list[tuple[str, str]]]] = field(default_factory=list)


@dataclass
class ImportResult:
    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    seconds: float = 0.0
    dry_run: bool = False
    # Nothing the run wrote was kept: a dry run, or refused rows without
    # skip_invalid.
    rolled_back: bool = False


class Progress:
    """A bar redrawn in place on a terminal; elsewhere a plain line every `every`
    rows, so a log file gets a few lines rather than thousands of redraws."""

    def __init__(self, stream, *, tty: bool, total_bytes: int):
        self.stream = stream
        self.tty = tty
        self.total_bytes = max(total_bytes, 1)
        self.every = PROGRESS_EVERY
        self.next_line = self.every
        self.drawn_at = 0.0

    def _write(self, text: str, ending: str = "\n") -> None:
        self.stream.write(text, style_func=lambda x: x, ending=ending)
        self.stream.flush()

    def update(self, *, rows: int, position: int) -> None:
        percent = min(100, 100 * position // self.total_bytes)
        if self.tty:
            now = time.monotonic()
            if now - self.drawn_at < 0.1:
                return
            self.drawn_at = now
            done = percent * 30 // 100
            bar = "#" * done + "-" * (30 - done)
            self._write(f"\r[{bar}] {percent:3d}%  {rows:,} rows", ending="")
        elif rows >= self.next_line:
            self.next_line = (rows // self.every + 1) * self.every
            self._write(f"{rows:,} rows read ({percent}%)")

    def finish(self) -> None:
        if self.tty and self.drawn_at:
            self._write("")


class CsvImport:
    """Reads a file in batches, has the adapter build and write the valid rows, and
    reports the refused ones (stderr and the errors file)."""

    def __init__(
        self,
        *,
        adapter: RowAdapter,
        path: str,
        stderr,
        dry_run: bool = False,
        skip_invalid: bool = False,
        errors_path: str | None = None,
        progress_tty: bool = False,
        batch_size: int = BATCH_SIZE,
    ):
        self.adapter = adapter
        self.path = path
        self.stderr = stderr
        self.dry_run = dry_run
        self.skip_invalid = skip_invalid
        self.errors_path = errors_path
        self.progress_tty = progress_tty
        self.batch_size = batch_size
        self.result = ImportResult(dry_run=dry_run)

    def run(self) -> ImportResult:
        started = time.monotonic()
        with transaction.atomic():
            self._read_file()
            if self.dry_run or (self.result.refused and not self.skip_invalid):
                transaction.set_rollback(True)
                self.result.rolled_back = True
        self.result.seconds = time.monotonic() - started
        return self.result

    def _read_file(self) -> None:
        try:
            raw = open(self.path, "rb")  # noqa: SIM115 (closed below)
        except OSError as error:
            raise ImportFileError(
                f"Cannot open {self.path}: {error.strerror}."
            ) from error
        with raw:
            text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
            progress = Progress(
                self.stderr,
                tty=self.progress_tty,
                total_bytes=os.fstat(raw.fileno()).st_size,
            )
            try:
                self._read_rows(text, progress, raw)
            except UnicodeDecodeError as error:
                raise ImportFileError(
                    f"The file is not UTF-8 text (after row {self.result.read})."
                ) from error
            except csv.Error as error:
                raise ImportFileError(f"The file is not valid CSV: {error}.") from error
            finally:
                progress.finish()

    def _read_rows(self, text: TextIO, progress: Progress, raw) -> None:
        header_line = text.readline()
        if not header_line.strip():
            raise ImportFileError("The file is empty: it needs a header row.")
        self.delimiter = sniff_delimiter(header_line)
        # Strict: a quote left open or followed by more than a delimiter is an
        # error, not a value that runs on into the next lines.
        reader = csv.reader(
            itertools.chain([header_line], text),
            delimiter=self.delimiter,
            strict=True,
        )
        header = next(reader)
        self._read_header(header)
        with self._open_errors_file(header) as self._errors:
            batch: list[tuple[int, list[str]]] = []
            next_line = reader.line_num + 1
            while True:
                try:
                    values = next(reader, None)
                except csv.Error as error:
                    raise ImportFileError(
                        _csv_error_message(error, line=next_line)
                    ) from error
                if values is None:
                    break
                line, next_line = next_line, reader.line_num + 1
                if not any(value.strip() for value in values):
                    continue
                self.result.read += 1
                batch.append((line, values))
                if len(batch) >= self.batch_size:
                    self._process(batch)
                    batch = []
                    progress.update(rows=self.result.read, position=raw.tell())
            if batch:
                self._process(batch)
            progress.update(rows=self.result.read, position=raw.tell())

    def _read_header(self, header: list[str]) -> None:
        columns = self.adapter.columns
        names = [column_name(heading) for heading in header]
        unknown = [
            heading
            for heading, name in zip(header, names, strict=True)
            if name not in columns and name != ERROR_COLUMN
        ]
        if unknown:
            raise ImportFileError(
                f"Unknown column(s) in the header: {', '.join(unknown)}. "
                f"The columns are: {', '.join(columns)}."
            )
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ImportFileError(
                f"Column(s) named twice in the header: {', '.join(repeated)}."
            )
        missing = [name for name in self.adapter.required_columns if name not in names]
        if missing:
            raise ImportFileError(
                f"The header lacks the column(s): {', '.join(missing)}."
            )
        self._width = len(names)
        self._index = {name: i for i, name in enumerate(names) if name in columns}
        self._error_index = names.index(ERROR_COLUMN) if ERROR_COLUMN in names else None

    def _open_errors_file(self, header: list[str]):
        if not self.errors_path:
            return _NoErrorsFile()
        return _ErrorsFile(
            self.errors_path,
            header=header,
            error_index=self._error_index,
            delimiter=self.delimiter,
        )

    def _record(self, values: list[str]) -> dict[str, str]:
        return {
            name: restore_cell(values[i].strip()) for name, i in self._index.items()
        }

    def _shape_errors(self, values: list[str]) -> list[tuple[str, str]]:
        """What is wrong with the row as text, before it means anything: its number
        of values, and control characters in its cells."""
        # Trailing empty values (a spreadsheet's trailing delimiters) are no values.
        if len(values) < self._width or any(
            value.strip() for value in values[self._width :]
        ):
            return [
                (
                    "",
                    f"This row has {len(values)} values; the header has "
                    f"{self._width} columns.",
                )
            ]
        # The characters every text refuses (core.validators), checked here for
        # every cell, columns that are no model field included.
        errors = []
        for name, i in self._index.items():
            multiline = name in self.adapter.multiline_columns
            try:
                (validate_lines if multiline else validate_single_line)(values[i])
            except ValidationError as error:
                errors.append((name, error.messages[0]))
        return errors

    def _process(self, batch: list[tuple[int, list[str]]]) -> None:
        checked = [(line, values, self._shape_errors(values)) for line, values in batch]
        records = {
            line: self._record(values) for line, values, errors in checked if not errors
        }
        self.adapter.begin_batch(list(records.values()))
        valid, refused = [], []
        for line, _, errors in checked:
            if not errors:
                try:
                    valid.append((line, self.adapter.build(records[line])))
                except ValidationError as error:
                    errors = error_messages(error)
            if errors:
                refused.append((line, errors))
        outcome = self.adapter.write(valid) if valid else WriteOutcome()
        self.result.added += outcome.added
        self.result.updated += outcome.updated
        self.result.unchanged += outcome.unchanged
        values_at = {line: values for line, values, _ in checked}
        for line, errors in sorted(refused + outcome.refused):
            self._refuse(line, values_at[line], errors)

    def _refuse(self, line: int, values: list[str], errors: list[tuple[str, str]]):
        self.result.refused += 1
        for column, message in errors:
            self.stderr.write(f"Line {line}, column {column or '-'}: {message}")
        self._errors.add(line, values, errors)


def _csv_error_message(error: csv.Error, *, line: int) -> str:
    if "unexpected end of data" in str(error):
        return (
            f"Line {line}: a quoted value starts on this line and is never closed, "
            "so the rest of the file would be read as that one value. Close the "
            'quote, or write a quote inside a value twice (""). Nothing was written.'
        )
    if "expected after" in str(error):
        return (
            f"Line {line}: a quoted value is followed by more than a delimiter. A "
            'quote inside a quoted value is written twice (""). Nothing was written.'
        )
    return f"Line {line}: the file is not valid CSV: {error}. Nothing was written."


def neutralise_cell(value: Any) -> str:
    """The cell as written to a CSV file: a quote before a value that a spreadsheet
    would run as a formula (see the module's docstring)."""
    # Called for every cell of an export: the usual case (text) comes first.
    text = value if value.__class__ is str else "" if value is None else str(value)
    if text[:1] in _RISKY_FIRST and _NEEDS_QUOTE.match(text):
        return "'" + text
    return text


def restore_cell(text: str) -> str:
    """The value of a cell `neutralise_cell` wrote: exactly its added quote taken
    off. A value that merely starts with a quote (`'t Hart`) is left alone."""
    if text.startswith("'") and _FORMULA_START.match(text, 1):
        return text[1:]
    return text


def error_messages(error: ValidationError) -> list[tuple[str, str]]:
    """(column, message) pairs; the model's field names are the column names."""
    if not hasattr(error, "error_dict"):
        return [("", message) for message in error.messages]
    return [
        ("" if field == NON_FIELD_ERRORS else field, message)
        for field, errors in error.error_dict.items()
        for message in ValidationError(errors).messages
    ]


class _NoErrorsFile:
    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        return False

    def add(self, line, values, errors):
        pass


class _ErrorsFile:
    """The refused rows as they were read, plus an `error` column saying what to fix:
    once fixed, the file re-imports (the importer ignores the `error` column)."""

    def __init__(self, path, *, header, error_index, delimiter):
        self.path = path
        self.keep = [i for i in range(len(header)) if i != error_index]
        self.header = [header[i] for i in self.keep] + [ERROR_COLUMN]
        self.delimiter = delimiter

    def __enter__(self):
        try:
            self.file = open(self.path, "w", encoding="utf-8", newline="")  # noqa: SIM115
        except OSError as error:
            raise ImportFileError(
                f"Cannot write the errors file {self.path}: {error.strerror}."
            ) from error
        csv.writer(self.file, delimiter=self.delimiter).writerow(self.header)
        self.writer = csv.writer(
            self.file, delimiter=self.delimiter, quoting=csv.QUOTE_ALL
        )
        return self

    def __exit__(self, *exc_info):
        self.file.close()
        return False

    def add(self, line, values, errors):
        # The values as the importer read them, neutralised as an export is: a
        # person opens this file in a spreadsheet to fix it.
        kept = [
            neutralise_cell(restore_cell(values[i].strip())) if i < len(values) else ""
            for i in self.keep
        ]
        described = "; ".join(
            f"{column}: {message}" if column else message for column, message in errors
        )
        self.writer.writerow([*kept, f"Line {line}: {described}"])


def write_csv(
    file: TextIO,
    *,
    columns: Sequence[str],
    rows: Iterable[Sequence[Any]],
    lineterminator: str = "\r\n",
) -> None:
    """Write the header and the rows, streaming: one row in memory at a time; every
    cell quoted and neutralised (see the module's docstring).

    `file` is a file opened with `newline=""` (CSV's own "\r\n" endings), or a
    command's stdout with `lineterminator="\n"`: each row is one write ending in a
    newline, so the command's output wrapper adds nothing to it.
    """
    writer = csv.writer(file, lineterminator=lineterminator, quoting=csv.QUOTE_ALL)
    writer.writerow(columns)
    writer.writerows([neutralise_cell(value) for value in row] for row in rows)
