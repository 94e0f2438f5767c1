"""The bulk writers of contacts and contact details: the write path of imports, a few
queries for many rows, with the same rules and history as the single writers."""

from collections import defaultdict
from collections.abc import Collection, Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from contacts.models import (
    CONTACT_PERSON_FIELDS,
    PERSON_NAME_FIELDS,
    Contact,
    ContactDetail,
    ContactRole,
    Person,
)
from contacts.services.card import Card, save_cards
from contacts.services.duplicates import possible_duplicates_refresh
from contacts.services.links import (
    PRIMARY_TAKEN_MESSAGE,
    lock_contacts,
    record_roles_in_history,
    replace_roles,
)
from customers.services import lock_customers


def primaries_check(
    contacts: Sequence[tuple[Contact, Collection[ContactRole] | None]],
) -> None:
    """Set each contact's Primary flag from the roles it is to have (None: as they
    are), refusing a second Primary of a customer, whether held already or given by
    another contact of the batch, as `primary_allowed` does for one contact."""
    given = {
        contact.customer_id: contact
        for contact, roles in contacts
        if roles is not None and any(r.code == ContactRole.PRIMARY for r in roles)
    }
    changed = {contact.pk for contact, roles in contacts if roles is not None}
    for contact, roles in contacts:
        if roles is not None:
            contact.is_primary = given.get(contact.customer_id) is contact
    if not given:
        return
    holders = {
        holder.customer_id: holder
        for holder in Contact.objects.filter(
            customer_id__in=given, is_primary=True
        ).exclude(pk__in=[pk for pk in changed if pk is not None])
    }
    for contact, roles in contacts:
        if roles is None:
            continue
        holder = holders.get(contact.customer_id)
        if contact.is_primary and holder is not None:
            raise ValidationError(
                {"roles": PRIMARY_TAKEN_MESSAGE % {"name": holder.full_name}}
            )
    for contact, roles in contacts:
        if roles is None or contact.is_primary:
            continue
        if any(r.code == ContactRole.PRIMARY for r in roles):
            holder = given[contact.customer_id]
            raise ValidationError(
                {"roles": PRIMARY_TAKEN_MESSAGE % {"name": holder.full_name}}
            )


@transaction.atomic
def contacts_bulk_create(
    *,
    contacts: Sequence[tuple[Contact, Collection[ContactRole]]],
    batch_size: int = 1000,
    refresh_duplicates: bool = True,
) -> list[Contact]:
    """Create many contacts, each with its roles, in a few queries: the write path
    of imports. A contact without a person gets a new person with its name and
    language; one given a person (`person_id`) links that person to its customer,
    and a name or language it gives that differs from the person's becomes the
    person's and their other links' (`persons_follow`). Returns the contacts
    written: those created, then the person's other links that took a new name.

    Each contact must have passed `full_clean()` already (the importer cleans row by
    row, to report a refused row at its line). Every contact gets its "created"
    history record with no user ("system"), and that record lists the roles the
    contact was created with, as the history of `contact_create` does. The caller
    holds the locks of the contacts' customers and of the customers of the given
    persons' other links (`customers_of_persons`), in key order.

    An import passes `refresh_duplicates=False` and refreshes the possible
    duplicates once, after its last batch (`possible_duplicates_refresh_after_import`).
    """
    if not contacts:
        return []
    primaries_check(contacts)
    unlinked = [contact for contact, _roles in contacts if contact.person_id is None]
    linked = [contact for contact, _roles in contacts if contact.person_id is not None]
    # Each of those a new person, with the name and language of the row.
    persons = bulk_create_with_history(
        [
            Person(**{name: getattr(contact, name) for name in PERSON_NAME_FIELDS})
            for contact in unlinked
        ],
        Person,
        batch_size=batch_size,
    )
    for contact, person in zip(unlinked, persons, strict=True):
        contact.person = person
    created = bulk_create_with_history(
        [contact for contact, _roles in contacts], Contact, batch_size=batch_size
    )
    through = Contact.roles.through
    links = through.objects.bulk_create(
        [
            through(contact_id=contact.pk, contactrole_id=role.pk)
            for contact, roles in contacts
            for role in roles
        ],
        batch_size=batch_size,
    )
    roles_of: dict[int, dict[int, int]] = defaultdict(dict)
    for link in links:
        roles_of[link.contact_id][link.contactrole_id] = link.pk
    record_roles_in_history(roles_of, history_type="+", batch_size=batch_size)
    followers = persons_follow(linked, batch_size=batch_size) if linked else []
    written = [*created, *followers]
    if not refresh_duplicates:
        return written
    customer_ids = {contact.customer_id for contact in written}
    lock_customers(customer_ids)  # the order of the writers of one customer
    possible_duplicates_refresh(
        customer_ids=customer_ids, changed=[contact.pk for contact in written]
    )
    return written


def customers_of_persons(
    person_ids: Collection[int] | QuerySet, *, but: Collection[int] = ()
) -> set[int]:
    """The customers the persons are contacts of, but those in `but`: what a writer
    that may rename the persons locks too, with its own customers, before anything
    else (the product's lock order). `person_ids` may be a query of them."""
    if not isinstance(person_ids, QuerySet) and not person_ids:
        return set()
    return set(
        Contact.objects.filter(person_id__in=person_ids)
        .exclude(customer_id__in=but)
        .order_by()
        .values_list("customer_id", flat=True)
        .distinct()
    )


