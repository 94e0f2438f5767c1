"""Contact persons and contact details as CSV rows: their columns, declared once, how
a row becomes an object (import) and how stored rows become rows again (export).

`core.csvio` reads, batches and reports; the adapters here only say what a row is.
Every row is validated by the model's own `full_clean()` (required fields, email,
phone read with the billing country, website) and written through the bulk services
in `contacts.services` (history, primary rules): nothing here is a rule of its own.
The export writes the columns the import reads, so an export re-imports unchanged.

With `update`, a row first looks for what it stands for among what its customer
already has (see `Matches`): a contact row naming a person by key (`person_id`), that
person's contact there; one without, a contact of its customer with the same email,
else the same phone number, else the same name (never a person of another customer);
a detail of the same kind with the same value. It then
changes that object instead of adding one, or leaves it alone when nothing differs,
so importing a file twice changes nothing the second time. Only the columns the file
has are compared and changed; the roles of a contact are replaced by the row's (the
file is the truth), and their change is in the contact's history.
"""

import copy
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, Q
from django.db.models.functions import Lower
from django.utils.translation import gettext

from contacts.models import (
    CONTACT_PERSON_FIELDS,
    ONE_LINK_PER_CUSTOMER_MESSAGE,
    PERSON_NAME_FIELDS,
    Contact,
    ContactDetail,
    ContactFieldSettings,
    ContactRole,
    Person,
)
from contacts.services.bulk import (
    contact_details_bulk_create,
    contact_details_bulk_update,
    contacts_bulk_create,
    contacts_bulk_update,
    customers_of_persons,
)
from contacts.services.duplicates import possible_duplicates_refresh_after_import
from contacts.services.links import PRIMARY_TAKEN_MESSAGE
from core.csvio import ADDED, UNCHANGED, UPDATED, WriteOutcome, error_messages
from customers.models import Customer
from customers.selectors import customers_with_phone_region
from customers.services import lock_customers

CUSTOMER_COLUMN = "customer_number"
# A contact row's person, by key: the row is that person's link to its customer.
PERSON_COLUMN = "person_id"
ROLE_SEPARATOR = "|"
# Customers are looked up once per batch and kept; past this many the cache starts
# afresh, so a file touching every customer still keeps memory flat.
CUSTOMER_CACHE_LIMIT = 20_000
# Rows read from the database at a time by the exports.
EXPORT_CHUNK = 2000

Key = tuple[Hashable, ...]


