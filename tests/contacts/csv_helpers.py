"""Writing CSV files and running the import/export commands in tests."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def write_csv(path, text: str, *, bom: bool = False):
    path.write_bytes((("\ufeff" if bom else "") + text).encode("utf-8"))
    return path


def run(name: str, *args, **options) -> tuple[str, str]:
    """Run a command; (stdout, stderr). CommandError propagates."""
    out, err = StringIO(), StringIO()
    call_command(name, *args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


def run_failing(name: str, *args, **options):
    """Run a command that is expected to fail; (error, stdout, stderr)."""
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError) as info:
        call_command(name, *args, stdout=out, stderr=err, **options)
    return info.value, out.getvalue(), err.getvalue()
