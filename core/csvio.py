"""Reading and writing CSV files in management commands, for any kind of row.

This module knows nothing of the rows it moves: an adapter (see `RowAdapter`) says
what a row is. It lives in `core`, the lowest app, so that any app can import or
export its rows this way without depending on the app that first needed it.

The files are UTF-8 (with or without a byte order mark), comma- or
semicolon-separated (the header line decides), with a header row naming the columns;
headings are read as people write them (`First name`, `first-name`, `first_name`).

How "a file with a refused row writes nothing" goes with streaming and with an
office at work: an import reads the file twice. First a preview (`RowImport` with
`preview=True`) builds and checks every row and matches it against what is stored,
writing nothing and locking nothing; a dry run stops there, and so does a file with
refused rows (unless the valid rows are to be written anyway). Then the written pass
reads it again and writes it in batches, each batch in a transaction of its own that
locks only what that batch writes: another user's save waits for one batch, not for
the file. Memory holds one batch and one byte per line of the report, whatever the
length of the file. A row identical to an earlier row of the file is imported once,
from the earlier row, and reported as repeating it.

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

import codecs
import csv
import itertools
import os
import re
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Protocol, TextIO

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

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

    def write(
        self, rows: Sequence[tuple[int, Any]], *, preview: bool
    ) -> "WriteOutcome":
        """Write a batch of (line, object `build` returned), inside the batch's
        transaction; say what became of each row. A row may still be refused here,
        where it meets what is stored. With `preview`, write nothing and say what
        writing would do (later batches see the earlier ones' rows as if written)."""

    def finish(self) -> None:
        """After the last batch of a written import: what is done once per import
        (derived data of every row written), in transactions of its own."""


def column_name(heading: str) -> str:
    """`First name`, `first-name` and `first_name` name the same column."""
    return "_".join(heading.strip().lower().replace("-", " ").split())


def sniff_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


@dataclass
class WriteOutcome:
    """What became of a batch of valid rows: line → ADDED, UPDATED or UNCHANGED."""

    lines: dict[int, int] = field(default_factory=dict)
    # (line, [(column, message)]) of the rows refused against what is stored.
    refused: list[tuple[int, list[tuple[str, str]]]] = field(default_factory=list)


# What became of a line, as the report keeps it (one byte per line).
ADDED, UPDATED, UNCHANGED, REFUSED, REPEATED, NOT_WRITTEN = range(1, 7)
OUTCOME_NAMES = {
    ADDED: "added",
    UPDATED: "updated",
    UNCHANGED: "unchanged",
    REFUSED: "refused",
    REPEATED: "repeated",
    NOT_WRITTEN: "not written",
}


@dataclass
class ImportReport:
    """What an import did (or, as a preview, would do) with each line of the file.

    Every line's outcome is one byte (`outcomes[line]`), so a report of 100,000
    lines is 100 kB; the reasons are kept for the lines that have one (refused,
    repeated, not written)."""

    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    refused: int = 0
    # Rows identical to an earlier row of the file: imported once, from that row.
    repeated: int = 0
    not_written: int = 0
    seconds: float = 0.0
    # Nothing was written: a preview (a dry run, or a check that found refused rows).
    preview: bool = True
    # Why a written import stopped before its end (a batch that failed): the
    # batches before it are written, the rest is not.
    failure: str = ""
    # The last line of the last batch written (0: none).
    written_through: int = 0
    outcomes: bytearray = field(default_factory=bytearray)
    reasons: dict[int, list[tuple[str, str]]] = field(default_factory=dict)

    def note(self, line: int, outcome: int, reasons=None) -> None:
        if line >= len(self.outcomes):
            self.outcomes.extend(bytes(line + 1 - len(self.outcomes)))
        previous = self.outcomes[line]
        if previous:
            name = OUTCOME_NAMES[previous].replace(" ", "_")
            setattr(self, name, getattr(self, name) - 1)
        self.outcomes[line] = outcome
        name = OUTCOME_NAMES[outcome].replace(" ", "_")
        setattr(self, name, getattr(self, name) + 1)
        if reasons:
            self.reasons[line] = reasons

    def problems(self) -> Iterator[tuple[int, int, list[tuple[str, str]]]]:
        """(line, outcome, reasons) of every line with reasons, in file order."""
        for line in sorted(self.reasons):
            yield line, self.outcomes[line], self.reasons[line]

    def lines(self) -> Iterator[tuple[int, str, str]]:
        """(line, outcome, reason) of every row read, in file order."""
        for line, outcome in enumerate(self.outcomes):
            if outcome:
                yield line, OUTCOME_NAMES[outcome], describe(self.reasons.get(line))


def describe(reasons: list[tuple[str, str]] | None) -> str:
    return "; ".join(
        f"{column}: {message}" if column else message
        for column, message in reasons or []
    )


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


@dataclass
class Table:
    """A file's rows as text: the header, then (line, values) read one at a time."""

    header: list[str]
    rows: Iterator[tuple[int, list[str]]]
    # The delimiter an errors file of this table is written with.
    delimiter: str = ","
    # The file's size and how far it has been read, in bytes (for progress).
    size: int = 0
    position: Callable[[], int] = lambda: 0


@contextmanager
def open_csv(source: "str | os.PathLike | BinaryIO") -> Iterator[Table]:
    """The CSV file at a path, or an open binary file, as a `Table`."""
    if isinstance(source, str | os.PathLike):
        try:
            raw = open(source, "rb")  # noqa: SIM115 (closed below)
        except OSError as error:
            raise ImportFileError(f"Cannot open {source}: {error.strerror}.") from error
    else:
        raw = source
        raw.seek(0)
    try:
        yield csv_table(raw)
    finally:
        if raw is not source:
            raw.close()


def csv_table(raw: BinaryIO) -> Table:
    read = [0]
    lines = _decoded_lines(raw, read)
    header_line = next(lines, "")
    if not header_line.strip():
        raise ImportFileError("The file is empty: it needs a header row.")
    delimiter = sniff_delimiter(header_line)
    # Strict: a quote left open or followed by more than a delimiter is an error,
    # not a value that runs on into the next lines.
    reader = csv.reader(
        itertools.chain([header_line], lines), delimiter=delimiter, strict=True
    )
    try:
        header = next(reader)
    except csv.Error as error:
        raise ImportFileError(_csv_error_message(error, line=1)) from error

    def rows() -> Iterator[tuple[int, list[str]]]:
        next_line = reader.line_num + 1
        while True:
            try:
                values = next(reader, None)
            except csv.Error as error:
                raise ImportFileError(
                    _csv_error_message(error, line=next_line)
                ) from error
            if values is None:
                return
            line, next_line = next_line, reader.line_num + 1
            yield line, values

    try:
        size = os.fstat(raw.fileno()).st_size
    except (AttributeError, OSError):  # a file in memory (an upload) has no number
        size = 0
    return Table(
        header=header,
        rows=rows(),
        delimiter=delimiter,
        size=size,
        position=lambda: read[0],
    )


def _decoded_lines(raw: BinaryIO, read: list[int]) -> Iterator[str]:
    """The file's lines as text, each decoded alone, so a byte that is not UTF-8 is
    reported at its own line (a decoder reading ahead in blocks would stop at the
    block's first line). UTF-8 never has a newline byte inside a character."""
    for number, line in enumerate(raw, start=1):
        read[0] += len(line)
        if number == 1:
            line = line.removeprefix(codecs.BOM_UTF8)
        try:
            yield line.decode("utf-8")
        except UnicodeDecodeError as error:
            raise ImportFileError(
                f"Line {number:,} is not UTF-8 text: byte 0x{line[error.start]:02x} "
                f"at character {error.start + 1}. Save the file as UTF-8 (CSV UTF-8 "
                "in a spreadsheet). Nothing was written."
            ) from error


class RowImport:
    """Reads a table in batches, has the adapter build and write the valid rows, and
    reports what became of every line (the report, and the errors file).

    A preview writes nothing; otherwise each batch is written in a transaction of
    its own, so what another user writes waits for one batch at most. A batch that
    fails (a database error) stops the import: the batches before it stay written
    and the report says which lines are."""

    def __init__(
        self,
        *,
        adapter: RowAdapter,
        table: Table,
        preview: bool,
        batch_size: int = BATCH_SIZE,
        errors_path: str | None = None,
        progress: "Progress | None" = None,
    ):
        self.adapter = adapter
        self.table = table
        self.preview = preview
        self.batch_size = batch_size
        self.errors_path = errors_path
        self.progress = progress
        self.report = ImportReport(preview=preview)
        # hash of a row's values → its line: a row seen before is not imported
        # again (8 bytes a row, not the row).
        self._seen: dict[int, int] = {}

    def run(self) -> ImportReport:
        started = time.monotonic()
        self._read_header(self.table.header)
        with self._open_errors_file(self.table.header) as self._errors:
            try:
                self._read_rows()
            finally:
                if self.progress:
                    self.progress.finish()
            if not self.preview:
                self.adapter.finish()
        self.report.seconds = time.monotonic() - started
        return self.report

    def _read_rows(self) -> None:
        batch: list[tuple[int, list[str]]] = []
        for line, values in self.table.rows:
            if not any(value.strip() for value in values):
                continue
            self.report.read += 1
            batch.append((line, values))
            if len(batch) >= self.batch_size:
                if not self._process(batch):
                    return
                batch = []
                self._progress()
        if batch:
            self._process(batch)
        self._progress()

    def _progress(self) -> None:
        if self.progress:
            self.progress.update(rows=self.report.read, position=self.table.position())

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
            delimiter=self.table.delimiter,
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

    def _process(self, batch: list[tuple[int, list[str]]]) -> bool:
        """Build and write one batch; False when it failed and the import stops."""
        report = self.report
        checked = [(line, values, self._shape_errors(values)) for line, values in batch]
        records: dict[int, dict[str, str]] = {}
        refused: list[tuple[int, list[tuple[str, str]]]] = []
        for line, values, errors in checked:
            if errors:
                refused.append((line, errors))
                continue
            record = self._record(values)
            first = self._seen.setdefault(hash(tuple(record.values())), line)
            if first != line:
                report.note(line, REPEATED, [("", repeated_message(first))])
            else:
                records[line] = record
        self.adapter.begin_batch(list(records.values()))
        valid = []
        for line, record in records.items():
            try:
                valid.append((line, self.adapter.build(record)))
            except ValidationError as error:
                refused.append((line, error_messages(error)))
        written = True
        if not valid:
            outcome = WriteOutcome()
        elif self.preview:
            outcome = self.adapter.write(valid, preview=True)
        else:
            try:
                with transaction.atomic():
                    outcome = self.adapter.write(valid, preview=False)
            except (DatabaseError, ObjectDoesNotExist) as error:
                outcome, written = WriteOutcome(), False
                reason = [("", batch_failed_message(error))]
                for line, _ in valid:
                    report.note(line, NOT_WRITTEN, reason)
                report.failure = stopped_message(
                    first=batch[0][0], last=batch[-1][0], error=error
                )
        for line, code in outcome.lines.items():
            report.note(line, code)
        values_at = {line: values for line, values, _ in checked}
        for line, errors in sorted(refused + outcome.refused):
            self._refuse(line, values_at[line], errors)
        if written and not self.preview:
            report.written_through = batch[-1][0]
        return written

    def _refuse(self, line: int, values: list[str], errors: list[tuple[str, str]]):
        self.report.note(line, REFUSED, errors)
        self._errors.add(line, values, errors)


def repeated_message(first: int) -> str:
    return _("The same as line %(line)s: imported once, from that line.") % {
        "line": first
    }


def batch_failed_message(error: Exception) -> str:
    return _("Not written: its batch failed (%(error)s).") % {"error": error}


def stopped_message(*, first: int, last: int, error: Exception) -> str:
    return _(
        "The batch of lines %(first)s to %(last)s could not be written (%(error)s). "
        "The lines before it were written; the lines from %(first)s on were not: "
        "import them again once the cause is fixed."
    ) % {"first": first, "last": last, "error": error}


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
    for line in csv_lines(columns=columns, rows=rows, lineterminator=lineterminator):
        file.write(line)


class _Line:
    """A "file" whose write returns what it is given: csv.writer's row as text."""

    def write(self, text: str) -> str:
        return text


def csv_lines(
    *, columns: Sequence[str], rows: Iterable[Sequence[Any]], lineterminator="\r\n"
) -> Iterator[str]:
    """The header and the rows as CSV text, one line at a time (a download streams
    them): what `write_csv` writes."""
    writer = csv.writer(_Line(), lineterminator=lineterminator, quoting=csv.QUOTE_ALL)
    yield writer.writerow(columns)
    for row in rows:
        yield writer.writerow([neutralise_cell(value) for value in row])
