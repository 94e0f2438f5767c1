"""Customers, each with its billing address (for those who may view addresses) and
its contact card (for those who may view contact details), as the Overview shows
them."""

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from api.errors import prefixed
from api.resources.base import CreateMixin, Resource, UpdateMixin
from api.resources.contact_details import ContactDetailSerializer
from api.serializers import PermissionFieldsSerializer, PhoneField
from contacts.models import Contact, ContactDetail
from customers import services
from customers.models import Address, Customer
from customers.selectors import customer_list
from search.selectors import (
    contacts_matching,
    contacts_with_email,
    details_matching,
    details_with_email,
)

VIEW_ADDRESS = "customers.view_address"
VIEW_CARD = "contacts.view_contactdetail"
VIEW_CONTACT = "contacts.view_contact"


class BillingAddressSerializer(serializers.ModelSerializer):
    """The customer's billing address."""

    class Meta:
        model = Address
        fields = [
            "street_line_1",
            "street_line_2",
            "postal_code",
            "city",
            "region",
            "country",
        ]

    def get_attribute(self, instance):
        # The billing address the resource prefetched (`billing_addresses`).
        addresses = getattr(instance, "billing_addresses", None)
        return addresses[0] if addresses else None


class CustomerSerializer(PermissionFieldsSerializer, serializers.ModelSerializer):
    """A customer, as its Overview shows it."""

    billing_address = BillingAddressSerializer(
        allow_null=True,
        required=False,
        help_text=_(
            "Shown to users who may view addresses. Phone numbers are read in its "
            "country. null removes it."
        ),
    )
    contact_card = ContactDetailSerializer(
        many=True,
        read_only=True,
        help_text=_("The contact card's details: shown to users who may view them."),
    )

    class Meta:
        model = Customer
        fields = [
            "id",
            "number",
            "name",
            "is_active",
            "notes",
            "billing_address",
            "contact_card",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["number", "created_at", "updated_at"]
        field_permissions = {
            "billing_address": VIEW_ADDRESS,
            "contact_card": VIEW_CARD,
        }


class CustomerFilters(serializers.Serializer):
    search = serializers.CharField(
        required=False,
        max_length=200,
        help_text=_("Customers whose name, number or an address's city holds this."),
    )
    number = serializers.CharField(required=False, max_length=20)
    is_active = serializers.BooleanField(required=False, allow_null=True, default=None)
    email = serializers.CharField(
        required=False,
        max_length=254,
        help_text=_(
            "Customers with this email address on their contact card or, for users "
            "who may view contacts, a contact person with it."
        ),
    )
    phone = PhoneField(
        required=False,
        help_text=_(
            "Customers with this phone number, typed in any format, on their "
            "contact card or, for users who may view contacts, a contact person "
            "with it. A national number is read in the billing addresses' "
            "countries."
        ),
    )


@extend_schema_view(
    list=extend_schema(summary=_("List customers"), parameters=[CustomerFilters]),
    retrieve=extend_schema(summary=_("Read a customer")),
    create=extend_schema(summary=_("Add a customer")),
    partial_update=extend_schema(summary=_("Change a customer")),
)
class CustomerResource(CreateMixin, UpdateMixin, Resource):
    """Customers, with the billing address and the contact card for users who may
    view those. Lookup by email or phone number as Find anyone does."""

    queryset = Customer.objects.all()
    serializer_class = CustomerSerializer
    filter_serializer_class = CustomerFilters
    permissions = {
        "read": ("customers.view_customer",),
        "create": ("customers.add_customer",),
        # Per field, below: the customer's own, or its billing address.
        "partial_update": (),
    }
    http_method_names = ["get", "post", "patch", "head", "options"]

    def visible(self, user):
        customers = Customer.objects.all()
        if user.has_perm(VIEW_ADDRESS):
            customers = customers.prefetch_related(
                Prefetch(
                    "addresses",
                    queryset=Address.objects.filter(kind=Address.Kind.BILLING),
                    to_attr="billing_addresses",
                )
            )
        if user.has_perm(VIEW_CARD):
            customers = customers.prefetch_related(
                Prefetch(
                    "contact_details",
                    queryset=ContactDetail.objects.order_by(
                        "kind", "-is_primary", "created_at", "pk"
                    ),
                    to_attr="contact_card",
                )
            )
        return customers

    def filter_list(self, queryset, filters):
        if filters.get("search") or filters.get("is_active") is not None:
            found = customer_list(
                search=filters.get("search", ""), active=filters.get("is_active")
            )
            queryset = queryset.filter(pk__in=found.order_by().values("pk"))
        if number := filters.get("number"):
            queryset = queryset.filter(number__iexact=number)
        user = self.request.user
        if "email" in filters:
            queryset = queryset.filter(
                self._has(
                    user,
                    details=details_with_email(filters["email"]),
                    contacts=contacts_with_email(filters["email"]),
                )
            )
        if "phone" in filters:
            numbers = filters["phone"]
            queryset = queryset.filter(
                self._has(
                    user,
                    details=details_matching("", numbers),
                    contacts=contacts_matching("", numbers),
                )
            )
        return queryset

    @staticmethod
    def _has(user, *, details: Q, contacts: Q) -> Q:
        """The customer's card has a matching detail or, for those who may see
        them, one of its contact persons matches; only what the user may see."""
        match = Q(pk__in=[])
        if user.has_perm(VIEW_CARD):
            match |= Q(
                Exists(ContactDetail.objects.filter(details, customer=OuterRef("pk")))
            )
        if user.has_perm(VIEW_CONTACT):
            match |= Q(
                Exists(Contact.objects.filter(contacts, customer=OuterRef("pk")))
            )
        return match

    def create_object(self, data):
        address = data.pop("billing_address", None)
        self._check_may(add_address=address is not None)
        customer = services.customer_create(**data)
        if address is not None:
            self._address_write(customer, None, address)
        return customer, None

    def update_object(self, customer, data):
        address_given = "billing_address" in data
        address = data.pop("billing_address", None)
        # Read only for users who may view addresses (else it cannot be given).
        billing = getattr(customer, "billing_addresses", [])
        current = billing[0] if billing else None
        self._check_may(
            change_customer=bool(data),
            add_address=address_given and address is not None and current is None,
            change_address=address_given and address is not None and current,
            delete_address=address_given and address is None and current,
        )
        if data:
            customer = services.customer_update(customer=customer, data=data)
        if address_given:
            self._address_write(customer, current, address)
        return customer, None

    def lock(self, instance):
        # The customer's row, then its billing address's (an address's writers
        # lock it alone): the ETag covers both.
        Customer.objects.select_for_update().filter(pk=instance.pk).first()
        Address.objects.select_for_update().filter(
            customer=instance, kind=Address.Kind.BILLING
        ).first()
        return self._stored(instance)

    def _check_may(self, **actions) -> None:
        """The permission of each write the request makes, as its page checks."""
        for action, wanted in actions.items():
            if wanted and not self.request.user.has_perm(f"customers.{action}"):
                raise PermissionDenied()

    @staticmethod
    def _address_write(customer, current, fields) -> None:
        try:
            if fields is None:
                services.address_delete(address=current)
            elif current is None:
                services.address_create(
                    customer=customer, kind=Address.Kind.BILLING, **fields
                )
            else:
                services.address_update(address=current, data=fields)
        except ValidationError as error:
            raise prefixed(error, "billing_address") from error
