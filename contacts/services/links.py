"""Writes of contact persons: create, change, save, delete, and their roles."""

import datetime
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext_lazy as _

from contacts.models import (
    PERSON_NAME_FIELDS,
    Contact,
    ContactRole,
    Person,
)
from contacts.services.duplicates import possible_duplicates_refresh
from core.services import GONE, STALE, EditConflict, changed_since
from customers.models import Customer
from customers.services import lock_customers


@transaction.atomic
def contact_create(
    *,
    customer: Customer,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    phone: str = "",
    job_title: str = "",
    department: str = "",
    language: str = "",
    no_notification_emails: bool = False,
    is_active: bool = True,
    started_on: datetime.date | None = None,
    ended_on: datetime.date | None = None,
    roles: Iterable[ContactRole] = (),
    person: Person | int | None = None,
) -> Contact:
    """Make a person a contact of the customer: a new person with the name and
    language given, or the existing `person` (a Person or its key; then its own
    name and language count, and those given are ignored). The work email and phone
    are normalised on the way in."""
    lock_customers([customer.pk])
    if person is None:
        person = Person(first_name=first_name, last_name=last_name, language=language)
        try:
            person.full_clean()
        except ValidationError as error:
            # At the contact form's fields of the same names.
            raise ValidationError(error.message_dict) from error
        person.save()
    else:
        # Locked against the deletion of a person whose last link ends meanwhile
        # (person_delete_if_unlinked): one that is gone is refused.
        key = person.pk if isinstance(person, Person) else person
        person = Person.objects.select_for_update(no_key=True).filter(pk=key).first()
        if person is None:
            raise ValidationError(PERSON_GONE_MESSAGE, code="gone")
    contact = Contact(
        customer=customer,
        person=person,
        email=email,
        phone=phone,
        job_title=job_title,
        department=department,
        no_notification_emails=no_notification_emails,
        is_active=is_active,
        started_on=started_on,
        ended_on=ended_on,
    )
    copy_person(contact)
    roles = list(roles)
    contact.is_primary = primary_allowed(contact=contact, roles=roles)
    contact.full_clean()
    contact.save()
    contact.roles.set(roles)
    possible_duplicates_refresh(customer_ids=[customer.pk], changed=[contact.pk])
    return contact


def person_follows(contact: Contact) -> None:
    """The person takes the name the link was given, and so do their other links."""
    person = contact.person
    if all(getattr(person, n) == getattr(contact, n) for n in PERSON_NAME_FIELDS):
        return
    for name in PERSON_NAME_FIELDS:
        setattr(person, name, getattr(contact, name))
    person.full_clean()
    person.save()
    _copy_to_links(person, exclude=contact.pk)


def copy_person(contact: Contact) -> None:
    """Give the link the person's name and language (PERSON_NAME_FIELDS)."""
    for name in PERSON_NAME_FIELDS:
        setattr(contact, name, getattr(contact.person, name))


@transaction.atomic
def person_update(*, person: Person, data: dict[str, Any]) -> Person:
    """Change who a person is (name, language, personal email and phone); a new
    name shows at every customer the person is a contact of, each link's change in
    that customer's Activity Log."""
    links = Contact.objects.filter(person=person)
    lock_customers(set(links.values_list("customer_id", flat=True)))
    stored = Person.objects.select_for_update().get(pk=person.pk)
    for field, value in data.items():
        setattr(stored, field, value)
    stored.full_clean()
    stored.save()
    _copy_to_links(stored)
    for model_field in Person._meta.concrete_fields:
        setattr(person, model_field.attname, getattr(stored, model_field.attname))
    return person


def _copy_to_links(person: Person, *, exclude: int | None = None) -> int:
    """Write the person's name to every link whose copy differs (under the links'
    customers' locks), with a history record each, and refresh their customers'
    possible duplicates. Returns the number of links written."""
    changed = []
    for link in Contact.objects.filter(person=person).exclude(pk=exclude):
        if all(getattr(link, n) == getattr(person, n) for n in PERSON_NAME_FIELDS):
            continue
        for name in PERSON_NAME_FIELDS:
            setattr(link, name, getattr(person, name))
        link.save(update_fields=[*PERSON_NAME_FIELDS, "updated_at"])
        changed.append(link)
    if changed:
        possible_duplicates_refresh(
            customer_ids={link.customer_id for link in changed},
            changed=[link.pk for link in changed],
        )
    return len(changed)


@transaction.atomic
def person_copies_repair(person_id: int) -> int:
    """Give every link of the person the person's name and language again, where
    its copy differs (`check_contacts --fix`): the person counts. Returns the
    number of links written; 0 when the person is gone."""
    lock_customers(
        set(
            Contact.objects.filter(person_id=person_id).values_list(
                "customer_id", flat=True
            )
        )
    )
    person = Person.objects.select_for_update().filter(pk=person_id).first()
    return 0 if person is None else _copy_to_links(person)


