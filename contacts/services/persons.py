"""Linking two persons as one: the same person held twice, as contacts of different
customers, becomes one person with all their links."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from contacts.models import PERSON_NAME_FIELDS, Contact, Person, PossibleDuplicate
from contacts.services.duplicates import possible_duplicates_refresh
from contacts.services.links import lock_contacts
from customers.models import Customer
from customers.services import lock_customers

PERSONS_CHANGED_MESSAGE = _(
    "One of the two persons changed meanwhile (a contact of theirs was added, "
    "removed or linked), so nothing was linked. Look at the pair again."
)
PERSON_GONE_MESSAGE = _(
    "One of the two persons no longer exists (their last contact was removed, or "
    "they were linked already), so nothing was linked."
)
SHARED_CUSTOMER_MESSAGE = _(
    "%(keep)s and %(join)s are both contacts of %(customer)s: merge those two "
    "contacts first, then link them as one person."
)


def join_summary(*, keep: Person, join: Person) -> str:
    """What the link did, as the Activity Log stores it: in English, whatever the
    language of the user (contacts.views says it in the user's)."""
    return f"Linked {join.full_name} and {keep.full_name} as one person"


@transaction.atomic
def persons_join(*, keep: Person, join: Person, user: Any = None) -> Person:
    """Make `join` and `keep` one person, `keep`: every contact (link) of `join`
    becomes `keep`'s, with its own roles, work email and phone, and takes keep's
    name and language; keep's own email and phone, when empty, take join's; `join`
    is deleted. Documents keep pointing at the same contacts, with their snapshots.

    Refused when both are contacts of one customer (a person has one link per
    customer): those two contacts are merged first. Each link's customer records
    the change in its Activity Log. Locks the customers of every link of both, in
    key order, then the links, then the two persons (docs/architecture.md)."""
    if keep.pk == join.pk:
        raise ValidationError(_("A person cannot be linked with themselves."))
    both = [keep.pk, join.pk]
    customer_ids = set(
        Contact.objects.filter(person_id__in=both).values_list("customer_id", flat=True)
    )
    try:
        lock_customers(customer_ids)
    except Customer.DoesNotExist as gone:
        raise ValidationError(PERSONS_CHANGED_MESSAGE, code="changed") from gone
    links = list(Contact.objects.filter(person_id__in=both).order_by("pk"))
    if {link.customer_id for link in links} != customer_ids:
        # A link added, moved or removed between the read and the lock.
        raise ValidationError(PERSONS_CHANGED_MESSAGE, code="changed")
    links = list(lock_contacts(links).values())
    persons = {
        person.pk: person
        for person in Person.objects.select_for_update()
        .filter(pk__in=both)
        .order_by("pk")
    }
    if len(persons) < 2:
        raise ValidationError(PERSON_GONE_MESSAGE, code="gone")
    keep, join = persons[keep.pk], persons[join.pk]
    kept = [link for link in links if link.person_id == keep.pk]
    moved = [link for link in links if link.person_id == join.pk]
    shared = {link.customer_id for link in kept} & {link.customer_id for link in moved}
    if shared:
        customer = next(link.customer for link in moved if link.customer_id in shared)
        raise ValidationError(
            SHARED_CUSTOMER_MESSAGE,
            code="shared_customer",
            params={
                "keep": keep.full_name,
                "join": join.full_name,
                "customer": customer.name,
            },
        )
    summary = f"{join_summary(keep=keep, join=join)}."
    for name in ("personal_email", "personal_phone"):
        if not getattr(keep, name) and getattr(join, name):
            setattr(keep, name, getattr(join, name))
    keep.full_clean()
    keep._change_reason = summary
    join._change_reason = summary
    if user is not None:
        keep._history_user = join._history_user = user
    keep.save()
    for link in links:
        # A record on every link, so each customer's Activity Log tells it.
        link.person = keep
        for name in PERSON_NAME_FIELDS:
            setattr(link, name, getattr(keep, name))
        link._change_reason = summary
        if user is not None:
            link._history_user = user
        link.save(update_fields=["person", *PERSON_NAME_FIELDS, "updated_at"])
    join.delete()
    # The pairs between the links are of one person now.
    link_ids = [link.pk for link in links]
    PossibleDuplicate.objects.filter(
        Q(contact_a__in=link_ids) & Q(contact_b__in=link_ids)
    ).delete()
    # A new name at join's customers: their pairs by name change.
    possible_duplicates_refresh(
        customer_ids=customer_ids, changed=[link.pk for link in moved]
    )
    return keep
