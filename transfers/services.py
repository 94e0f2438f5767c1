"""Import jobs: created with their preview, confirmed, run. The import itself is
contacts.imports' (the commands' code); this keeps the file, the progress and the
report."""

import csv
import io
from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation

from contacts.imports import import_contact_details, import_contacts
from core.csvio import REFUSED, ImportFileError, ImportReport, describe, open_csv
from transfers.models import ImportJob
from transfers.spreadsheets import is_xlsx, too_large_message, xlsx_as_csv

IMPORTERS = {
    ImportJob.Kind.CONTACTS: import_contacts,
    ImportJob.Kind.CONTACT_DETAILS: import_contact_details,
}
COUNTED = ("added", "updated", "unchanged", "refused", "repeated", "not_written")


def _run(job: ImportJob, **options) -> ImportReport:
    content = bytes(job.content)
    return IMPORTERS[ImportJob.Kind(job.kind)](
        partial(open_csv, io.BytesIO(content)),
        update=job.update,
        only_customer=job.customer.number if job.customer else "",
        **options,
    )


def _counts(report: ImportReport) -> dict:
    counts = {name: getattr(report, name) for name in COUNTED}
    counts["read"] = report.read
    counts["failure"] = report.failure
    return counts


def import_job_create(
    *, user, kind: str, name: str, content: bytes, update: bool, customer=None
):
    """Keep the file (an XLSX workbook as the CSV of its first sheet) and preview
    it: every line checked, nothing written. ValidationError (at "file") for a file
    that is too large or cannot be read."""
    if len(content) > settings.IMPORT_MAX_BYTES:
        raise ValidationError({"file": too_large_message()})
    if is_xlsx(name=name, content=content):
        content = xlsx_as_csv(content)
    job = ImportJob(
        created_by=user,
        kind=kind,
        update=update,
        customer=customer,
        file_name=name[:255],
        content=content,
        language=translation.get_language() or settings.LANGUAGE_CODE,
    )
    try:
        report = _run(job, dry_run=True)
    except ImportFileError as error:
        raise ValidationError({"file": str(error)}) from error
    job.rows_total = report.read
    job.counts = _counts(report)
    job.refused = [
        [line, describe(reasons)]
        for line, outcome, reasons in report.problems()
        if outcome == REFUSED
    ]
    job.full_clean(exclude=["content"])
    job.save()
    return job


@transaction.atomic
def import_job_confirm(*, job: ImportJob) -> ImportJob:
    """Queue the previewed import (its valid rows; the refused ones are left out),
    once: a second Confirm changes nothing."""
    job = ImportJob.objects.select_for_update().get(pk=job.pk)
    if job.status != ImportJob.Status.PREVIEWED:
        return job
    job.status = ImportJob.Status.QUEUED
    job.save(update_fields=["status"])
    # Imported here: the task module imports this one.
    from transfers.tasks import run_import

    transaction.on_commit(lambda: run_import.enqueue(job.pk), robust=True)
    return job


class _JobProgress:
    """The import's progress display, kept in the job's row (a page reads it)."""

    def __init__(self, job: ImportJob):
        self.job = job

    def update(self, *, rows: int, position: int) -> None:
        ImportJob.objects.filter(pk=self.job.pk).update(rows_done=rows)

    def finish(self) -> None:
        pass


def import_job_run(*, job_id: int) -> None:
    """The confirmed import, written in batches, with its progress, then its
    report. A job not waiting (already run) is left as it is."""
    claimed = ImportJob.objects.filter(
        pk=job_id, status=ImportJob.Status.QUEUED
    ).update(status=ImportJob.Status.RUNNING, rows_done=0)
    if not claimed:
        return
    job = ImportJob.objects.get(pk=job_id)
    try:
        # The report in the language of whoever uploaded the file.
        with translation.override(job.language):
            report = _run(job, skip_invalid=True, progress=lambda: _JobProgress(job))
    except ImportFileError as error:  # the preview read it: only a changed file
        job.counts = {**job.counts, "failure": str(error)}
        job.status = ImportJob.Status.FAILED
    else:
        job.counts = _counts(report)
        job.rows_done = report.read
        job.status = (
            ImportJob.Status.FAILED if report.failure else ImportJob.Status.DONE
        )
        job.report = report_csv(report)
    job.content = b""  # the file is not kept once imported
    job.save()


def report_csv(report: ImportReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["line", "outcome", "message"])
    writer.writerows(report.lines())
    return out.getvalue()
