from functools import cache

from django.apps import apps as global_apps
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import F, Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from contacts.validators import (
    normalize_email_address,
    normalize_phone_number,
    normalize_website,
    phone_type_warning,
)
from core.db import trigram_index
from core.history import tracked_history
from core.languages import email_language
from core.models import TimeStampedModel, language_field
from core.phones import format_phone_number
from customers.models import Customer
from customers.selectors import customer_phone_region


class ContactRole(TimeStampedModel):
    """What a contact person is used for. The four standard roles come from a data
    migration; administrators may add more."""

    PRIMARY = "primary"
    ORDER = "order"
    INVOICE = "invoice"
    SHIPMENT = "shipment"

    code = models.SlugField(_("code"), max_length=50, unique=True)
    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.CharField(_("description"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    history = tracked_history()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("contact role")
        verbose_name_plural = _("contact roles")

    def __str__(self) -> str:
        return self.label

    def _is_standard(self) -> bool:
        """A standard role whose name an administrator has not changed: its words
        are the product's, shown in the user's language. A renamed or custom role
        keeps the words it was given."""
        standard = standard_role_texts().get(self.code)
        return standard is not None and self.name == standard[0]

    @property
    def label(self) -> str:
        """The role's name as the user reads it: a standard role's in the user's
        language (by its code), any other role's as stored."""
        if self._is_standard():
            return str(STANDARD_ROLE_LABELS[self.code])
        return self.name

    @property
    def description_label(self) -> str:
        """The description as the user reads it (see `label`)."""
        standard = standard_role_texts().get(self.code)
        if self._is_standard() and self.description == standard[1]:
            return str(STANDARD_ROLE_DESCRIPTIONS[self.code])
        return self.description


# code, name, description: the roles every installation has (the help page's words),
# stored in English and shown in the user's language while an administrator has not
# changed them. "Order" the role and "Order" the document may be two words in a
# language: hence the context.
STANDARD_ROLES = [
    (
        ContactRole.PRIMARY,
        pgettext_lazy("contact role", "Primary"),
        _("Main point of contact"),
    ),
    (
        ContactRole.ORDER,
        pgettext_lazy("contact role", "Order"),
        _("Used for sales order communication"),
    ),
    (
        ContactRole.INVOICE,
        pgettext_lazy("contact role", "Invoice"),
        _("Used for billing and invoice communication"),
    ),
    (
        ContactRole.SHIPMENT,
        pgettext_lazy("contact role", "Shipment"),
        _("Used for shipment notifications"),
    ),
]
STANDARD_ROLE_CODES = frozenset(code for code, *_rest in STANDARD_ROLES)
STANDARD_ROLE_LABELS = {code: name for code, name, _text in STANDARD_ROLES}
STANDARD_ROLE_DESCRIPTIONS = {code: text for code, _name, text in STANDARD_ROLES}


@cache
def standard_role_texts() -> dict[str, tuple[str, str]]:
    """The standard roles' name and description as stored (in English), by code."""
    with translation.override("en"):
        return {code: (str(name), str(text)) for code, name, text in STANDARD_ROLES}


def create_standard_roles(
    sender=None, apps=global_apps, using=DEFAULT_DB_ALIAS, **kwargs
):
    """Create the standard roles that are missing (post_migrate, so also on a fresh
    database and after `flush`). A role an administrator renamed keeps its name."""
    Role = apps.get_model("contacts", "ContactRole")
    for position, (code, (name, description)) in enumerate(
        standard_role_texts().items(), start=1
    ):
        Role.objects.using(using).get_or_create(
            code=code,
            defaults={"name": name, "description": description, "position": position},
        )


# The contact fields an organisation may hide or require; First name is always both.
OPTIONAL_CONTACT_FIELDS = ("last_name", "email", "phone", "job_title", "department")

# What the settings' constraints say when a field is required but hidden.
SHOWN_WHEN_REQUIRED_MESSAGES = {
    "last_name": _("A required field must be shown: show last name."),
    "email": _("A required field must be shown: show email."),
    "phone": _("A required field must be shown: show phone."),
    "job_title": _("A required field must be shown: show job title."),
    "department": _("A required field must be shown: show department."),
}


class ContactFieldSettings(TimeStampedModel):
    """The organisation's choice of which optional contact fields are shown and which
    are required. One row; First name is always shown and required."""

    show_last_name = models.BooleanField(_("show last name"), default=True)
    require_last_name = models.BooleanField(_("require last name"), default=False)
    show_email = models.BooleanField(_("show email address"), default=True)
    require_email = models.BooleanField(_("require email address"), default=False)
    show_phone = models.BooleanField(_("show phone number"), default=True)
    require_phone = models.BooleanField(_("require phone number"), default=False)
    show_job_title = models.BooleanField(_("show job title"), default=True)
    require_job_title = models.BooleanField(_("require job title"), default=False)
    show_department = models.BooleanField(_("show department"), default=True)
    require_department = models.BooleanField(_("require department"), default=False)

    history = tracked_history()

    class Meta:
        ordering = ["pk"]
        verbose_name = _("contact field settings")
        verbose_name_plural = _("contact field settings")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"require_{name}": False}) | Q(**{f"show_{name}": True}),
                name=f"contacts_fieldsettings_required_{name}_is_shown",
                violation_error_message=SHOWN_WHEN_REQUIRED_MESSAGES[name],
            )
            for name in OPTIONAL_CONTACT_FIELDS
        ]

    def __str__(self) -> str:
        return str(_("Contact field settings"))

    @classmethod
    def load(cls) -> "ContactFieldSettings":
        """The organisation's settings; the defaults (all shown, only First name
        required) while an administrator has saved none. Reading never writes."""
        return cls.objects.order_by("pk").first() or cls()

    def shown_fields(self) -> list[str]:
        return [
            name for name in OPTIONAL_CONTACT_FIELDS if getattr(self, f"show_{name}")
        ]

    def required_fields(self) -> list[str]:
        return [
            name for name in OPTIONAL_CONTACT_FIELDS if getattr(self, f"require_{name}")
        ]


