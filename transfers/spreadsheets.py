"""An uploaded XLSX workbook read as the CSV file the importers read: its first
sheet's values, row by row, so one import code serves both kinds of file."""

import csv
import io
import zipfile
from datetime import date, datetime, time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def too_large_message() -> str:
    return _("The file is larger than %(limit)d MB: split it into smaller files.") % {
        "limit": settings.IMPORT_MAX_BYTES // 1_000_000
    }


# An XLSX file is a ZIP archive; a CSV file never starts like one.
ZIP_SIGNATURE = b"PK\x03\x04"


def is_xlsx(*, name: str, content: bytes) -> bool:
    return name.lower().endswith(".xlsx") or content.startswith(ZIP_SIGNATURE)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    # A whole number typed into a cell (a phone number, a customer number) is
    # stored as a float by some programs: written without ".0".
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def xlsx_as_csv(content: bytes) -> bytes:
    """The first sheet of the workbook as UTF-8 CSV. A formula counts by the value
    the spreadsheet program last calculated, as the user saw it (empty when none
    was). A workbook whose text would pass `IMPORT_MAX_BYTES` is refused: a small
    compressed file can hold a great deal."""
    # Imported here: only an XLSX upload needs it.
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ValidationError(
            {"file": _("This is not an XLSX workbook that can be read: save it again.")}
        ) from error
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise ValidationError({"file": _("The workbook has no sheet.")})
        out = io.StringIO()
        writer = csv.writer(out)
        # A sheet's rows end where their last filled cell does, or run on over
        # formatted empty cells: each row gets the header's width (a row with
        # values past it keeps them, and is refused for it).
        width = 0
        for row in sheet.iter_rows(values_only=True):
            texts = [_text(value) for value in row]
            while texts and not texts[-1]:
                texts.pop()
            if not texts:
                continue
            width = width or len(texts)
            writer.writerow(texts + [""] * (width - len(texts)))
            if out.tell() > settings.IMPORT_MAX_BYTES:
                raise ValidationError({"file": too_large_message()})
        return out.getvalue().encode("utf-8")
    finally:
        workbook.close()