PERSON_GONE_MESSAGE = _(
    "This person no longer exists: their last contact was removed meanwhile."
)


def person_delete_if_unlinked(person_id: int) -> bool:
    """Delete the person once no customer has them as a contact; whether it did.
    The person's row is locked first, so a new link made at the same time
    (contact_create) either comes first and is seen here, or finds the person
    gone."""
    if not Person.objects.select_for_update().filter(pk=person_id).exists():
        return False
    if Contact.objects.filter(person_id=person_id).exists():
        return False
    Person.objects.filter(pk=person_id).delete()
    return True


class ContactChanged(EditConflict):
    """The contact changed, or is gone (deleted, merged), since the form was opened."""


STALE_CONTACT_MESSAGE = _(
    "Someone else changed this contact since you opened it, so nothing was saved. "
    "Review the current values below and make your changes again."
)


GONE_CONTACT_MESSAGE = _(
    "This contact no longer exists: it was deleted or merged into another contact."
)


def lock_contacts(
    contacts: Collection[Contact], *, to_delete: bool = False
) -> dict[int, Contact]:
    """Lock the contacts' rows (after their customer's: the order every writer
    takes) in key order, and return them as stored; a contact that is gone
    (deleted, merged away) is refused. Against other edits only (`no_key`: a row
    that points at a contact can still be added), unless one is to be deleted."""
    stored = {
        contact.pk: contact
        for contact in Contact.objects.select_for_update(no_key=not to_delete)
        .filter(pk__in=[contact.pk for contact in contacts])
        .order_by("pk")
    }
    if len(stored) < len({contact.pk for contact in contacts}):
        raise ContactChanged(GONE_CONTACT_MESSAGE, code=GONE)
    return stored


@transaction.atomic
def contact_update(
    *,
    contact: Contact,
    data: dict[str, Any],
    roles: Iterable[ContactRole] | None = None,
    version: str | None = None,
) -> Contact:
    """Change a contact's fields, and its roles when `roles` is given.

    `version` is the contact's `version` when the form was opened: a save based on a
    contact that changed since (another user's save, a merge) is refused with
    ContactChanged rather than overwriting what its user has not seen. A contact
    that no longer exists is refused too, never saved back into existence.
    """
    renames = set(data) & set(PERSON_NAME_FIELDS)
    customer_ids = {contact.customer_id}
    if renames:
        # The person's other customers show the new name too: locked together.
        customer_ids.update(
            Contact.objects.filter(person_id=contact.person_id).values_list(
                "customer_id", flat=True
            )
        )
    lock_customers(customer_ids)
    stored = lock_contacts([contact])[contact.pk]
    if changed_since(stored.version, version):
        raise ContactChanged(STALE_CONTACT_MESSAGE, code=STALE)
    # The change is applied to the row as stored now, not to the caller's copy: a
    # field the caller did not change keeps what another writer stored meanwhile.
    if (
        Contact.customer.is_cached(contact)
        and contact.customer_id == stored.customer_id
    ):
        stored.customer = contact.customer  # with its billing country, if read
    for field, value in data.items():
        setattr(stored, field, value)
    if roles is not None:
        roles = list(roles)
        stored.is_primary = primary_allowed(contact=stored, roles=roles)
    stored.full_clean()
    stored.save()
    if roles is not None:
        stored.roles.set(roles)
    if renames:
        person_follows(stored)
    for model_field in Contact._meta.concrete_fields:
        setattr(contact, model_field.attname, getattr(stored, model_field.attname))
    possible_duplicates_refresh(
        customer_ids=[contact.customer_id], changed=[contact.pk]
    )
    return contact


PRIMARY_TAKEN_MESSAGE = _(
    "%(name)s is already the Primary contact of this customer; take the role off "
    "there first."
)


def primary_holder(*, customer_id: int, exclude: int | None = None) -> Contact | None:
    """The contact holding the Primary role at the customer, other than `exclude`."""
    return (
        Contact.objects.filter(customer_id=customer_id, is_primary=True)
        .exclude(pk=exclude)
        .first()
    )


def primary_allowed(*, contact: Contact, roles: Iterable[ContactRole]) -> bool:
    """Whether `roles` give the contact Primary, refused at the Roles field while
    another contact of its customer holds it. Every writer of roles calls it under
    the customer's lock, so of two concurrent attempts the second sees the first's
    holder; the database's one-primary constraint stands behind it."""
    if not any(role.code == ContactRole.PRIMARY for role in roles):
        return False
    holder = primary_holder(customer_id=contact.customer_id, exclude=contact.pk)
    if holder is not None:
        raise ValidationError(
            {
                "roles": ValidationError(
                    PRIMARY_TAKEN_MESSAGE,
                    code="primary_taken",
                    params={"name": holder.full_name},
                )
            }
        )
    return True


