"""What the outbox tells the contact pages and `check_contacts` about addresses
(registered into contacts.marks from CommunicationsConfig.ready())."""

from collections.abc import Iterator

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext

from communications.models import Suppression
from communications.selectors import standing_suppressions
from contacts.marks import EmailMark
from contacts.models import Contact, ContactDetail


def suppression_detail(suppression: Suppression) -> str:
    """`Hard bounce on 3 Mar 2026: 550 5.1.1 user unknown`."""
    when = formats.date_format(
        timezone.localtime(suppression.created_at), "DATE_FORMAT"
    )
    text = gettext("%(reason)s on %(date)s") % {
        "reason": suppression.get_reason_display(),
        "date": when,
    }
    if suppression.detail:
        text += f": {suppression.detail}"
    return text


def suppression_marks(addresses, *, customer=None, user=None) -> dict[str, EmailMark]:
    marks = {}
    may_lift = (
        customer is not None
        and user is not None
        and user.has_perm("communications.lift_suppression")
    )
    for address, suppression in standing_suppressions(addresses=addresses).items():
        url = ""
        if may_lift:
            url = reverse(
                "communications:suppression_lift",
                kwargs={"customer_pk": customer.pk, "pk": suppression.pk},
            )
        marks[address] = EmailMark(
            label=gettext("Suppressed"),
            detail=gettext("Nothing is sent to this address: %(why)s.")
            % {"why": suppression_detail(suppression)},
            action_url=url,
            action_label=gettext("Lift suppression") if url else "",
        )
    return marks


def suppressed_addresses_in_use() -> Iterator[str]:
    """Contacts and contact-card details whose address is suppressed, by customer
    number: two queries, streamed."""
    reason = Subquery(
        Suppression.objects.filter(
            email=OuterRef("address"), lifted_at__isnull=True
        ).values("reason")[:1]
    )
    reasons = dict(Suppression.Reason.choices)
    contacts = (
        Contact.objects.annotate(address=Lower("email"))
        .annotate(why=reason)
        .filter(why__isnull=False)
        .order_by("customer__number", "pk")
        .values_list("customer__number", "first_name", "last_name", "address", "why")
    )
    for number, first_name, last_name, address, why in contacts.iterator(2000):
        name = " ".join(part for part in (first_name, last_name) if part)
        yield f"{number} contact {name}: {address} ({reasons[why]})"
    details = (
        ContactDetail.objects.filter(kind=ContactDetail.Kind.EMAIL)
        .annotate(address=Lower("value"))
        .annotate(why=reason)
        .filter(why__isnull=False)
        .order_by("customer__number", "pk")
        .values_list("customer__number", "address", "why")
    )
    for number, address, why in details.iterator(2000):
        yield f"{number} Email Address: {address} ({reasons[why]})"
