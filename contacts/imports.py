"""Reading contact persons and contact details from CSV files: the engine behind the
`import_contacts` and `import_contact_details` commands.

The files are UTF-8 (with or without a byte order mark), comma- or
semicolon-separated (the header line decides), with a header row naming the columns
below; the export commands write the same columns, so an export re-imports unchanged.

Every row is validated by the model's own `full_clean()` (required fields, email,
phone read with the billing country, website) and written through the bulk services
in `contacts.services` (history, primary rules). Nothing here is a rule of its own;
it only reads, batches and reports.

How "a file with a refused row writes nothing" goes with streaming: the file is read
once, in batches, inside one transaction. Valid batches are written as they come, so
memory holds one batch whatever the length of the file; the first refused row stops
the writing (the rest is still read, to report every refused row), and at the end the
transaction is rolled back. Reading the file twice (check, then write) would parse and
validate every row twice; this way a clean file, the usual case, costs one pass.
`--skip-invalid` keeps writing the valid rows and commits; `--dry-run` never writes.
"""

import csv
import io
import itertools
import os
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TextIO

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction

from contacts.models import Contact, ContactDetail, ContactFieldSettings, ContactRole
from contacts.services import contact_details_bulk_create, contacts_bulk_create
from customers.models import Customer
from customers.selectors import customers_with_phone_region

CONTACT_COLUMNS = (
    "customer_number",
    "first_name",
    "last_name",
    "email",
    "phone",
    "job_title",
    "department",
    "roles",
)
DETAIL_COLUMNS = ("customer_number", "kind", "value", "description")
ROLE_SEPARATOR = "|"
# The column the errors file adds; an errors file, once fixed, re-imports as it is.
ERROR_COLUMN = "error"
BATCH_SIZE = 1000
# Customers are looked up once per batch and kept; past this many the cache starts
# afresh, so a file touching every customer still keeps memory flat.
CUSTOMER_CACHE_LIMIT = 20_000
# Away from a terminal, a progress line every so many rows.
PROGRESS_EVERY = 10_000


class ImportFileError(Exception):
    """The file as a whole cannot be read: not UTF-8, no header, unknown columns."""


def column_name(heading: str) -> str:
    """`First name`, `first-name` and `first_name` name the same column."""
    return "_".join(heading.strip().lower().replace("-", " ").split())


def sniff_delimiter(header_line: str) -> str:
    return ";" if header_line.count(";") > header_line.count(",") else ","


@dataclass
class ImportResult:
    read: int = 0
    written: int = 0
    refused: int = 0
    seconds: float = 0.0
    dry_run: bool = False
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
    """Reads a file in batches, validates each row, writes the valid ones and reports
    the refused ones (stderr and the errors file). Subclasses say what a row is."""

    columns: tuple[str, ...] = ()
    required_columns: tuple[str, ...] = ()

    def __init__(
        self,
        *,
        path: str,
        stderr,
        dry_run: bool = False,
        skip_invalid: bool = False,
        errors_path: str | None = None,
        progress_tty: bool = False,
        batch_size: int = BATCH_SIZE,
    ):
        self.path = path
        self.stderr = stderr
        self.dry_run = dry_run
        self.skip_invalid = skip_invalid
        self.errors_path = errors_path
        self.progress_tty = progress_tty
        self.batch_size = batch_size
        self.result = ImportResult(dry_run=dry_run)
        self._customers: dict[str, Customer] = {}

    # What a row is: subclasses.

    def build(self, record: dict[str, str], customer: Customer) -> Any:
        """A validated, unsaved object for the row; ValidationError if refused."""
        raise NotImplementedError

    def write(self, objects: Sequence[Any]) -> None:
        raise NotImplementedError

    # The run.

    def run(self) -> ImportResult:
        started = time.monotonic()
        if self.dry_run:
            self._read_file()
        else:
            with transaction.atomic():
                self._read_file()
                if self.result.refused and not self.skip_invalid:
                    transaction.set_rollback(True)
                    self.result.rolled_back = True
                    self.result.written = 0
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
        reader = csv.reader(
            itertools.chain([header_line], text), delimiter=self.delimiter
        )
        header = next(reader)
        self._read_header(header)
        with self._open_errors_file(header) as self._errors:
            batch: list[tuple[int, list[str]]] = []
            next_line = reader.line_num + 1
            for values in reader:
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
        names = [column_name(heading) for heading in header]
        unknown = [
            heading
            for heading, name in zip(header, names, strict=True)
            if name not in self.columns and name != ERROR_COLUMN
        ]
        if unknown:
            raise ImportFileError(
                f"Unknown column(s) in the header: {', '.join(unknown)}. "
                f"The columns are: {', '.join(self.columns)}."
            )
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ImportFileError(
                f"Column(s) named twice in the header: {', '.join(repeated)}."
            )
        missing = [name for name in self.required_columns if name not in names]
        if missing:
            raise ImportFileError(
                f"The header lacks the column(s): {', '.join(missing)}."
            )
        self._width = len(names)
        self._index = {name: i for i, name in enumerate(names) if name in self.columns}
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
            name: values[i].strip() if i < len(values) else ""
            for name, i in self._index.items()
        }

    def _load_customers(self, numbers: Iterable[str]) -> None:
        wanted = {number for number in numbers if number} - self._customers.keys()
        if not wanted:
            return
        if len(self._customers) + len(wanted) > CUSTOMER_CACHE_LIMIT:
            self._customers = {}
        # One query for the batch; each customer carries its billing country, so
        # reading the phone numbers of its rows asks nothing more.
        for customer in customers_with_phone_region().filter(number__in=wanted):
            self._customers[customer.number] = customer

    def _process(self, batch: list[tuple[int, list[str]]]) -> None:
        number_at = self._index.get("customer_number")
        self._load_customers(
            values[number_at].strip() for _, values in batch if number_at < len(values)
        )
        valid = []
        for line, values in batch:
            record = self._record(values)
            errors: list[tuple[str, str]] = []
            if len(values) > self._width and any(
                value.strip() for value in values[self._width :]
            ):
                errors.append(
                    (
                        "",
                        f"This row has {len(values)} values; the header has "
                        f"{self._width} columns.",
                    )
                )
            number = record["customer_number"]
            customer = self._customers.get(number)
            if customer is None:
                errors.append(
                    (
                        "customer_number",
                        f"No customer has the number {number}."
                        if number
                        else "This field is required.",
                    )
                )
            if not errors:
                try:
                    valid.append(self.build(record, customer))
                except ValidationError as error:
                    errors.extend(error_messages(error))
            if errors:
                self._refuse(line, values, errors)
        if (
            valid
            and not self.dry_run
            and (self.skip_invalid or not self.result.refused)
        ):
            self.write(valid)
            self.result.written += len(valid)

    def _refuse(self, line: int, values: list[str], errors: list[tuple[str, str]]):
        self.result.refused += 1
        for column, message in errors:
            self.stderr.write(f"Line {line}, column {column or '-'}: {message}")
        self._errors.add(line, values, errors)


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
        self.writer = csv.writer(self.file, delimiter=self.delimiter)
        self.writer.writerow(self.header)
        return self

    def __exit__(self, *exc_info):
        self.file.close()
        return False

    def add(self, line, values, errors):
        kept = [values[i] if i < len(values) else "" for i in self.keep]
        described = "; ".join(
            f"{column}: {message}" if column else message for column, message in errors
        )
        self.writer.writerow([*kept, f"Line {line}: {described}"])