# The fields a merge of two contacts chooses between, in the order the preview shows.
# A contact person's own fields (its customer and roles aside): what a merge chooses
# between and an import reads.
CONTACT_PERSON_FIELDS = ("first_name", *OPTIONAL_CONTACT_FIELDS, "language")


class Person(TimeStampedModel):
    """Who someone is, once, whatever the customers they are a contact of: their
    name, language, and their own email and phone. Each customer's `Contact` links
    the person to it, with what differs per customer."""

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    # Blank: the organisation's language (settings.ORGANISATION_LANGUAGE).
    language = language_field(
        help_text=_("The language of the emails this person receives.")
    )
    personal_email = models.CharField(
        _("personal email address"), max_length=254, blank=True
    )
    # Stored in E.164, as a contact's.
    personal_phone = models.CharField(
        _("personal phone number"), max_length=32, blank=True
    )

    history = tracked_history()

    class Meta:
        ordering = ["first_name", "last_name", "pk"]
        verbose_name = _("person")
        verbose_name_plural = _("persons")

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def clean(self):
        errors = {}
        if self.personal_email:
            try:
                self.personal_email = normalize_email_address(self.personal_email)
            except ValidationError as error:
                errors["personal_email"] = error
        if self.personal_phone:
            try:
                # No customer's billing country to read a national number in.
                self.personal_phone = normalize_phone_number(
                    self.personal_phone, region=None
                )
            except ValidationError as error:
                if error.code == "phone_needs_country_code":
                    error = ValidationError(
                        _(
                            "Enter the number with its country code (+…): a "
                            "person's own number is read in no customer's country."
                        ),
                        code=error.code,
                    )
                errors["personal_phone"] = error
        if errors:
            raise ValidationError(errors)


