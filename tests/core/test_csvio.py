"""The generic CSV reader and writer of `core.csvio`; the commands that use it are
tested in their apps (tests/contacts/test_import_*.py, test_export_contacts.py)."""

from io import StringIO

from django.core.management.base import OutputWrapper

from core.csvio import Progress


def test_on_a_terminal_progress_is_a_bar_redrawn_in_place():
    out = StringIO()
    progress = Progress(OutputWrapper(out), tty=True, total_bytes=200)
    progress.update(rows=500, position=100)
    progress.finish()

    assert out.getvalue() == "\r[###############---------------]  50%  500 rows\n"