class ContactImport(CsvImport):
    """Contact persons: one row each, roles by name or code separated by `|`."""

    columns = CONTACT_COLUMNS
    required_columns = ("customer_number", "first_name")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Read once for the whole file, not once per row.
        self.field_settings = ContactFieldSettings.load()
        self.roles: dict[str, ContactRole] = {}
        self.role_names = []
        for role in ContactRole.objects.all():
            self.roles[role.code.lower()] = role
            self.roles[role.name.lower()] = role
            self.role_names.append(role.name)

    def build(self, record, customer):
        contact = Contact(
            customer=customer,
            **{
                name: record.get(name, "")
                for name in (
                    "first_name",
                    "last_name",
                    "email",
                    "phone",
                    "job_title",
                    "department",
                )
            },
        )
        contact.field_settings = self.field_settings
        errors: dict[str, list[ValidationError]] = {}
        roles, unknown = self._roles(record.get("roles", ""))
        if unknown:
            errors["roles"] = [
                ValidationError(
                    f"Unknown role(s): {', '.join(unknown)}. The roles are: "
                    f"{', '.join(self.role_names)}.",
                    code="unknown_role",
                )
            ]
        try:
            # The customer was just read by its number: checking that it exists
            # again would cost a query per row.
            contact.full_clean(exclude=["customer"])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        return contact, roles

    def _roles(self, text: str) -> tuple[list[ContactRole], list[str]]:
        roles, unknown = [], []
        for part in text.split(ROLE_SEPARATOR):
            part = part.strip()
            if not part:
                continue
            role = self.roles.get(part.lower())
            if role is None:
                unknown.append(part)
            elif role not in roles:
                roles.append(role)
        return roles, unknown

    def write(self, objects):
        contacts_bulk_create(contacts=objects, batch_size=self.batch_size)


class ContactDetailImport(CsvImport):
    """Contact details: kind (email, telephone, mobile, website, or the names on the
    contact card), value, description. The primary flags come from the primary rule."""

    columns = DETAIL_COLUMNS
    required_columns = ("customer_number", "kind", "value")

    kinds = {
        **{kind.lower(): kind for kind in ContactDetail.Kind.values},
        **{str(label).lower(): kind for kind, label in ContactDetail.Kind.choices},
    }

    def build(self, record, customer):
        kind = record["kind"]
        detail = ContactDetail(
            customer=customer,
            kind=self.kinds.get(kind.lower(), kind),
            value=record["value"],
            description=record.get("description", ""),
        )
        # The customer was just read by its number; the primary flag is set by the
        # primary rule when the batch is written.
        detail.full_clean(exclude=["customer"])
        return detail

    def write(self, objects):
        contact_details_bulk_create(details=objects, batch_size=self.batch_size)