class Matches:
    """Which stored object each row of an `update` import stands for.

    Each batch starts with the stored objects its rows could match (read in one
    query by the adapter); a row's keys are tried in the order of the rule (for a
    contact: the person's key alone when the row gives it, else email, phone, name),
    the first key with a match deciding and the next
    ones narrowing it down when several objects share it. Several objects left that
    every key of the row fits are the same thing stored twice: rows take them
    oldest first. Several left that the row does not tell apart are refused.

    The object a row took is remembered for the rest of the file, so a second row
    standing for the same contact or detail is refused rather than overwriting the
    first: one entry per row matched (a number and a line), not the rows themselves.
    """

    def __init__(self, what: str):
        self.what = what
        self.claimed: dict[int, int] = {}  # pk → line of the row that took it
        self.index: dict[Key, list[Model]] = {}
        self.pending: dict[int, tuple[Model, int]] = {}  # id → (new object, line)
        # A preview's new objects, never saved, by their keys: later batches find
        # them as a written import would find them stored.
        self.unsaved: dict[Key, list[Unsaved]] = {}
        self.pending_keys: dict[int, list[Key]] = {}

    def start_batch(self, stored: Iterable[Model], keys_of: Callable) -> None:
        self.index = {}
        self.pending, self.pending_keys = {}, {}
        for obj in stored:
            self._index(obj, keys_of(obj))

    def _index(self, obj: Model, keys: Iterable[Key]) -> None:
        for key in keys:
            hits = self.index.setdefault(key, [])
            if obj not in hits:
                hits.append(obj)

    def _line_of(self, obj: "Model | Unsaved") -> int | None:
        if isinstance(obj, Unsaved):
            return obj.line
        if obj.pk is None:
            return self.pending[id(obj)][1]
        return self.claimed.get(obj.pk)

    def find(self, keys: Sequence[Key]) -> Model | None:
        """The stored (or earlier added) object the row stands for; None: none.
        ValidationError when it is ambiguous or an earlier row took it."""
        found: list[Model] = []
        every_key_fits = True
        for key in keys:
            hits = self.index.get(key, []) + self.unsaved.get(key, [])
            narrowed = [obj for obj in found if obj in hits] if found and hits else []
            if not hits:
                every_key_fits = False
            elif not found:
                found = hits
            elif narrowed:
                found = narrowed
            else:
                every_key_fits = False
        if not found:
            return None
        if len(found) > 1 and not every_key_fits:
            names = ", ".join(str(obj) for obj in found[:5])
            raise ValidationError(
                f"This row matches {len(found)} {self.what}s of the customer "
                f"({names}) and does not say which: change that {self.what} by hand.",
                code="ambiguous",
            )
        for obj in found:
            if self._line_of(obj) is None:
                return obj
        raise ValidationError(
            f"This row is the same {self.what} as line {self._line_of(found[0])} "
            f"({found[0]}): give each {self.what} one row.",
            code="duplicate",
        )

    def take(self, obj: Model, *, line: int, keys: Iterable[Key]) -> None:
        """The row at `line` stands for `obj` (new, when its pk is None)."""
        if obj.pk is None:
            self.pending[id(obj)] = (obj, line)
            keys = list(keys)
            self.pending_keys.setdefault(id(obj), []).extend(keys)
        else:
            self.claimed[obj.pk] = line
        self._index(obj, keys)

    def keep_unsaved(self) -> None:
        """A preview's batch is done: its new objects stay findable, as the keys
        and the line of each (not the objects)."""
        for obj, line in self.pending.values():
            unsaved = Unsaved(line=line, label=str(obj))
            for key in self.pending_keys.get(id(obj), ()):
                self.unsaved.setdefault(key, []).append(unsaved)
        self.pending, self.pending_keys = {}, {}

    def written(self) -> None:
        """The batch's new objects were saved: remember them by their keys."""
        for obj, line in self.pending.values():
            self.claimed[obj.pk] = line
        self.pending, self.pending_keys = {}, {}


@dataclass(frozen=True)
class Unsaved:
    """What a preview remembers of an object a row would add."""

    line: int
    label: str

    def __str__(self) -> str:
        return self.label


