"""What sales documents hold of a person (core.privacy): the copy of the recipient
an order, invoice or shipment keeps. An issued document keeps it for the retention
period (the books must show whom it was for); a draft cannot be kept that way, so
erasing its contact is refused until it is sent or given another contact."""

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext, gettext_noop

from core.privacy import (
    EXPORT_ONLY,
    RETAIN,
    DataSubject,
    PersonalField,
    PersonalModel,
    personal_data,
)
from sales.models import DOCUMENT_KINDS, SalesDocument

# How the erasure log and the privacy page name each kind's rows.
KIND_NAMES = {
    "order": gettext_noop("sales orders"),
    "invoice": gettext_noop("invoices"),
    "shipment": gettext_noop("shipments"),
}


def _documents(rows: QuerySet, subject: DataSubject) -> QuerySet:
    return rows.annotate(_email=Lower("contact_email")).filter(
        Q(contact_id__in=subject.contact_ids) | Q(_email__in=subject.emails)
    )


def _issued(rows: QuerySet) -> QuerySet:
    return rows.exclude(status=SalesDocument.Status.DRAFT)


def drafts_with_the_person(subject: DataSubject) -> list[str]:
    """Refuse while a draft has the person as its contact: it would be sent to
    someone who is no longer there."""
    reasons = []
    for kind in DOCUMENT_KINDS:
        drafts = kind.objects.filter(
            contact_id__in=subject.contact_ids, status=SalesDocument.Status.DRAFT
        ).order_by("number")
        for number in drafts.values_list("number", flat=True):
            reasons.append(
                gettext(
                    "%(document)s %(number)s is a draft with this person as its "
                    "contact: send it or choose another contact first."
                )
                % {
                    "document": str(kind._meta.verbose_name).capitalize(),
                    "number": number,
                }
            )
    return reasons


def register_personal_data() -> None:
    for kind in DOCUMENT_KINDS:
        personal_data.register(
            PersonalModel(
                model=kind._meta.label,
                kind=KIND_NAMES[kind.KIND],
                rows=_documents,
                retained=_issued,
                retained_from="date",
                fields=(
                    PersonalField("contact_name", RETAIN),
                    PersonalField("contact_email", RETAIN),
                    PersonalField("contact_phone", RETAIN),
                    PersonalField("number", EXPORT_ONLY),
                    PersonalField("date", EXPORT_ONLY),
                    PersonalField("status", EXPORT_ONLY),
                    PersonalField("reference", EXPORT_ONLY),
                ),
            )
        )
        personal_data.declare_not_personal(
            kind._meta.label,
            fields=("currency", "carrier", "tracking_code"),
            why="the document's own terms",
        )
    personal_data.register_erasure_check("sales.drafts", drafts_with_the_person)
