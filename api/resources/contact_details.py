"""The contact card's details: each customer's emails, telephones, mobiles and
websites. Written through the card's services, so the values are read as the
pages read them (phone numbers in E.164 with the billing country) and the primary
rule holds: the first detail of a kind is its primary, the oldest takes over when
the primary goes; a client never chooses a primary."""

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from api.resources.base import (
    CreateMixin,
    DestroyMixin,
    Resource,
    UpdateMixin,
    keep_customer,
    key_field,
)
from api.serializers import PhoneField
from contacts import selectors
from contacts.models import ContactDetail
from contacts.services.card import (
    contact_detail_create,
    contact_detail_delete,
    contact_detail_update,
)
from core.phones import format_phone_number
from customers.models import Customer
from customers.services import lock_customers
from search.selectors import details_matching, details_with_email


class ContactDetailSerializer(serializers.ModelSerializer):
    """One detail of a customer's contact card."""

    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.all(),
        help_text=_("The customer whose card it is on; it cannot move to another."),
    )
    display_value = serializers.CharField(
        read_only=True,
        help_text=_("As people read it: a phone number in international format."),
    )
    is_primary = serializers.BooleanField(
        read_only=True,
        help_text=_(
            "The primary of its kind, which communications use: set by the rules, "
            "never by a client."
        ),
    )

    class Meta:
        model = ContactDetail
        fields = [
            "id",
            "customer",
            "kind",
            "value",
            "display_value",
            "description",
            "is_primary",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "value": {
                "help_text": _(
                    "As stored: an email normalised, a phone number in E.164, a "
                    "website with its scheme."
                )
            }
        }


class WarningSerializer(serializers.Serializer):
    """Something saved that a person may want to check."""

    code = serializers.CharField()
    message = serializers.CharField()


class ContactDetailWrittenSerializer(ContactDetailSerializer):
    """The detail as written, with what is worth a look."""

    warnings = WarningSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "Saved, but worth a look: the value is on another customer's card, or "
            "a number is of the other kind (a mobile number as Telephone)."
        ),
    )

    class Meta(ContactDetailSerializer.Meta):
        fields = [*ContactDetailSerializer.Meta.fields, "warnings"]


class ContactDetailFilters(serializers.Serializer):
    customer = key_field()
    kind = serializers.ChoiceField(choices=ContactDetail.Kind.choices, required=False)
    email = serializers.CharField(
        required=False, max_length=254, help_text=_("Email details with this address.")
    )
    phone = PhoneField(
        required=False,
        help_text=_(
            "Telephone and mobile details with this number, typed in any format."
        ),
    )


@extend_schema_view(
    list=extend_schema(
        summary=_("List contact details"), parameters=[ContactDetailFilters]
    ),
    retrieve=extend_schema(summary=_("Read a contact detail")),
    create=extend_schema(
        summary=_("Add a contact detail"),
        responses={201: ContactDetailWrittenSerializer},
    ),
    partial_update=extend_schema(
        summary=_("Change a contact detail"),
        responses={200: ContactDetailWrittenSerializer},
    ),
    destroy=extend_schema(summary=_("Remove a contact detail")),
)
class ContactDetailResource(CreateMixin, UpdateMixin, DestroyMixin, Resource):
    """The details of the customers' contact cards, written as the card's editing
    window writes them: phone numbers read with the billing country, the primary
    of each kind kept by the rules."""

    serializer_class = ContactDetailSerializer
    filter_serializer_class = ContactDetailFilters
    queryset = ContactDetail.objects.order_by("pk")
    # The Contact card on the Overview, and its editing window for writes.
    permissions = {
        "read": ("customers.view_customer", "contacts.view_contactdetail"),
        "create": ("contacts.update_customer_contact_details",),
        "partial_update": ("contacts.update_customer_contact_details",),
        "destroy": ("contacts.update_customer_contact_details",),
    }
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def filter_list(self, queryset, filters):
        if "customer" in filters:
            queryset = queryset.filter(customer_id=filters["customer"])
        if "kind" in filters:
            queryset = queryset.filter(kind=filters["kind"])
        if "email" in filters:
            queryset = queryset.filter(details_with_email(filters["email"]))
        if "phone" in filters:
            queryset = queryset.filter(details_matching("", filters["phone"]))
        return queryset

    def lock(self, instance):
        # The card's writers lock its customer first.
        lock_customers([instance.customer_id])
        return self._stored(instance)

    def create_object(self, data):
        customer = data.pop("customer")
        shared = self._shared(customer, data)
        detail = contact_detail_create(customer=customer, **data)
        return detail, {"warnings": self._warnings(detail, shared)}

    def update_object(self, detail, data):
        keep_customer(
            detail, data, gettext("A contact detail cannot move to another customer.")
        )
        shared = self._shared(
            detail.customer,
            {"kind": data.get("kind", detail.kind), **data},
        )
        detail = contact_detail_update(detail=detail, data=data)
        return detail, {"warnings": self._warnings(detail, shared)}

    def delete_object(self, detail):
        contact_detail_delete(detail=detail)

    @staticmethod
    def _shared(customer, data):
        """Another customer's card with the value: asked before the write, as the
        editing window asks."""
        if "value" not in data:
            return []
        return selectors.details_on_other_cards(
            customer=customer, rows=[(data["kind"], data["value"])]
        )

    @staticmethod
    def _warnings(detail, shared) -> list[dict]:
        warnings = [
            {
                "code": "shared_detail",
                "message": gettext(
                    "%(kind)s %(value)s is on the card of %(customer)s already: "
                    "check that this is not the same customer."
                )
                % {
                    "kind": item.detail.get_kind_display(),
                    "value": format_phone_number(item.value)
                    if item.detail.kind in ContactDetail.PHONE_KINDS
                    else item.value,
                    "customer": item.detail.customer,
                },
            }
            for item in shared
        ]
        if type_warning := detail.type_warning():
            warnings.append({"code": "phone_type", "message": type_warning})
        return warnings