class CustomerRows:
    """What both kinds of row share: the first column names the customer by number."""

    columns: tuple[str, ...] = ()
    required_columns: tuple[str, ...] = ()
    # No contact or detail value spans lines.
    multiline_columns: tuple[str, ...] = ()
    what = ""

    def __init__(
        self, *, batch_size: int = 1000, update: bool = False, only_customer: str = ""
    ):
        self.batch_size = batch_size
        self.update = update
        # A file imported into one customer (from its Contacts tab): a row naming
        # another is refused, not written there.
        self.only_customer = only_customer
        self.matches = Matches(self.what)
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
        if self.only_customer and number and number != self.only_customer:
            raise ValidationError(
                {
                    CUSTOMER_COLUMN: f"This file is imported into customer "
                    f"{self.only_customer}; this row is for {number}."
                }
            )
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

    def write(
        self, rows: Sequence[tuple[int, Any]], *, preview: bool = False
    ) -> WriteOutcome:
        if not preview:
            # The batch's customers, in key order (the product's lock order), for
            # the batch's transaction only: another user's save of one of them
            # waits for this batch, not for the file.
            lock_customers(self.customers_to_lock(rows))
        if not self.update:
            refused = {}
            for line, row in rows:
                try:
                    self.claim(line, row, None)
                except ValidationError as error:
                    refused[line] = error
            rows = [(line, row) for line, row in rows if line not in refused]
            refused |= self.refused_against_batch(rows)
            rows = [(line, row) for line, row in rows if line not in refused]
            if not preview:
                self.add([row for _, row in rows])
            return WriteOutcome(
                lines=dict.fromkeys((line for line, _ in rows), ADDED),
                refused=[(line, error_messages(e)) for line, e in refused.items()],
            )
        self.matches.start_batch(
            self.stored([row for _, row in rows], lock=not preview), self.keys
        )
        outcome = WriteOutcome()
        additions, changes = [], []
        for line, row in rows:
            try:
                target = self.matches.find(self.row_keys(row))
                self.claim(line, row, target)
                if target is None:
                    new = self.new_object(row)
                else:
                    change = self.change(target, row)
            except ValidationError as error:
                outcome.refused.append((line, error_messages(error)))
                continue
            if target is None:
                additions.append((line, row))
                outcome.lines[line] = ADDED
                self.matches.take(new, line=line, keys=self.row_keys(row))
            elif change is None:
                outcome.lines[line] = UNCHANGED
                self.matches.take(target, line=line, keys=[])
            else:
                changes.append((line, change))
                outcome.lines[line] = UPDATED
                # Found by its new email or phone too, by the rest of the batch.
                self.matches.take(target, line=line, keys=self.keys(change))
        refused = self.refused_against_batch([*additions, *changes])
        for line, error in refused.items():
            del outcome.lines[line]
            outcome.refused.append((line, error_messages(error)))
        additions = [(line, row) for line, row in additions if line not in refused]
        changes = [(line, row) for line, row in changes if line not in refused]
        if preview:
            self.matches.keep_unsaved()
            return outcome
        if additions:
            self.add([row for _, row in additions])
            self.matches.written()
        if changes:
            self.save_changes([change for _, change in changes])
        return outcome

    def refused_against_batch(
        self, rows: Sequence[tuple[int, Any]]
    ) -> dict[int, ValidationError]:
        """Rows (a new row, or a stored object changed) refused by a rule across
        rows, by line; none for most kinds."""
        return {}

    def finish(self) -> None:
        """Nothing is derived from the rows of this kind."""

    def customers_to_lock(self, rows: Sequence[tuple[int, Any]]) -> set[int]:
        """The customers a written batch locks: its rows' own."""
        return {self.customer_id(row) for _, row in rows}

    def claim(self, line: int, row: Any, target: Model | None) -> None:
        """The row at `line` is to add (`target` None) or to change `target`:
        ValidationError when an earlier row of the file says otherwise."""

    # What each kind says: the update path.

    def customer_id(self, row: Any) -> int:
        raise NotImplementedError

    def add(self, rows: Sequence[Any]) -> None:
        raise NotImplementedError

    def stored(self, rows: Sequence[Any], *, lock: bool) -> list[Model]:
        """The stored objects the batch's rows could match, oldest first; locked
        when `lock` (a written batch), after their customers."""
        raise NotImplementedError

    def keys(self, obj: Model) -> list[Key]:
        """Every key a stored object can be found by."""
        raise NotImplementedError

    def row_keys(self, row: Any) -> list[Key]:
        """The keys a row looks for, in the order of the rule."""
        raise NotImplementedError

    def new_object(self, row: Any) -> Model:
        """The object a row adds; ValidationError when it cannot add one."""
        raise NotImplementedError

    def change(self, target: Model, row: Any) -> Model | None:
        """`target` changed as the row says, validated, unsaved; None when nothing
        differs. ValidationError when the changed object is not valid."""
        raise NotImplementedError

    def save_changes(self, changes: Sequence[Model]) -> None:
        raise NotImplementedError

    @staticmethod
    def export_rows(customer_numbers: Iterable[str] | None) -> Iterator[Any]:
        """The stored rows in the order of `columns`, streamed; only the customers
        given, when given."""
        raise NotImplementedError


