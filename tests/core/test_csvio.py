"""The generic CSV reader and writer of `core.csvio`; the commands that use it are
tested in their apps (tests/contacts/test_import_*.py, test_export_contacts.py)."""

from io import StringIO

import pytest
from django.core.management.base import OutputWrapper

from core.csvio import Progress, neutralise_cell, restore_cell


def test_on_a_terminal_progress_is_a_bar_redrawn_in_place():
    out = StringIO()
    progress = Progress(OutputWrapper(out), tty=True, total_bytes=200)
    progress.update(rows=500, position=100)
    progress.finish()

    assert out.getvalue() == "\r[###############---------------]  50%  500 rows\n"


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+1", "'=1+1"),
        ("+Night", "'+Night"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        # A value that starts with the quote the export adds gets one more, so the
        # import's taking one off gives it back.
        ("'=1+1", "''=1+1"),
        # Plain numbers run nothing and stay numbers.
        ("+31612345678", "+31612345678"),
        ("-5", "-5"),
        ("+3161234567x", "'+3161234567x"),
        ("'t Hart", "'t Hart"),
        ("Jan", "Jan"),
        ("", ""),
        (None, ""),
        (12, "12"),
    ],
)
def test_a_cell_is_neutralised_on_export_and_restored_on_import(value, written):
    assert neutralise_cell(value) == written
    assert restore_cell(written) == ("" if value is None else str(value))


def test_restoring_takes_off_only_a_quote_before_a_formula_character():
    assert restore_cell("'t Hart") == "'t Hart"
    assert restore_cell("''t Hart") == "''t Hart"
    assert restore_cell("'") == "'"
    assert restore_cell("'''@x") == "''@x"
