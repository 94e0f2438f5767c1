from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from core.db import trigram_index
from core.history import tracked_history
from core.models import TimeStampedModel

ONE_BILLING_ADDRESS_CODE = "one_billing_address"


class Customer(TimeStampedModel):
    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True, max_length=5000)
    # The billing address's city and country, for the list's sorts (an index cannot
    # span two tables). Written by the database alone: triggers on addresses (and on
    # customers, against a stale copy saved back) keep them equal to the billing
    # address (migration 0006). NULL, not "", without one: NULL sorts after Z, so
    # customers without a billing address end the list sorted by city.
    billing_city = models.CharField(max_length=100, null=True, editable=False)  # noqa: DJ001
    billing_country = models.CharField(max_length=2, null=True, editable=False)  # noqa: DJ001

    # The copies are not the customer's own changes: not in its history.
    history = tracked_history(
        customer_field="id", excluded_fields=["billing_city", "billing_country"]
    )

    class Meta:
        verbose_name = _("customer")
        verbose_name_plural = _("customers")
        ordering = ["name", "number"]
        indexes = [
            # The list's orders (and their reverses), so a page is read from an index;
            # with the id, the page's ids are read from the index alone (an
            # index-only scan), not from the table row by row.
            models.Index(fields=["name", "number", "id"], name="customer_list_order"),
            models.Index(
                fields=["billing_city", "name", "number", "id"],
                name="customer_list_city",
            ),
            models.Index(
                fields=["billing_country", "name", "number", "id"],
                name="customer_list_country",
            ),
            # PostgreSQL only (core.db): the search by any part of a name or number.
            trigram_index("name", name="customer_name_trgm"),
            trigram_index("number", name="customer_number_trgm"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.number})" if self.number else self.name

    def get_absolute_url(self) -> str:
        return reverse("customers:detail", kwargs={"pk": self.pk})


class Address(TimeStampedModel):
    class Kind(models.TextChoices):
        # The kind as a choice and in a change ("Type: Billing → Shipping"); in Dutch
        # the whole word, "Factuuradres". The address's title is `kind_title`.
        BILLING = "billing", pgettext_lazy("address type", "Billing")
        SHIPPING = "shipping", pgettext_lazy("address type", "Shipping")

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="addresses",
        verbose_name=_("customer"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    street_line_1 = models.CharField(_("street"), max_length=200)
    street_line_2 = models.CharField(_("street (line 2)"), max_length=200, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100)
    region = models.CharField(_("region"), max_length=100, blank=True)
    country = CountryField(_("country"))

    history = tracked_history(customer_field="customer")

    class Meta:
        # customer_id, not customer: "customer" would follow Customer's ordering and
        # join every address query to customers to sort by name.
        ordering = ["customer_id", "kind", "city", "pk"]
        verbose_name = _("address")
        verbose_name_plural = _("addresses")
        indexes = [
            # PostgreSQL only (core.db): the search by any part of a city.
            trigram_index("city", name="address_city_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(kind="billing"),
                name="customers_address_one_billing_per_customer",
                violation_error_message=_(
                    "This customer already has a billing address."
                ),
                violation_error_code=ONE_BILLING_ADDRESS_CODE,
            )
        ]

    def __str__(self) -> str:
        parts = [self.street_line_1, f"{self.postal_code} {self.city}".strip()]
        return ", ".join(part for part in parts + [self.country.name] if part)

    @staticmethod
    def title_of_kind(kind: str) -> str:
        """ "Billing address", "Shipping address": an address's title by its kind
        (also for a historical record's kind, in the Activity Log)."""
        titles = {
            Address.Kind.BILLING: _("Billing address"),
            Address.Kind.SHIPPING: _("Shipping address"),
        }
        return str(titles.get(kind, _("Address")))

    @property
    def kind_title(self) -> str:
        return self.title_of_kind(self.kind)

    def get_absolute_url(self) -> str:
        return reverse("customers:addresses", kwargs={"customer_pk": self.customer_id})

    def validate_constraints(self, exclude=None):
        # The one-billing-address rule depends on `kind`: report it at that field
        # instead of as an error of the whole form.
        try:
            super().validate_constraints(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict({})
            general = errors.pop(NON_FIELD_ERRORS, [])
            for item in general:
                field = (
                    "kind"
                    if item.code == ONE_BILLING_ADDRESS_CODE
                    else NON_FIELD_ERRORS
                )
                errors.setdefault(field, []).append(item)
            raise ValidationError(errors) from error

    def lines(self) -> list[str]:
        """The address as it is written on an envelope."""
        locality = " ".join(p for p in [self.postal_code, self.city] if p)
        return [
            line
            for line in [
                self.street_line_1,
                self.street_line_2,
                locality,
                self.region,
                self.country.name,
            ]
            if line
        ]
