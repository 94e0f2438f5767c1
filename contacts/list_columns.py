"""The contact card's primary email and phone as columns of the customer list
(customers.list_columns): contacts plugs them in, customers does not import contacts."""

from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from contacts.models import ContactDetail
from core.templatetags.formatting import email_link, phone_link
from customers.list_columns import ListColumn, register_customer_list_column

VIEW_DETAILS = "contacts.view_contactdetail"


def _primary(kind: str) -> Subquery:
    """The customer's primary detail of this kind: one row of the unique index
    (customer, kind) WHERE is_primary."""
    return Subquery(
        ContactDetail.objects.filter(
            customer=OuterRef("pk"), kind=kind, is_primary=True
        )
        # Without ContactDetail's default ordering, which joins customers to sort.
        .order_by()
        .values("value")[:1]
    )


def register_customer_list_columns() -> None:
    register_customer_list_column(
        ListColumn(
            key="primary_email",
            label=_("Email"),
            annotation=lambda: _primary(ContactDetail.Kind.EMAIL),
            display=email_link,
            permission=VIEW_DETAILS,
        )
    )
    register_customer_list_column(
        ListColumn(
            key="primary_phone",
            label=_("Phone"),
            # The telephone, else the mobile phone.
            annotation=lambda: Coalesce(
                _primary(ContactDetail.Kind.TELEPHONE),
                _primary(ContactDetail.Kind.MOBILE),
            ),
            display=phone_link,
            permission=VIEW_DETAILS,
        )
    )