@transaction.atomic
def contact_save(*, contact: Contact, roles: Iterable[ContactRole]) -> Contact:
    """Store a contact the admin's form has changed and cleaned already (the admin
    builds and validates the instance itself), with its roles, keeping
    the possible duplicates of its customer, and of the customer it left, current."""
    customer_ids = {contact.customer_id}
    if contact.pk is not None:
        before = Contact.objects.filter(pk=contact.pk).values_list(
            "customer_id", flat=True
        )
        customer_ids.update(before)
    lock_customers(customer_ids)
    if contact.pk is not None:
        lock_contacts([contact])
    roles = list(roles)
    contact.is_primary = primary_allowed(contact=contact, roles=roles)
    if contact.person_id is None:
        contact.person = Person.objects.create(
            **{name: getattr(contact, name) for name in PERSON_NAME_FIELDS}
        )
    contact.save()
    contact.roles.set(roles)
    # A name changed in the admin: the person's, and their other links', too.
    person_follows(contact)
    possible_duplicates_refresh(customer_ids=customer_ids, changed=[contact.pk])
    return contact


@transaction.atomic
def contact_delete(*, contact: Contact) -> None:
    """Delete a contact person; documents assigned it keep their copy of it.

    The contact's customer is locked first, then the contact's row: the order every
    writer takes (docs/architecture.md). A save of another contact of the customer
    refreshes the possible duplicates under the customer's lock, so it either comes
    first (its pair with this contact goes with it) or reads the contacts once this
    one is gone, never pairing a contact deleted meanwhile. A writer assigning this
    contact to a document locks the customer and the contact too: a deletion that
    comes second unassigns the document just saved, one that comes first makes the
    assignment refuse. Deleting a contact that is already gone (a second click)
    does nothing.
    """
    if _lock_customer_of(contact) is None:
        return
    if Contact.objects.select_for_update().filter(pk=contact.pk).exists():
        # Its possible duplicates and "Not a duplicate" marks go with it (CASCADE).
        # The link ends; the person goes once no customer has them as a contact.
        contact.delete()
        person_delete_if_unlinked(contact.person_id)


def _lock_customer_of(contact: Contact) -> int | None:
    """Lock the customer the contact belongs to now, and return its key; None when
    the contact (or its customer) is gone. A contact moves to another customer only
    under both customers' locks, so once its customer is locked it stays there."""
    locked: set[int] = set()
    while True:
        customer_id = (
            Contact.objects.filter(pk=contact.pk)
            .values_list("customer_id", flat=True)
            .first()
        )
        if customer_id is None or customer_id in locked:
            return customer_id
        try:
            lock_customers([customer_id])
        except Customer.DoesNotExist:
            return None
        locked.add(customer_id)


def replace_roles(
    contacts: Sequence[Contact], *, wanted: dict[int, set[int]], batch_size: int
) -> dict[int, dict[int, int]]:
    """Give each contact in `wanted` exactly those roles (the others keep theirs);
    return every contact's roles after it, as {contact: {role: link}}."""
    through = Contact.roles.through
    current: dict[int, dict[int, int]] = defaultdict(dict)
    for link_id, contact_id, role_id in through.objects.filter(
        contact_id__in=[contact.pk for contact in contacts]
    ).values_list("pk", "contact_id", "contactrole_id"):
        current[contact_id][role_id] = link_id
    gone = [
        link_id
        for contact_id, role_ids in wanted.items()
        for role_id, link_id in current[contact_id].items()
        if role_id not in role_ids
    ]
    if gone:
        # The link table has no history of its own: the role history is the
        # snapshot on each contact's record (record_roles_in_history).
        through.objects.filter(pk__in=gone).delete()
    added = through.objects.bulk_create(
        [
            through(contact_id=contact_id, contactrole_id=role_id)
            for contact_id, role_ids in wanted.items()
            for role_id in role_ids - current[contact_id].keys()
        ],
        batch_size=batch_size,
    )
    after = {
        contact.pk: {
            role_id: link_id
            for role_id, link_id in current[contact.pk].items()
            if contact.pk not in wanted or role_id in wanted[contact.pk]
        }
        for contact in contacts
    }
    for link in added:
        after[link.contact_id][link.contactrole_id] = link.pk
    return after


def record_roles_in_history(
    roles_of: dict[int, dict[int, int]], *, history_type: str, batch_size: int
) -> None:
    """Put each contact's roles ({contact: {role: link}}) on its newest history
    record of the type, as simple-history does for a save: its bulk helpers write
    no history of many-to-many rows."""
    if not roles_of:
        return
    history_ids = dict(
        Contact.history.filter(id__in=roles_of, history_type=history_type)
        .values("id")
        .annotate(latest=Max("history_id"))
        .values_list("id", "latest")
    )
    role_history = apps.get_model("contacts", "HistoricalContact_roles")
    role_history.objects.bulk_create(
        [
            role_history(
                history_id=history_ids[contact_id],
                id=link_id,
                contact_id=contact_id,
                contactrole_id=role_id,
            )
            for contact_id, roles in roles_of.items()
            for role_id, link_id in roles.items()
        ],
        batch_size=batch_size,
    )
