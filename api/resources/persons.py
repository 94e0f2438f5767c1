"""Persons: who someone is, once, whatever the customers they are a contact of
(their name, language, and their own email and phone), each with their links
(the contacts). A person is visible as on their page: to whoever may view
customers and contacts, while they are a contact of at least one customer.

A person comes into being with their first link (POST /contacts/) and goes with
their last (DELETE /contacts/{id}/): no create or delete here. A change goes
through `person_update`, so the name reaches every link, each a change in its
customer's Activity Log."""

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from api.resources.base import Resource, UpdateMixin, key_field
from api.serializers import PhoneField
from contacts.models import PERSON_PAGE_PERMISSIONS, Contact, ContactRole, Person
from contacts.services.links import person_update
from customers.services import lock_customers
from search.selectors import (
    contacts_matching,
    contacts_with_email,
    email_lookup,
)


class PersonLinkSerializer(serializers.ModelSerializer):
    """The person as a contact of one customer."""

    contact = serializers.IntegerField(
        source="pk", read_only=True, help_text=_("The contact (the link)'s id.")
    )
    customer = serializers.IntegerField(source="customer_id", read_only=True)
    roles = serializers.SlugRelatedField(
        slug_field="code",
        many=True,
        read_only=True,
        help_text=_("The codes of the person's roles at that customer."),
    )

    class Meta:
        model = Contact
        fields = ["contact", "customer", "roles", "is_active"]
        read_only_fields = fields


class PersonSerializer(serializers.ModelSerializer):
    """A person, with each customer they are a contact of."""

    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        allow_blank=True,
        help_text=_(
            "The language of the emails this person receives; blank: the "
            "organisation's."
        ),
    )
    links = PersonLinkSerializer(
        many=True,
        read_only=True,
        help_text=_("The person's contacts: one per customer, oldest first."),
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "first_name",
            "last_name",
            "language",
            "personal_email",
            "personal_phone",
            "links",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "personal_email": {"help_text": _("As stored: normalised.")},
            "personal_phone": {
                "help_text": _(
                    "As stored: in E.164. Give it with its country code (+31 6 "
                    "12345678): a person has no billing country to read it in."
                )
            },
        }


# What a PUT replaces: every field it leaves out becomes blank.
PUT_FIELDS = ("first_name", "last_name", "language", "personal_email", "personal_phone")


class PersonFilters(serializers.Serializer):
    customer = key_field(help_text=_("Persons who are a contact of this customer."))
    name = serializers.CharField(
        required=False,
        max_length=200,
        help_text=_("Persons whose first or last name holds each word."),
    )
    email = serializers.CharField(
        required=False,
        max_length=254,
        help_text=_(
            "Persons with this email address, their own or the work email of one "
            "of their contacts, however it is capitalised."
        ),
    )
    phone = PhoneField(
        required=False,
        help_text=_(
            "Persons with this phone number, typed in any format, their own or the "
            "work phone of one of their contacts. A national number is read in the "
            "billing addresses' countries."
        ),
    )


def linked(contacts: Q | None = None) -> Exists:
    """The person has a link (matching `contacts`)."""
    return Exists(Contact.objects.filter(contacts or Q(), person=OuterRef("pk")))


@extend_schema_view(
    list=extend_schema(summary=_("List persons"), parameters=[PersonFilters]),
    retrieve=extend_schema(summary=_("Read a person")),
    update=extend_schema(summary=_("Replace a person's own fields")),
    partial_update=extend_schema(summary=_("Change a person")),
)
class PersonResource(UpdateMixin, Resource):
    """Persons as their page shows them; a change reaches every customer they are
    a contact of."""

    queryset = Person.objects.all()
    serializer_class = PersonSerializer
    filter_serializer_class = PersonFilters
    # The person page; the person's own fields are the Person's to change.
    permissions = {
        "read": PERSON_PAGE_PERMISSIONS,
        "update": ("contacts.change_person",),
        "partial_update": ("contacts.change_person",),
    }
    precondition_actions = frozenset({"update", "partial_update"})
    http_method_names = ["get", "put", "patch", "head", "options"]

    def visible(self, user):
        # Without a link the person page is a 404: so here.
        return self.queryset.filter(linked()).prefetch_related(
            Prefetch(
                "contacts",
                queryset=Contact.objects.order_by("pk").prefetch_related(
                    Prefetch("roles", queryset=ContactRole.objects.order_by("code"))
                ),
                to_attr="links",
            )
        )

    def filter_list(self, queryset, filters):
        if "customer" in filters:
            queryset = queryset.filter(linked(Q(customer_id=filters["customer"])))
        if "name" in filters:
            # Every word, however short (Li Wu): a filter, not a ranked search.
            for word in filters["name"].split():
                queryset = queryset.filter(
                    Q(first_name__icontains=word) | Q(last_name__icontains=word)
                )
        if "email" in filters:
            email = filters["email"]
            queryset = queryset.filter(
                Q(personal_email__iexact=email_lookup(email))
                | linked(contacts_with_email(email))
            )
        if "phone" in filters:
            numbers = filters["phone"]
            queryset = queryset.filter(
                Q(personal_phone__in=numbers) | linked(contacts_matching("", numbers))
            )
        return queryset

    def lock(self, instance):
        # person_update's order: the customers of the person's links, then the
        # person. The ETag shows the links' roles: their writers lock the customer.
        lock_customers(
            set(
                Contact.objects.filter(person=instance).values_list(
                    "customer_id", flat=True
                )
            )
        )
        stored = Person.objects.select_for_update().filter(pk=instance.pk).first()
        return self._stored(stored)

    def update_object(self, person, data):
        # The ETag was checked under the locks.
        return person_update(person=person, data=data), None

    # PUT: the person's own fields as a whole; one left out becomes blank.
    def update(self, request, *args, **kwargs):
        with transaction.atomic():
            person = self.locked_object()
            serializer = self.get_serializer(person, data=request.data)
            serializer.is_valid(raise_exception=True)
            data = {
                name: serializer.validated_data.get(name, "") for name in PUT_FIELDS
            }
            person, _extra = self.update_object(person, data)
        return self.object_response(person)