@dataclass
class ContactRow:
    contact: Contact
    # None: the file has no roles column, so the roles are left as they are.
    roles: list[ContactRole] | None
    # The person fields the file has: the only ones compared and changed.
    fields: tuple[str, ...]
    # Required fields the file has no column for: the row is refused for them
    # unless it updates a contact (whose stored values count).
    missing: ValidationError | None = None


class ContactRows(CustomerRows):
    """Contacts: one row per link of a person to a customer, roles by name or code
    separated by `|` (the export writes codes, in the roles' order).

    `person_id`, when given, names the person by key: the row is that person's link
    to the customer (added when there is none; with `update`, changed when there
    is), and a name or language it gives becomes the person's and reaches every
    link of theirs. A key no person has refuses the row. Without it, a row adds a
    new person; with `update`, it matches one of its customer's links only (email,
    phone, name: see `Matches`), never a person of another customer. Every row of
    one person must give them the same name and language.
    """

    columns = (CUSTOMER_COLUMN, PERSON_COLUMN, *CONTACT_PERSON_FIELDS, "roles")
    required_columns = (CUSTOMER_COLUMN, "first_name")
    what = "contact"

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        # customer id → the contacts written: their possible duplicates are
        # refreshed once, after the last batch (a number per contact).
        self.written_contacts: dict[int, list[int]] = defaultdict(list)
        # Read once for the whole file, not once per row.
        self.field_settings = ContactFieldSettings.load()
        self.roles: dict[str, ContactRole] = {}
        self.role_names = []
        for role in ContactRole.objects.all():
            self.roles[role.code.lower()] = role
            self.roles[role.name.lower()] = role
            self.role_names.append(role.name)
        # The persons the batch's rows name by key (see begin_batch).
        self._persons: dict[int, Person] = {}
        # person → the first line of the file that named them and a 32-bit hash
        # of each name field it gave, packed in one number (`_packed_names`: a
        # third of the memory of tuples, for a file of 100,000 persons): the
        # rows of one person must agree on their name.
        self.person_names: dict[int, int] = {}
        # (person, customer) of the links stored or added by earlier rows, for
        # the rows that add a link to a person by key (without `update`).
        self.linked: set[tuple[int, int]] = set()

    def begin_batch(self, records: Sequence[dict[str, str]]) -> None:
        super().begin_batch(records)
        # The batch's own, not kept: a person is seldom on more than a few lines,
        # and an export names 100,000 of them.
        self._persons = {}
        wanted = {
            key
            for record in records
            if (key := _person_key(record.get(PERSON_COLUMN, ""))) is not None
        }
        if wanted:
            self._persons = Person.objects.only("pk", *PERSON_NAME_FIELDS).in_bulk(
                wanted
            )

    def person(self, record: dict[str, str]) -> Person | None:
        """The person the row names by key (None: it names none), read by
        `begin_batch`; refused when there is no such person."""
        text = record.get(PERSON_COLUMN, "")
        if not text:
            return None
        key = _person_key(text)
        if key is None:
            raise ValidationError(
                {PERSON_COLUMN: gettext("A person's key is a whole number.")}
            )
        person = self._persons.get(key)
        if person is None:
            raise ValidationError(
                {
                    PERSON_COLUMN: gettext(
                        "No person has the key %(key)s: leave it empty to add a "
                        "new person."
                    )
                    % {"key": key}
                }
            )
        return person

    def build(self, record: dict[str, str]) -> ContactRow:
        customer = self.customer(record)
        person = self.person(record)
        fields = tuple(name for name in CONTACT_PERSON_FIELDS if name in record)
        contact = Contact(customer=customer, **{name: record[name] for name in fields})
        if person is not None:
            contact.person = person
            # What the file does not say of the person stays as it is.
            for name in set(PERSON_NAME_FIELDS) - set(fields):
                setattr(contact, name, getattr(person, name))
        contact.field_settings = self.field_settings
        errors: dict[str, list[ValidationError]] = {}
        roles = None
        if "roles" in record:
            roles, unknown = self.parse_roles(record["roles"])
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
            contact.full_clean(exclude=["customer", "person"])
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        row = ContactRow(contact=contact, roles=roles, fields=fields)
        absent = set(CONTACT_PERSON_FIELDS) - set(fields)
        if self.update and errors and set(errors) <= absent:
            row.missing, errors = ValidationError(errors), {}
        if errors:
            raise ValidationError(errors)
        return row

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

    def add(self, rows: Sequence[ContactRow]) -> None:
        created = contacts_bulk_create(
            contacts=[(row.contact, row.roles or []) for row in rows],
            batch_size=self.batch_size,
            refresh_duplicates=False,
        )
        self._written(created)

    def _written(self, contacts: Iterable[Contact]) -> None:
        for contact in contacts:
            self.written_contacts[contact.customer_id].append(contact.pk)

    def finish(self) -> None:
        # Once for the import, not once per batch.
        possible_duplicates_refresh_after_import(self.written_contacts)

    def refused_against_batch(
        self, rows: Sequence[tuple[int, "ContactRow | Contact"]]
    ) -> dict[int, ValidationError]:
        """A row giving Primary to a customer whose Primary is another contact's,
        stored or given by an earlier row, is refused at its roles (one query, only
        for a batch that gives Primary)."""
        wanting, keeping = [], set()
        for line, row in rows:
            contact, roles = (
                (row.contact, row.roles)
                if isinstance(row, ContactRow)
                else (row, row.new_roles)
            )
            if roles is None:
                continue
            if any(role.code == ContactRole.PRIMARY for role in roles):
                wanting.append((line, contact))
            if contact.pk is not None:
                keeping.add(contact.pk)
        if not wanting:
            return {}
        holders = {
            holder.customer_id: holder
            for holder in Contact.objects.filter(
                customer_id__in={contact.customer_id for _, contact in wanting},
                is_primary=True,
            ).exclude(pk__in=keeping)
        }
        refused = {}
        for line, contact in wanting:
            holder = holders.setdefault(contact.customer_id, contact)
            if holder is not contact:
                refused[line] = ValidationError(
                    {"roles": PRIMARY_TAKEN_MESSAGE % {"name": holder.full_name}}
                )
        return refused

    def customer_id(self, row: ContactRow) -> int:
        return row.contact.customer_id

    def customers_to_lock(self, rows: Sequence[tuple[int, ContactRow]]) -> set[int]:
        """The batch's customers, and the customers of every other link of the
        persons its rows name by key or (with `update`) could match: a new name
        is written to those links, under their customers' locks, taken first."""
        own = super().customers_to_lock(rows)
        keyed = {row.contact.person_id for _, row in rows if row.contact.person_id}
        persons: Any = keyed
        if self.update:
            persons = Contact.objects.filter(
                Q(person_id__in=keyed)
                | Q(pk__in=self._candidates([row for _, row in rows]).values("pk"))
            ).values("person_id")
        elif not keyed:
            return own
        return own | customers_of_persons(persons, but=own)

    def claim(self, line: int, row: ContactRow, target: Contact | None) -> None:
        person_id = target.person_id if target is not None else row.contact.person_id
        if person_id is None:
            return  # a new person
        if target is None and not self.update:
            link = (person_id, row.contact.customer_id)
            if link in self.linked:
                raise ValidationError({PERSON_COLUMN: ONE_LINK_PER_CUSTOMER_MESSAGE})
            self.linked.add(link)
        given = [name for name in PERSON_NAME_FIELDS if name in row.fields]
        names = _packed_names([getattr(row.contact, name) for name in given])
        packed = self.person_names.setdefault(person_id, line << _NAMES_BITS | names)
        first, first_names = packed >> _NAMES_BITS, packed & _NAMES_MASK
        if first != line and first_names != names:
            field = next(
                name
                for i, name in enumerate(given)
                if (names ^ first_names) >> (32 * i) & 0xFFFFFFFF
            )
            raise ValidationError(
                {
                    field: gettext(
                        "Line %(line)s gives this person another name or language: "
                        "give a person the same on each of their lines."
                    )
                    % {"line": first}
                }
            )

    def write(
        self, rows: Sequence[tuple[int, Any]], *, preview: bool = False
    ) -> WriteOutcome:
        if not self.update:
            keyed = [row.contact for _, row in rows if row.contact.person_id]
            if keyed:
                # The links the rows would add that exist already (one query).
                self.linked.update(
                    Contact.objects.filter(
                        person_id__in={c.person_id for c in keyed},
                        customer_id__in={c.customer_id for c in keyed},
                    ).values_list("person_id", "customer_id")
                )
        return super().write(rows, preview=preview)

    def _candidates(self, rows: Sequence[ContactRow]):
        """The stored links the rows could match, unlocked: their customers' links
        with the same email, phone or first name, or of the persons named by key."""
        contacts = [row.contact for row in rows]
        return (
            Contact.objects.filter(customer_id__in={c.customer_id for c in contacts})
            .annotate(email_key=Lower("email"))
            .filter(
                Q(email_key__in={c.email.lower() for c in contacts if c.email})
                | Q(phone__in={c.phone for c in contacts if c.phone})
                | Q(first_name__in={c.first_name for c in contacts})
                | Q(person_id__in={c.person_id for c in contacts if c.person_id})
            )
        )

    def stored(self, rows: Sequence[ContactRow], *, lock: bool) -> list[Contact]:
        # Locked (after their customers, the order of every writer), so none is
        # deleted or merged away between its match and its update.
        candidates = self._candidates(rows).order_by("created_at", "pk")
        if lock:
            candidates = candidates.select_for_update()
        candidates = list(candidates)
        role_ids: dict[int, set[int]] = {contact.pk: set() for contact in candidates}
        links = Contact.roles.through.objects.filter(contact_id__in=list(role_ids))
        for contact_id, role_id in links.values_list("contact_id", "contactrole_id"):
            role_ids[contact_id].add(role_id)
        for contact in candidates:
            contact.role_ids = role_ids[contact.pk]
        return candidates

    def keys(self, contact: Contact) -> list[Key]:
        keys = _contact_keys(contact)
        keys.append((contact.customer_id, "first", contact.first_name))
        if contact.person_id is not None:
            keys.append((contact.customer_id, "person", contact.person_id))
        return keys

    def row_keys(self, row: ContactRow) -> list[Key]:
        if row.contact.person_id is not None:
            # The person named by key: their link to the customer, or none.
            return [(row.contact.customer_id, "person", row.contact.person_id)]
        keys = _contact_keys(row.contact)
        if "last_name" not in row.fields:
            # The file does not say: the first name alone.
            keys[-1] = (row.contact.customer_id, "first", row.contact.first_name)
        return keys

    def new_object(self, row: ContactRow) -> Contact:
        if row.missing is not None:
            raise row.missing
        return row.contact

    def change(self, target: Contact, row: ContactRow) -> Contact | None:
        changed = [
            name
            for name in row.fields
            if getattr(target, name) != getattr(row.contact, name)
        ]
        roles = row.roles
        if roles is not None and {role.pk for role in roles} == target.role_ids:
            roles = None
        if not changed and roles is None:
            return None
        merged = copy.copy(target)
        for name in changed:
            setattr(merged, name, getattr(row.contact, name))
        # The customer read with its billing country: no query to read phones.
        merged.customer = row.contact.customer
        merged.field_settings = self.field_settings
        merged.full_clean(exclude=["customer", "person"])
        # The roles to set; None: as they are.
        merged.new_roles = roles
        return merged

    def save_changes(self, changes: Sequence[Contact]) -> None:
        written = contacts_bulk_update(
            contacts=[(contact, contact.new_roles) for contact in changes],
            batch_size=self.batch_size,
            refresh_duplicates=False,
        )
        self._written(written)

    @staticmethod
    def export_rows(customer_numbers: Iterable[str] | None = None) -> Iterator[tuple]:
        # One query, streamed: a contact's row once per role (roles in their
        # order), joined again here. Plain tuples: no model instance or prefetch
        # per contact.
        rows = (
            _of_customers(Contact.objects, customer_numbers)
            .order_by("customer__number", "pk", "roles__position", "roles__pk")
            .values_list(
                "pk",
                "customer__number",
                "person_id",
                *CONTACT_PERSON_FIELDS,
                "roles__code",
            )
        )
        for _, same_contact in groupby(
            rows.iterator(chunk_size=EXPORT_CHUNK), key=itemgetter(0)
        ):
            first, *others = same_contact
            codes = [code for *_, code in (first, *others) if code]
            yield (*first[1:-1], ROLE_SEPARATOR.join(codes))


