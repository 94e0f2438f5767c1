"""What the outbox holds of a person (core.privacy): the emails sent to them, what
the mail provider reported about their address, and its suppression."""

from django.db.models import CharField, Q, QuerySet, Value
from django.db.models.functions import Cast, Concat, Lower
from django.utils.translation import gettext_noop

from core.privacy import (
    ERASE,
    EXPORT_ONLY,
    DataSubject,
    PersonalField,
    PersonalModel,
    personal_data,
)


def _deliveries(rows: QuerySet, subject: DataSubject) -> QuerySet:
    return rows.annotate(_email=Lower("email")).filter(
        Q(contact_id__in=subject.contact_ids) | Q(_email__in=subject.emails)
    )


def _events(rows: QuerySet, subject: DataSubject) -> QuerySet:
    return rows.annotate(_email=Lower("email")).filter(_email__in=subject.emails)


def register_personal_data() -> None:
    personal_data.register(
        PersonalModel(
            model="communications.Delivery",
            kind=gettext_noop("emails"),
            rows=_deliveries,
            fields=(
                PersonalField("email", ERASE),
                PersonalField("name", ERASE),
                # The greeting names the person; the words are the document's.
                PersonalField("text", ERASE),
                PersonalField("html", ERASE),
                # A mail server's refusal may quote the address.
                PersonalField("last_error", ERASE),
                PersonalField("subject", EXPORT_ONLY),
                PersonalField("reason", EXPORT_ONLY),
                PersonalField("language", EXPORT_ONLY),
                PersonalField("status", EXPORT_ONLY),
                PersonalField("sent_at", EXPORT_ONLY),
                PersonalField("created_at", EXPORT_ONLY),
            ),
        )
    )
    personal_data.register(
        PersonalModel(
            model="communications.DeliveryEvent",
            kind=gettext_noop("delivery events"),
            rows=_events,
            fields=(
                PersonalField("email", ERASE),
                PersonalField("description", ERASE),
                PersonalField("event_type", EXPORT_ONLY),
                PersonalField("occurred_at", EXPORT_ONLY),
            ),
        )
    )
    personal_data.register(
        PersonalModel(
            model="communications.Suppression",
            kind=gettext_noop("suppressions"),
            rows=_events,
            fields=(
                # One standing suppression per address: each erased row gets an
                # address of its own that can never receive mail.
                PersonalField(
                    "email",
                    ERASE,
                    replacement=Concat(
                        Value("erased-"),
                        Cast("pk", CharField()),
                        Value("@invalid"),
                        output_field=CharField(),
                    ),
                ),
                PersonalField("detail", ERASE),
                PersonalField("lift_reason", ERASE),
                PersonalField("reason", EXPORT_ONLY),
                PersonalField("created_at", EXPORT_ONLY),
                PersonalField("lifted_at", EXPORT_ONLY),
            ),
        )
    )
    personal_data.declare_not_personal(
        "communications.Delivery",
        fields=("from_email", "message_id", "provider_message_id", "claim"),
        why="the organisation's sender, ids and the worker's bookkeeping",
    )
    personal_data.declare_not_personal(
        "communications.DeliveryEvent",
        fields=("provider", "event_id"),
        why="the mail provider's name and its id of the event",
    )
