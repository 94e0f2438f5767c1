"""Contact persons: who at a customer is reached for what (their roles). Written
through the contacts services the pages use, so the field settings, the email and
phone rules (a phone number in E.164, read with the billing country) and the
possible duplicates hold; what the contact form would warn about comes back as
warnings."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Prefetch
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers

from api.errors import prefixed
from api.resources.base import (
    CreateMixin,
    DestroyMixin,
    Resource,
    UpdateMixin,
    keep_customer,
    key_field,
)
from api.resources.contact_details import WarningSerializer
from api.serializers import CodeRelatedField, PhoneField
from contacts.models import (
    ONE_LINK_PER_CUSTOMER_MESSAGE,
    PERSON_NAME_FIELDS,
    Contact,
    ContactRole,
    Person,
)
from contacts.selectors import contacts_sharing
from contacts.services.links import (
    contact_create,
    contact_delete,
    contact_update,
    lock_contacts,
)
from customers.models import Customer
from customers.services import lock_customers
from search.selectors import contacts_matching, contacts_with_email


class ContactSerializer(serializers.ModelSerializer):
    """A contact person of a customer, with their roles."""

    customer = serializers.PrimaryKeyRelatedField(
        queryset=Customer.objects.all(),
        help_text=_("The customer whose contact it is; it cannot move to another."),
    )
    person = serializers.PrimaryKeyRelatedField(
        # Those visible (with a link), as in GET /persons/.
        queryset=Person.objects.filter(
            Exists(Contact.objects.filter(person=OuterRef("pk")))
        ),
        required=False,
        help_text=_(
            "The person this contact is (GET /api/v1/persons/{id}/). To make an "
            "existing person a contact of this customer too, give their id and "
            "leave out first_name, last_name and language: those are the "
            "person's. Left out, a new person is made with the name given. It "
            "cannot change."
        ),
    )
    # The person's name and language, copied on the link: a change here is the
    # person's, at every customer they are a contact of.
    first_name = serializers.CharField(
        max_length=100,
        required=False,
        help_text=_("Required, unless an existing person is given."),
    )
    last_name = serializers.CharField(max_length=100, required=False, allow_blank=True)
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        allow_blank=True,
        help_text=_(
            "The language of the emails this contact receives; blank: the "
            "organisation's."
        ),
    )
    roles = CodeRelatedField(
        slug_field="code",
        many=True,
        required=False,
        queryset=ContactRole.objects.all(),
        help_text=_(
            "The codes of the contact's roles: primary, order, invoice, shipment, "
            "and those an administrator added."
        ),
    )

    class Meta:
        model = Contact
        fields = [
            "id",
            "customer",
            "person",
            "first_name",
            "last_name",
            "email",
            "phone",
            "job_title",
            "department",
            "language",
            "no_notification_emails",
            "is_active",
            "started_on",
            "ended_on",
            "roles",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["created_at", "updated_at"]
        # One link per person and customer is checked on create, under the
        # customer's lock (create_object): refused at `person`.
        validators: list = []
        extra_kwargs = {
            "email": {"help_text": _("As stored: normalised.")},
            "phone": {
                "help_text": _(
                    "As stored: in E.164. A national number is read in the "
                    "customer's billing country."
                )
            },
            "ended_on": {"help_text": _("Not before started_on.")},
        }

    def validate(self, attrs):
        if self.instance is not None:
            return attrs
        if "person" in attrs:
            # The person's name is changed on the person, not by a new link.
            given = [name for name in PERSON_NAME_FIELDS if name in attrs]
            if given:
                raise serializers.ValidationError(
                    {
                        name: serializers.ErrorDetail(
                            gettext(
                                "An existing person keeps their own name and "
                                "language: leave this out, or change it on the "
                                "person."
                            ),
                            code="given_with_person",
                        )
                        for name in given
                    }
                )
        elif "first_name" not in attrs:
            raise serializers.ValidationError(
                {
                    "first_name": serializers.ErrorDetail(
                        self.fields["first_name"].error_messages["required"],
                        code="required",
                    )
                }
            )
        return attrs


class SharedContactWarningSerializer(WarningSerializer):
    contact = serializers.IntegerField(
        help_text=_("The other contact with the same email address or phone number.")
    )


class ContactWrittenSerializer(ContactSerializer):
    """The contact as written, with what is worth a look."""

    warnings = SharedContactWarningSerializer(
        many=True,
        read_only=True,
        help_text=_(
            "Saved, but worth a look: another contact, of this customer or "
            "another, has the same email address or phone number (a possible "
            "duplicate)."
        ),
    )

    class Meta(ContactSerializer.Meta):
        fields = [*ContactSerializer.Meta.fields, "warnings"]


class ContactFilters(serializers.Serializer):
    customer = key_field()
    person = key_field(help_text=_("The contacts of this person, one per customer."))
    email = serializers.CharField(
        required=False,
        max_length=254,
        help_text=_("Contacts with this email address."),
    )
    phone = PhoneField(
        required=False,
        help_text=_(
            "Contacts with this phone number, typed in any format. A national "
            "number is read in the billing addresses' countries."
        ),
    )
    role = serializers.SlugField(
        required=False,
        max_length=50,
        help_text=_("Contacts with the role of this code."),
    )


@extend_schema_view(
    list=extend_schema(summary=_("List contacts"), parameters=[ContactFilters]),
    retrieve=extend_schema(summary=_("Read a contact")),
    create=extend_schema(
        summary=_("Add a contact"), responses={201: ContactWrittenSerializer}
    ),
    partial_update=extend_schema(
        summary=_("Change a contact"), responses={200: ContactWrittenSerializer}
    ),
    destroy=extend_schema(summary=_("Delete a contact")),
)
class ContactResource(CreateMixin, UpdateMixin, DestroyMixin, Resource):
    """The customers' contact persons, as the Contacts tab shows them and its
    forms write them."""

    queryset = Contact.objects.order_by("pk")
    serializer_class = ContactSerializer
    filter_serializer_class = ContactFilters
    # The Contacts tab, and its forms for writes.
    permissions = {
        "read": ("customers.view_customer", "contacts.view_contact"),
        "create": ("contacts.add_contact",),
        "partial_update": ("contacts.change_contact",),
        "destroy": ("contacts.delete_contact",),
    }
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def visible(self, user):
        return self.queryset.prefetch_related(
            Prefetch("roles", queryset=ContactRole.objects.order_by("code"))
        )

    def filter_list(self, queryset, filters):
        if "customer" in filters:
            queryset = queryset.filter(customer_id=filters["customer"])
        if "person" in filters:
            queryset = queryset.filter(person_id=filters["person"])
        if "email" in filters:
            queryset = queryset.filter(contacts_with_email(filters["email"]))
        if "phone" in filters:
            queryset = queryset.filter(contacts_matching("", filters["phone"]))
        if "role" in filters:
            # A contact holds a role once: the join repeats no contact.
            queryset = queryset.filter(roles__code=filters["role"])
        return queryset

    def lock(self, instance):
        # The order of the contacts' writers: the customer, then the contact.
        lock_customers([instance.customer_id])
        lock_contacts([instance])
        return self._stored(instance)

    def create_object(self, data):
        roles = data.pop("roles", [])
        person = data.get("person")
        if person is not None:
            # Under the customer's lock, which contact_create takes first too: a
            # link made meanwhile is seen here.
            lock_customers([data["customer"].pk])
            if Contact.objects.filter(
                person=person, customer=data["customer"]
            ).exists():
                raise ValidationError(
                    {
                        "person": ValidationError(
                            ONE_LINK_PER_CUSTOMER_MESSAGE, code="already_a_contact"
                        )
                    }
                )
        try:
            contact = contact_create(roles=roles, **data)
        except ValidationError as error:
            if getattr(error, "code", None) == "gone":
                # The person's last link ended since the request was read.
                raise prefixed(error, "person") from error
            raise
        return contact, {"warnings": self._warnings(contact, stored=None)}

    def update_object(self, contact, data):
        keep_customer(
            contact, data, gettext("A contact cannot move to another customer.")
        )
        person = data.pop("person", None)
        if person is not None and person.pk != contact.person_id:
            raise ValidationError(
                {
                    "person": ValidationError(
                        gettext("A contact cannot become another person."),
                        code="person_fixed",
                    )
                }
            )
        stored = (contact.email, contact.phone)
        roles = data.pop("roles", None)
        # The ETag was checked under the locks: no version to compare again.
        contact = contact_update(contact=contact, data=data, roles=roles)
        return contact, {"warnings": self._warnings(contact, stored=stored)}

    def delete_object(self, contact):
        contact_delete(contact=contact)

    @staticmethod
    def _warnings(contact, *, stored) -> list[dict]:
        """Other contacts with the email or phone number this write gave (as
        stored, so normalised): the contact form's warning. A value the contact
        had already warns no more, as on the form."""
        email, phone = contact.email, contact.phone
        if stored is not None:
            email = email if email != stored[0] else ""
            phone = phone if phone != stored[1] else ""
        and_word = gettext(" and ")
        return [
            {
                "code": "shared_contact",
                "contact": shared.contact.pk,
                "message": gettext(
                    "%(name)s at %(customer)s has the same %(fields)s: check that "
                    "this is not the same person."
                )
                % {
                    "name": shared.contact.full_name,
                    "customer": shared.contact.customer.name,
                    "fields": and_word.join(shared.fields).lower(),
                },
            }
            for shared in contacts_sharing(email=email, phone=phone, exclude=contact.pk)
        ]
