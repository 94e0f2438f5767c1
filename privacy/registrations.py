"""The models of Django's and other libraries' apps, in core.privacy's registry:
which hold a customer's person's data and which do not (docs/privacy.md)."""

from django.db.models import QuerySet
from django.utils.translation import gettext_noop

from core.privacy import (
    ERASE,
    ERASED_NAME,
    EXPORT_ONLY,
    DataSubject,
    PersonalField,
    PersonalModel,
    personal_data,
)

STAFF = "staff: the application's users, not customers' people"


def _admin_entries(rows: QuerySet, subject: DataSubject) -> QuerySet:
    # The admin's own log of changes to a contact names it in object_repr.
    return rows.filter(
        content_type__app_label="contacts",
        content_type__model="contact",
        object_id__in=[str(pk) for pk in subject.contact_ids],
    )


def register_personal_data() -> None:
    personal_data.register(
        PersonalModel(
            model="admin.LogEntry",
            kind=gettext_noop("admin log entries"),
            rows=_admin_entries,
            fields=(
                PersonalField("object_repr", ERASE, replacement=ERASED_NAME),
                PersonalField("change_message", ERASE),
                PersonalField("action_time", EXPORT_ONLY),
            ),
        )
    )
    personal_data.declare_not_personal(
        "admin.LogEntry", fields=("object_id",), why="a key"
    )
    for model in (
        "auth.User",
        "auth.Group",
        "auth.Permission",
        "sessions.Session",
        "axes.AccessAttempt",
        "axes.AccessFailureLog",
        "axes.AccessLog",
    ):
        personal_data.declare_not_personal(model, why=STAFF)
    personal_data.declare_not_personal(
        "contenttypes.ContentType", why="the application's own model names"
    )
    personal_data.declare_not_personal(
        "django_tasks_database.DBTaskResult",
        why="tasks take keys (a delivery's id), not data; results are removed "
        "after TASK_RESULTS_KEPT_DAYS",
    )
    personal_data.declare_not_personal(
        "privacy.ErasureLog",
        why="a masked identifier (e***@example.nl) and counts: the proof of "
        "the erasure",
    )
    personal_data.declare_not_personal(
        "privacy.ExportLog", why="a masked identifier: the record of the export"
    )
    personal_data.declare_not_personal("privacy.RetainedCopy", why="keys and a date")