def persons_follow(links: Sequence[Contact], *, batch_size: int) -> list[Contact]:
    """Each link's person takes the link's name and language where they differ, and
    so do the person's other links: the bulk form of `links.person_follows`, with a
    "changed" history record (no user) for each person and each other link, so the
    rename shows in every linked customer's Activity Log. Returns the other links
    changed. The caller holds their customers' locks (`customers_of_persons`)."""
    persons = Person.objects.select_for_update(no_key=True).in_bulk(
        {link.person_id for link in links}
    )
    renamed: dict[int, Person] = {}
    for link in links:
        person = persons[link.person_id]
        if any(getattr(person, n) != getattr(link, n) for n in PERSON_NAME_FIELDS):
            for name in PERSON_NAME_FIELDS:
                setattr(person, name, getattr(link, name))
            renamed[person.pk] = person
    if not renamed:
        return []
    now = timezone.now()
    for person in renamed.values():
        person.updated_at = now
    bulk_update_with_history(
        list(renamed.values()),
        Person,
        fields=[*PERSON_NAME_FIELDS, "updated_at"],
        batch_size=batch_size,
        default_date=now,
    )
    followers = []
    for other in Contact.objects.filter(person_id__in=renamed).exclude(
        pk__in=[link.pk for link in links]
    ):
        person = renamed[other.person_id]
        if all(getattr(other, n) == getattr(person, n) for n in PERSON_NAME_FIELDS):
            continue
        for name in PERSON_NAME_FIELDS:
            setattr(other, name, getattr(person, name))
        other.updated_at = now
        followers.append(other)
    if not followers:
        return []
    bulk_update_with_history(
        followers,
        Contact,
        fields=[*PERSON_NAME_FIELDS, "updated_at"],
        batch_size=batch_size,
        default_date=now,
    )
    # Their roles as they are, on their new history records.
    roles_of = replace_roles(followers, wanted={}, batch_size=batch_size)
    record_roles_in_history(roles_of, history_type="~", batch_size=batch_size)
    return followers


@transaction.atomic
def contact_details_bulk_create(
    *, details: Sequence[ContactDetail], batch_size: int = 1000
) -> list[ContactDetail]:
    """Add many details to their customers' cards in a few queries: the write path
    of imports.

    Each detail must have passed `full_clean()` already. The primary rule applies as
    for `contact_detail_create`, in the order given: a detail becomes primary when its
    customer has no detail of its kind yet, so the first of a kind is primary and an
    existing primary stays. Every detail gets its "created" history record with no
    user ("system").
    """
    if not details:
        return []
    customers = lock_customers({detail.customer_id for detail in details})
    cards = Card.load(customers.values())
    for detail in details:
        cards[detail.customer_id].details.append(detail)
    save_cards(cards.values(), batch_size=batch_size)
    return list(details)


@transaction.atomic
def contacts_bulk_update(
    *,
    contacts: Sequence[tuple[Contact, Collection[ContactRole] | None]],
    batch_size: int = 1000,
    refresh_duplicates: bool = True,
) -> list[Contact]:
    """Save changed contacts, and the roles given (None: roles left as they are),
    in a few queries: the write path of `import_contacts --update`. A new name or
    language becomes the person's and their other links' (`persons_follow`).
    Returns the contacts written: those given, then the other links renamed.

    Each contact must have passed `full_clean()` already. As every writer of
    contacts, it locks their customers (with the customers of their persons' other
    links, which a rename writes), then the contacts (one deleted or merged
    meanwhile is refused), and refreshes their possible duplicates. Every contact
    gets its "changed" history record with no user ("system"), and that record lists
    the contact's roles after the change, as simple-history does for
    `contact_update`, so the Activity Log shows a role change as one.
    """
    if not contacts:
        return []
    objects = [contact for contact, _roles in contacts]
    customer_ids = {contact.customer_id for contact in objects}
    lock_customers(
        customer_ids
        | customers_of_persons(
            {contact.person_id for contact in objects}, but=customer_ids
        )
    )
    stored = lock_contacts(objects)
    primaries_check(contacts)
    now = timezone.now()
    for contact in objects:
        contact.updated_at = now
    bulk_update_with_history(
        objects,
        Contact,
        fields=[*CONTACT_PERSON_FIELDS, "is_primary", "updated_at"],
        batch_size=batch_size,
        default_date=now,
    )
    wanted = {
        contact.pk: {role.pk for role in roles}
        for contact, roles in contacts
        if roles is not None
    }
    roles_after = replace_roles(objects, wanted=wanted, batch_size=batch_size)
    record_roles_in_history(roles_after, history_type="~", batch_size=batch_size)
    renamed = [
        contact
        for contact in objects
        if any(
            getattr(contact, n) != getattr(stored[contact.pk], n)
            for n in PERSON_NAME_FIELDS
        )
    ]
    followers = persons_follow(renamed, batch_size=batch_size) if renamed else []
    written = [*objects, *followers]
    if refresh_duplicates:
        possible_duplicates_refresh(
            customer_ids={contact.customer_id for contact in written},
            changed=[contact.pk for contact in written],
        )
    return written


@transaction.atomic
def contact_details_bulk_update(
    *, details: Sequence[ContactDetail], batch_size: int = 1000
) -> None:
    """Save a new value or description of many stored details in a few queries: the
    write path of `import_contact_details --update`. Their kind and primary flag stay
    as they are; like every writer of details, it locks the customers, stores their
    cards through the primary rule and raises the cards' versions.

    Each detail must have passed `full_clean()` already. Every changed detail gets
    its "changed" history record with no user ("system").
    """
    if not details:
        return
    customers = lock_customers({detail.customer_id for detail in details})
    cards = Card.load(customers.values())
    for detail in details:
        stored = cards[detail.customer_id].get(detail.pk)
        if stored is None:
            raise ContactDetail.DoesNotExist("The contact detail no longer exists.")
        stored.value, stored.description = detail.value, detail.description
    save_cards(cards.values(), batch_size=batch_size)