# Who may open a person's page (contacts.views.PersonDetailView), and so follow a
# link to it.
PERSON_PAGE_PERMISSIONS = ("customers.view_customer", "contacts.view_contact")

# What a person holds and every link to them carries a copy of, kept equal by the
# writers (contacts.services.links.person_update): the lists, searches, duplicates
# and the Activity Log of each customer read the link alone.
PERSON_NAME_FIELDS = ("first_name", "last_name", "language")

ONE_LINK_PER_CUSTOMER_MESSAGE = _("This person is a contact of this customer already.")


class Contact(TimeStampedModel):
    """The link between a person and a customer: what the person is at that
    customer (roles, job title, department, work email and phone, whether the link
    is active and when it began and ended). `email` and `phone` are the work email
    and phone. The name and language are the person's, copied here (see
    PERSON_NAME_FIELDS)."""

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="contacts",
        verbose_name=_("customer"),
    )
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        related_name="contacts",
        verbose_name=_("person"),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("An inactive contact receives no notification emails."),
    )
    started_on = models.DateField(_("started on"), null=True, blank=True)
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    email = models.CharField(_("email address"), max_length=254, blank=True)
    # Stored in E.164; the input may be longer (spaces, brackets) before it is read.
    phone = models.CharField(_("phone number"), max_length=32, blank=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    department = models.CharField(_("department"), max_length=100, blank=True)
    # Blank: the organisation's language (settings.ORGANISATION_LANGUAGE).
    language = language_field(
        help_text=_("The language of the emails this contact receives.")
    )
    # The person asked for no notification emails: the routing skips them, with
    # that reason, as it skips a suppressed address.
    no_notification_emails = models.BooleanField(
        _("no notification emails"),
        default=False,
        help_text=_(
            "Orders, invoices and shipment notices go to someone else at the customer."
        ),
    )
    roles = models.ManyToManyField(
        ContactRole, blank=True, related_name="contacts", verbose_name=_("roles")
    )
    # Whether the contact holds the Primary role: kept by the one writer of roles
    # (contacts.services.links.contact_roles_set), so the database can allow one
    # Primary per customer (the constraint below).
    is_primary = models.BooleanField(_("primary"), default=False, editable=False)

    # The change reason holds a merge's summary with the values it dropped
    # (contacts.services.merge): longer than simple-history's 100 characters.
    history = tracked_history(
        customer_field="customer",
        m2m_fields=[roles],
        history_change_reason_field=models.TextField(null=True),
    )

    # The field settings clean() applies. Work on many rows (imports) loads them once
    # and sets them here, so no row reads them again; None: clean() reads them.
    field_settings: "ContactFieldSettings | None" = None

    class Meta:
        ordering = ["first_name", "last_name", "pk"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        permissions = [("merge_contact", _("Merge contacts"))]
        indexes = [
            # Equality on what is stored: the header search's numbers (E.164) and
            # the duplicate warnings' emails (compared case-insensitively).
            models.Index(fields=["phone"], name="contact_phone"),
            models.Index(Upper("email"), name="contact_email_upper"),
            # The header search's words (icontains), on PostgreSQL only
            # (migration 0006 creates them there).
            *[
                trigram_index(name, name=f"contact_{name}_trgm")
                for name in ("first_name", "last_name", "email")
            ],
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["person", "customer"],
                name="contacts_contact_one_link_per_customer",
                violation_error_message=ONE_LINK_PER_CUSTOMER_MESSAGE,
            ),
            models.UniqueConstraint(
                fields=["customer"],
                condition=Q(is_primary=True),
                name="contacts_contact_one_primary_per_customer",
                violation_error_message=_(
                    "This customer already has a Primary contact."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def notification_email(self) -> str:
        """Where notifications to this contact go: the work email, else the
        person's own (read with `select_related("person")`)."""
        return self.email or self.person.personal_email

    @property
    def email_language(self) -> str:
        """The language of the emails this contact receives."""
        return email_language(self.language)

    def get_absolute_url(self) -> str:
        return reverse(
            "contacts:update",
            kwargs={"customer_pk": self.customer_id, "pk": self.pk},
        )

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.last_name) if part)

    def clean(self):
        errors = {}
        settings = self.field_settings or ContactFieldSettings.load()
        for name in settings.required_fields():
            if not str(getattr(self, name)).strip():
                errors[name] = ValidationError(
                    _("This field is required."), code="required"
                )
        if self.email and "email" not in errors:
            try:
                self.email = normalize_email_address(self.email)
            except ValidationError as error:
                errors["email"] = error
        if self.phone and "phone" not in errors:
            try:
                self.phone = normalize_phone_number(
                    self.phone, region=self.phone_region()
                )
            except ValidationError as error:
                errors["phone"] = error
        if self.started_on and self.ended_on and self.ended_on < self.started_on:
            errors["ended_on"] = ValidationError(
                _("The end cannot come before the start."), code="ends_before_start"
            )
        if errors:
            raise ValidationError(errors)

    def phone_region(self) -> str | None:
        if self.customer_id is None:
            return None
        return customer_phone_region(customer=self.customer)


class ContactDetail(TimeStampedModel):
    """One contact point of the customer, shown on its contact card."""

    class Kind(models.TextChoices):
        EMAIL = "email", _("Email Address")
        TELEPHONE = "telephone", _("Telephone")
        MOBILE = "mobile", _("Mobile Phone")
        WEBSITE = "website", _("Website")

    PHONE_KINDS = (Kind.TELEPHONE, Kind.MOBILE)

    customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        related_name="contact_details",
        verbose_name=_("customer"),
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    value = models.CharField(_("value"), max_length=254)
    description = models.CharField(_("description"), max_length=100, blank=True)
    # Set only by the primary rule (contacts.services), never by a person.
    is_primary = models.BooleanField(_("primary"), default=False, editable=False)

    history = tracked_history(customer_field="customer")

    class Meta:
        ordering = ["customer", "kind", "-is_primary", "created_at", "pk"]
        verbose_name = _("contact detail")
        verbose_name_plural = _("contact details")
        permissions = [
            ("update_customer_contact_details", _("Update Customer Contact Details"))
        ]
        indexes = [
            # The header search's numbers (E.164), the duplicate warnings' emails.
            models.Index(fields=["value"], name="contactdetail_value"),
            models.Index(Upper("value"), name="contactdetail_value_upper"),
            trigram_index("value", name="contactdetail_value_trgm"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "kind"],
                condition=Q(is_primary=True),
                name="contacts_contactdetail_one_primary_per_kind",
                violation_error_message=_(
                    "This customer already has a primary detail of this kind."
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.display_value}"

    @property
    def display_value(self) -> str:
        """The value as people read it: a phone number in international format."""
        if self.kind in self.PHONE_KINDS:
            return format_phone_number(self.value)
        return self.value

    def clean(self):
        # An unknown kind is refused at its field; its value cannot be read by it.
        if not self.value or self.kind not in self.Kind.values:
            return
        try:
            self.value = self.normalized_value()
        except ValidationError as error:
            raise ValidationError({"value": error}) from error

    def type_warning(self) -> str | None:
        """A warning, not a refusal, for a stored number of the other kind: a mobile
        number as Telephone, a landline number as Mobile Phone."""
        if self.kind not in self.PHONE_KINDS:
            return None
        return phone_type_warning(kind=self.kind, value=self.value)

    def normalized_value(self) -> str:
        if self.kind == self.Kind.EMAIL:
            return normalize_email_address(self.value)
        if self.kind == self.Kind.WEBSITE:
            return normalize_website(self.value)
        region = (
            customer_phone_region(customer=self.customer) if self.customer_id else None
        )
        return normalize_phone_number(self.value, region=region)


class ContactCardVersion(TimeStampedModel):
    """The version of a customer's contact card: raised by every write of its details
    (contacts.services), so the editing window can tell that the card changed since it
    was opened, and refuse to overwrite what its user has not seen. A customer whose
    details were never written has no row: version 0."""

    customer = models.OneToOneField(
        Customer, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        ordering = ["customer"]
        verbose_name = _("contact card version")
        verbose_name_plural = _("contact card versions")

    def __str__(self) -> str:
        return f"Contact card of customer {self.customer_id}: version {self.version}"


class ContactPair(TimeStampedModel):
    """Two contacts, the lower key first (a pair is stored once): of one customer,
    or, for a PossibleDuplicate with `other_customer`, of two."""

    customer = models.ForeignKey(
        Customer, on_delete=models.CASCADE, related_name="+", verbose_name=_("customer")
    )
    contact_a = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="+", verbose_name=_("contact A")
    )
    contact_b = models.ForeignKey(
        Contact, on_delete=models.CASCADE, related_name="+", verbose_name=_("contact B")
    )

    class Meta:
        abstract = True

    @staticmethod
    def ordered(first: int, second: int) -> tuple[int, int]:
        return (first, second) if first < second else (second, first)


class PossibleDuplicate(ContactPair):
    """A pair of contacts of one customer that may be one person: the same email,
    the same phone number, or nearly the same name (contacts.duplicates). Derived
    data, kept current by the writers of contacts (contacts.services) so the
    Possible duplicates page reads one page of rows, whatever the number of
    contacts. A pair marked "Not a duplicate" is not stored again.

    With `other_customer`, the pair is of two customers' contacts that may be one
    person held twice (`customer` is contact A's, `other_customer` contact B's):
    "The same person?", answered by linking them as one person."""

    other_customer = models.ForeignKey(
        Customer,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("other customer"),
    )

    same_email = models.BooleanField(_("same email address"), default=False)
    same_phone = models.BooleanField(_("same phone number"), default=False)
    # rapidfuzz's token_sort_ratio of the two full names, when at the threshold.
    name_similarity = models.PositiveSmallIntegerField(
        _("name similarity"), null=True, blank=True
    )
    found_at = models.DateTimeField(_("found at"))

    class Meta:
        ordering = ["-found_at", "-pk"]
        verbose_name = _("possible duplicate")
        verbose_name_plural = _("possible duplicates")
        constraints = [
            models.UniqueConstraint(
                fields=["contact_a", "contact_b"],
                name="contacts_possibleduplicate_once",
            ),
            models.CheckConstraint(
                condition=Q(contact_a__lt=F("contact_b")),
                name="contacts_possibleduplicate_ordered",
            ),
        ]
        indexes = [
            models.Index(fields=["-found_at", "-id"], name="possibleduplicate_new")
        ]

    def __str__(self) -> str:
        return (
            f"Possible duplicate: contacts {self.contact_a_id} and {self.contact_b_id}"
        )

    @property
    def contacts(self) -> tuple[Contact, Contact]:
        return (self.contact_a, self.contact_b)

    @property
    def reasons(self) -> list[str]:
        """Why the pair is proposed, in words (the active language's: English in
        the commands)."""
        reasons = []
        if self.same_email:
            reasons.append(gettext("Same email address"))
        if self.same_phone:
            reasons.append(gettext("Same phone number"))
        if self.name_similarity is not None:
            reasons.append(
                gettext("Similar names (%(percent)s%%)")
                % {"percent": self.name_similarity}
            )
        return reasons


class NotDuplicate(ContactPair):
    """Two contacts a manager said are different people: never proposed again."""

    history = tracked_history()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("not a duplicate")
        verbose_name_plural = _("not duplicates")
        constraints = [
            models.UniqueConstraint(
                fields=["contact_a", "contact_b"], name="contacts_notduplicate_once"
            ),
            models.CheckConstraint(
                condition=Q(contact_a__lt=F("contact_b")),
                name="contacts_notduplicate_ordered",
            ),
        ]

    def __str__(self) -> str:
        return f"Not a duplicate: contacts {self.contact_a_id} and {self.contact_b_id}"
