"""Sales orders, invoices and shipments of a customer.

A document keeps a copy (snapshot) of its assigned contact's name, email and phone,
taken when the contact is assigned, so a later change or deletion of the contact leaves
the document as it was.
"""

from django.contrib.contenttypes.fields import GenericRelation
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from contacts.models import Contact, ContactRole
from core.history import tracked_history
from core.models import TimeStampedModel
from core.money import default_currency, format_amount, validate_currency_code
from customers.models import Customer


class SalesDocument(TimeStampedModel):
    """What the three kinds share. Each kind says, as class attributes, how it is
    numbered, which contact role it notifies, and where its pages live."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SENT = "sent", _("Sent")
        CANCELLED = "cancelled", _("Cancelled")

    # Set by each kind.
    KIND = ""  # URL names: "<KIND>_list", "<KIND>_detail", …
    NUMBER_PREFIX = ""
    ROLE_CODE = ""
    NOTIFICATION = ""  # what a sending is called: "Invoice", "Shipment notice"

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    # PROTECT: orders, invoices and shipments are business records that must be kept;
    # a customer with documents cannot be deleted (mark it inactive instead).
    customer = models.ForeignKey(
        Customer,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
        verbose_name=_("customer"),
    )
    date = models.DateField(_("date"), default=timezone.localdate)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # SET_NULL: deleting a contact leaves the document and its snapshot as they were.
    contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="%(class)ss",
        verbose_name=_("contact"),
    )
    # The snapshot, copied from the contact by sales.services when it is assigned.
    contact_name = models.CharField(
        _("contact's name"), max_length=201, blank=True, editable=False
    )
    contact_email = models.CharField(
        _("contact's email address"), max_length=254, blank=True, editable=False
    )
    contact_phone = models.CharField(
        _("contact's phone number"), max_length=32, blank=True, editable=False
    )
    # The emails of its notifications (communications.Delivery), deleted with it.
    deliveries = GenericRelation(
        "communications.Delivery",
        content_type_field="about_type",
        object_id_field="about_id",
        related_query_name="%(class)s",
    )

    class Meta:
        abstract = True
        ordering = ["-date", "-number"]

    def __str__(self) -> str:
        return f"{self._meta.verbose_name.capitalize()} {self.number}"

    def get_absolute_url(self) -> str:
        return self._url("detail")

    def get_update_url(self) -> str:
        return self._url("update")

    def get_send_url(self) -> str:
        return self._url("send")

    def _url(self, page: str) -> str:
        return reverse(
            f"sales:{self.KIND}_{page}",
            kwargs={"customer_pk": self.customer_id, "pk": self.pk},
        )

    def clean(self):
        if (
            self.contact_id is not None
            and self.customer_id is not None
            and self.contact.customer_id != self.customer_id
        ):
            raise ValidationError(
                {
                    "contact": ValidationError(
                        _("Choose a contact of this customer."),
                        code="other_customer",
                    )
                }
            )

    @property
    def contact_was_deleted(self) -> bool:
        """A contact was assigned, and has since been deleted."""
        return self.contact_id is None and bool(self.contact_name)


class AmountDocument(SalesDocument):
    """A document with an amount to pay: sales orders and invoices."""

    amount = models.DecimalField(
        _("amount"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    currency = models.CharField(
        _("currency"),
        max_length=3,
        default=default_currency,
        validators=[validate_currency_code],
    )

    class Meta(SalesDocument.Meta):
        abstract = True

    @property
    def amount_display(self) -> str:
        """`€1,250.00`: the amount with its currency, the active language's way."""
        return format_amount(self.amount, self.currency)


class SalesOrder(AmountDocument):
    KIND = "order"
    NUMBER_PREFIX = "SO"
    ROLE_CODE = ContactRole.ORDER
    NOTIFICATION = _("Order confirmation")

    history = tracked_history(customer_field="customer")

    class Meta(AmountDocument.Meta):
        verbose_name = _("sales order")
        verbose_name_plural = _("sales orders")
        permissions = [("send_salesorder", "Can send sales order")]


class Invoice(AmountDocument):
    KIND = "invoice"
    NUMBER_PREFIX = "INV"
    ROLE_CODE = ContactRole.INVOICE
    NOTIFICATION = pgettext_lazy("notification", "Invoice")

    history = tracked_history(customer_field="customer")

    class Meta(AmountDocument.Meta):
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        permissions = [("send_invoice", "Can send invoice")]


class Shipment(SalesDocument):
    KIND = "shipment"
    NUMBER_PREFIX = "SH"
    ROLE_CODE = ContactRole.SHIPMENT
    NOTIFICATION = _("Shipment notice")

    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_code = models.CharField(_("tracking code"), max_length=100, blank=True)

    history = tracked_history(customer_field="customer")

    class Meta(SalesDocument.Meta):
        verbose_name = _("shipment")
        verbose_name_plural = _("shipments")
        permissions = [("send_shipment", "Can send shipment")]


DOCUMENT_KINDS: tuple[type[SalesDocument], ...] = (SalesOrder, Invoice, Shipment)