_NAMES_BITS = 32 * len(PERSON_NAME_FIELDS)
_NAMES_MASK = (1 << _NAMES_BITS) - 1


def _packed_names(values: Sequence[str]) -> int:
    """A 32-bit hash of each value, side by side in one number."""
    packed = 0
    for i, value in enumerate(values):
        packed |= (hash(value) & 0xFFFFFFFF) << (32 * i)
    return packed


def _person_key(text: str) -> int | None:
    """A person's key as a file gives it; None when it is none."""
    # Up to 18 digits: any larger number is no key the database can hold.
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 18 else None


def _contact_keys(contact: Contact) -> list[Key]:
    """Email (in any case), phone, name: the order in which they decide."""
    keys: list[Key] = []
    if contact.email:
        keys.append((contact.customer_id, "email", contact.email.lower()))
    if contact.phone:
        keys.append((contact.customer_id, "phone", contact.phone))
    keys.append((contact.customer_id, "name", contact.first_name, contact.last_name))
    return keys


class ContactDetailRows(CustomerRows):
    """Contact details: kind (email, telephone, mobile, website, or the names on the
    contact card), value, description. The primary flags come from the primary rule;
    the export writes each kind's primary first, so a re-import makes it primary."""

    columns = (CUSTOMER_COLUMN, "kind", "value", "description")
    required_columns = (CUSTOMER_COLUMN, "kind", "value")
    what = "detail"
    # Whether the file has a description column (set by `build`).
    description_given = True

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
        # The same for every row of a file: without the column, an update leaves
        # the descriptions alone.
        self.description_given = "description" in record
        # The customer was just read by its number; the primary flag is set by the
        # primary rule when the batch is written.
        detail.full_clean(exclude=["customer"])
        return detail

    def add(self, rows: Sequence[ContactDetail]) -> None:
        contact_details_bulk_create(details=rows, batch_size=self.batch_size)

    def customer_id(self, row: ContactDetail) -> int:
        return row.customer_id

    def stored(
        self, rows: Sequence[ContactDetail], *, lock: bool
    ) -> list[ContactDetail]:
        # Not locked: every writer of details locks their customers (as the write
        # does), and the update then finds each detail again in its card.
        return list(
            ContactDetail.objects.filter(customer_id__in={d.customer_id for d in rows})
            .annotate(value_key=Lower("value"))
            .filter(value_key__in={detail.value.lower() for detail in rows})
            .order_by("-is_primary", "created_at", "pk")
        )

    def keys(self, detail: ContactDetail) -> list[Key]:
        # Emails in any case; phone numbers (E.164) and websites as stored.
        value = detail.value
        if detail.kind == ContactDetail.Kind.EMAIL:
            value = value.lower()
        return [(detail.customer_id, detail.kind, value)]

    row_keys = keys

    def new_object(self, row: ContactDetail) -> ContactDetail:
        return row

    def change(self, target: ContactDetail, row: ContactDetail) -> ContactDetail | None:
        description = row.description if self.description_given else target.description
        if (target.value, target.description) == (row.value, description):
            return None
        merged = copy.copy(target)
        merged.customer = row.customer
        merged.value, merged.description = row.value, description
        merged.full_clean(exclude=["customer"])
        return merged

    def save_changes(self, changes: Sequence[ContactDetail]) -> None:
        contact_details_bulk_update(details=changes, batch_size=self.batch_size)

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
