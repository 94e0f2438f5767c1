"""What contacts holds of a person (core.privacy): the contacts themselves, the
card details that are the person's own address or number, and the pairs that say
whether two contacts are one person."""

from django.db.models import Q, QuerySet
from django.db.models.functions import Lower
from django.utils.translation import gettext_noop

from core.privacy import (
    ERASE,
    ERASED_NAME,
    EXPORT_ONLY,
    DataSubject,
    PersonalField,
    PersonalModel,
    personal_data,
    replace_fields,
)


def _contacts(rows: QuerySet, subject: DataSubject) -> QuerySet:
    # The person's links, and in the history also links since deleted (merged
    # away, ended) that were theirs.
    return rows.filter(
        Q(id__in=subject.contact_ids) | Q(person_id__in=subject.person_ids)
    )


CONTACT_FIELDS = (
    PersonalField("first_name", ERASE, replacement=ERASED_NAME),
    PersonalField("last_name", ERASE),
    PersonalField("email", ERASE),
    PersonalField("phone", ERASE),
    PersonalField("job_title", ERASE),
    PersonalField("department", ERASE),
    PersonalField("language", EXPORT_ONLY),
    PersonalField("no_notification_emails", EXPORT_ONLY),
)


def _erase_contacts(rows: QuerySet, subject: DataSubject) -> int:
    from contacts.models import Contact

    # The link stays (documents and emails point at it), nameless and without
    # roles, so no document is ever routed to it again.
    Contact.roles.through.objects.filter(contact__in=rows).delete()
    return replace_fields(rows, CONTACT_FIELDS)


PERSON_FIELDS = (
    PersonalField("first_name", ERASE, replacement=ERASED_NAME),
    PersonalField("last_name", ERASE),
    PersonalField("personal_email", ERASE),
    PersonalField("personal_phone", ERASE),
    PersonalField("language", EXPORT_ONLY),
)


def _persons(rows: QuerySet, subject: DataSubject) -> QuerySet:
    # The row stays, anonymised: its links (which documents and emails point at)
    # need a person.
    return rows.filter(id__in=subject.person_ids)


def _details(rows: QuerySet, subject: DataSubject) -> QuerySet:
    # A card detail that is the person's own address or number is theirs; the
    # customer's general addresses (info@…) are not.
    return rows.annotate(_value=Lower("value")).filter(
        _value__in=[*subject.emails, *subject.phones]
    )


def _erase_details(rows: QuerySet, subject: DataSubject) -> int:
    from contacts.services.card import contact_detail_delete

    details = list(rows)
    for detail in details:
        # Through the card service: an erased primary hands over to the oldest.
        contact_detail_delete(detail=detail)
    return len(details)


def _pairs(rows: QuerySet, subject: DataSubject) -> QuerySet:
    return rows.filter(
        Q(contact_a_id__in=subject.contact_ids)
        | Q(contact_b_id__in=subject.contact_ids)
    )


def _delete(rows: QuerySet, subject: DataSubject) -> int:
    # A pair names two contacts, one of them erased: it says nothing any more.
    return rows.delete()[0]


def register_personal_data() -> None:
    personal_data.register(
        PersonalModel(
            model="contacts.Contact",
            kind=gettext_noop("contacts"),
            rows=_contacts,
            erase=_erase_contacts,
            fields=CONTACT_FIELDS,
            # A merge's record names the contact merged away and its values.
            reasons_quote_others=True,
        )
    )
    personal_data.register(
        PersonalModel(
            model="contacts.Person",
            kind=gettext_noop("persons"),
            rows=_persons,
            fields=PERSON_FIELDS,
        )
    )
    personal_data.register(
        PersonalModel(
            model="contacts.ContactDetail",
            kind=gettext_noop("contact details"),
            rows=_details,
            erase=_erase_details,
            fields=(
                PersonalField("value", ERASE),
                PersonalField("description", ERASE),
                PersonalField("kind", EXPORT_ONLY),
            ),
        )
    )
    for model, kind in (
        ("contacts.PossibleDuplicate", gettext_noop("possible duplicates")),
        ("contacts.NotDuplicate", gettext_noop("not duplicates")),
    ):
        personal_data.register(
            PersonalModel(
                model=model,
                kind=kind,
                rows=_pairs,
                erase=_delete,
                fields=(
                    PersonalField("contact_a", EXPORT_ONLY),
                    PersonalField("contact_b", EXPORT_ONLY),
                ),
            )
        )
    personal_data.declare_not_personal(
        "contacts.ContactRole", why="the organisation's roles, not a person's"
    )
    personal_data.declare_not_personal(
        "contacts.ContactFieldSettings", why="the organisation's settings"
    )
