"""What an import job holds of a person (core.privacy): its file, until imported,
and the report and refused lines, which quote the rows' values."""

from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from core.privacy import (
    ERASE,
    EXPORT_ONLY,
    DataSubject,
    PersonalField,
    PersonalModel,
    personal_data,
)


def _mentions(job, needles: list[str]) -> bool:
    texts = (
        bytes(job.content).decode("utf-8", "replace"),
        job.report,
        str(job.refused),
    )
    return any(needle in text.lower() for text in texts for needle in needles)


def _jobs(rows: QuerySet, subject: DataSubject) -> QuerySet:
    # The file is bytes and the lines JSON: read in Python, which the few jobs a
    # user keeps allow. A national number in a file is not found by its E.164 form.
    needles = [*subject.emails, *subject.phones]
    mentioning = [
        job.pk
        for job in rows.only("pk", "content", "report", "refused")
        if _mentions(job, needles)
    ]
    return rows.filter(pk__in=mentioning)


def _delete(rows: QuerySet, subject: DataSubject) -> int:
    # A working file, not a record: the job goes whole.
    count, _ = rows.delete()
    return count


def register_personal_data() -> None:
    personal_data.register(
        PersonalModel(
            model="transfers.ImportJob",
            kind=gettext_noop("import files"),
            rows=_jobs,
            erase=_delete,
            fields=(
                PersonalField("report", ERASE),
                PersonalField("refused", ERASE, replacement=[]),
                PersonalField("file_name", EXPORT_ONLY),
                PersonalField("kind", EXPORT_ONLY),
                PersonalField("status", EXPORT_ONLY),
                PersonalField("language", EXPORT_ONLY),
                PersonalField("counts", EXPORT_ONLY),
            ),
        )
    )
