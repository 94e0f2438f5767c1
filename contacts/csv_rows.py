"""Contact persons and contact details as CSV rows: their columns, declared once, how
a row becomes an object (import) and how stored rows become rows again (export).

`core.csvio` reads, batches and reports; the adapters here only say what a row is.
Every row is validated by the model's own `full_clean()` (required fields, email,
phone read with the billing country, website) and written through the bulk services
in `contacts.services` (history, primary rules): nothing here is a rule of its own.
The export writes the columns the import reads, so an export re-imports unchanged.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Prefetch

from contacts.models import (
    OPTIONAL_CONTACT_FIELDS,
    Contact,
    ContactDetail,
    ContactFieldSettings,
    ContactRole,
)
from contacts.services import contact_details_bulk_create, contacts_bulk_create
from customers.models import Customer
from customers.selectors import customers_with_phone_region

CUSTOMER_COLUMN = "customer_number"
# A contact's own fields, as the columns name them.
PERSON_FIELDS = ("first_name", *OPTIONAL_CONTACT_FIELDS)
ROLE_SEPARATOR = "|"
# Customers are looked up once per batch and kept; past this many the cache starts
# afresh, so a file touching every customer still keeps memory flat.
CUSTOMER_CACHE_LIMIT = 20_000
# Rows read from the database at a time by the exports.
EXPORT_CHUNK = 2000


class CustomerRows:
    """What both kinds of row share: the first column names the customer by number."""

    columns: tuple[str, ...] = ()
    required_columns: tuple[str, ...] = ()
    # No contact or detail value spans lines.
    multiline_columns: tuple[str, ...] = ()

    def __init__(self, *, batch_size: int = 1000):
        self.batch_size = batch_size
        self._customers: dict[str, Customer] = {}

    def begin_batch(self, records: Sequence[dict[str, str]]) -> None:
        wanted = {
            record[CUSTOMER_COLUMN] for record in records if record[CUSTOMER_COLUMN]
        } - self._customers.keys()
        if not wanted:
            return
        if len(self._customers) + len(wanted) > CUSTOMER_CACHE_LIMIT:
            self._customers = {}
        # One query for the batch; each customer carries its billing country, so
        # reading the phone numbers of its rows asks nothing more.
        for customer in customers_with_phone_region().filter(number__in=wanted):
            self._customers[customer.number] = customer

    def customer(self, record: dict[str, str]) -> Customer:
        """The row's customer, read by `begin_batch`; refused when there is none."""
        number = record[CUSTOMER_COLUMN]
        customer = self._customers.get(number)
        if customer is None:
            raise ValidationError(
                {
                    CUSTOMER_COLUMN: f"No customer has the number {number}."
                    if number
                    else "This field is required."
                }
            )
        return customer

    def export_rows(self, customer_numbers: Iterable[str] | None) -> Iterator[Any]:
        """The stored rows in the order of `columns`, streamed; only the customers
        given, when given."""
        raise NotImplementedError


class ContactRows(CustomerRows):
    """Contact persons: one row each, roles by name or code separated by `|` (the
    export writes codes, in the roles' order)."""

    columns = (CUSTOMER_COLUMN, *PERSON_FIELDS, "roles")
    required_columns = (CUSTOMER_COLUMN, "first_name")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # Read once for the whole file, not once per row.
        self.field_settings = ContactFieldSettings.load()
        self.roles: dict[str, ContactRole] = {}
        self.role_names = []
        for role in ContactRole.objects.all():
            self.roles[role.code.lower()] = role
            self.roles[role.name.lower()] = role
            self.role_names.append(role.name)

    def build(self, record: dict[str, str]) -> tuple[Contact, list[ContactRole]]:
        customer = self.customer(record)
        contact = Contact(
            customer=customer, **{name: record.get(name, "") for name in PERSON_FIELDS}
        )
        contact.field_settings = self.field_settings
        errors: dict[str, list[ValidationError]] = {}
        roles, unknown = self.parse_roles(record.get("roles", ""))
        if unknown:
            errors["roles"] = [
                ValidationError(
                    f"Unknown role(s): {', '.join(unknown)}. The roles are: "
                    f"{', '.join(self.role_names)}.",
                    code="unknown_role",
                )
            ]
        try:
            # The customer was just read by its number: checking that it exists
            # again would cost a query per row.
            contact.full_clean(exclude=["customer"])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)
        return contact, roles

    def parse_roles(self, text: str) -> tuple[list[ContactRole], list[str]]:
        """(the roles named, the names that are no role)."""
        roles, unknown = [], []
        for part in text.split(ROLE_SEPARATOR):
            part = part.strip()
            if not part:
                continue
            role = self.roles.get(part.lower())
            if role is None:
                unknown.append(part)
            elif role not in roles:
                roles.append(role)
        return roles, unknown

    def write(self, objects: Sequence[tuple[Contact, list[ContactRole]]]) -> None:
        contacts_bulk_create(contacts=objects, batch_size=self.batch_size)

    @staticmethod
    def export_rows(customer_numbers: Iterable[str] | None = None) -> Iterator[list]:
        contacts = (
            _of_customers(Contact.objects, customer_numbers)
            .select_related("customer")
            .prefetch_related(
                Prefetch("roles", queryset=ContactRole.objects.order_by("position"))
            )
            .order_by("customer__number", "pk")
        )
        # In chunks: the roles of each chunk in one query, memory flat.
        for contact in contacts.iterator(chunk_size=EXPORT_CHUNK // 2):
            yield [
                contact.customer.number,
                *(getattr(contact, name) for name in PERSON_FIELDS),
                ROLE_SEPARATOR.join(role.code for role in contact.roles.all()),
            ]


class ContactDetailRows(CustomerRows):
    """Contact details: kind (email, telephone, mobile, website, or the names on the
    contact card), value, description. The primary flags come from the primary rule;
    the export writes each kind's primary first, so a re-import makes it primary."""

    columns = (CUSTOMER_COLUMN, "kind", "value", "description")
    required_columns = (CUSTOMER_COLUMN, "kind", "value")

    kinds = {
        **{kind.lower(): kind for kind in ContactDetail.Kind.values},
        **{str(label).lower(): kind for kind, label in ContactDetail.Kind.choices},
    }

    def build(self, record: dict[str, str]) -> ContactDetail:
        customer = self.customer(record)
        kind = record["kind"]
        detail = ContactDetail(
            customer=customer,
            kind=self.kinds.get(kind.lower(), kind),
            value=record["value"],
            description=record.get("description", ""),
        )
        # The customer was just read by its number; the primary flag is set by the
        # primary rule when the batch is written.
        detail.full_clean(exclude=["customer"])
        return detail

    def write(self, objects: Sequence[ContactDetail]) -> None:
        contact_details_bulk_create(details=objects, batch_size=self.batch_size)

    @staticmethod
    def export_rows(customer_numbers: Iterable[str] | None = None) -> Iterator[tuple]:
        details = (
            _of_customers(ContactDetail.objects, customer_numbers)
            .order_by("customer__number", "kind", "-is_primary", "created_at", "pk")
            .values_list("customer__number", *ContactDetailRows.columns[1:])
        )
        return details.iterator(chunk_size=EXPORT_CHUNK)


def _of_customers(manager, customer_numbers: Iterable[str] | None):
    if customer_numbers is None:
        return manager.all()
    return manager.filter(customer__number__in=customer_numbers)
