"""Demo contact persons for `manage.py seed_demo`, created through contacts.services
so they pass the same rules as a person typing them in."""

import phonenumbers
from django.utils.text import slugify
from phonenumbers import PhoneNumberType

from contacts.models import ContactDetail, ContactRole
from contacts.services.card import contact_detail_create
from contacts.services.links import contact_create
from customers.demo import demo_customer_names
from customers.models import Customer
from customers.selectors import customer_phone_region

PHONE_PATTERNS = {
    "NL": "06 1234 56{nn}",
    "DE": "030 1234 56{nn}",
    "US": "(201) 555-01{nn}",
    "GB": "020 7946 01{nn}",
    "BE": "0470 12 34 {nn}",
    "FR": "01 23 45 67 {nn}",
    "SE": "08-123 456 {nn}",
}
FIRST_NAMES = ["Anna", "Bram", "Clara", "David", "Eva", "Finn", "Greta", "Hugo"]
LAST_NAMES = ["Jansen", "Müller", "Smith", "Taylor", "Peeters", "Martin", "Berg"]
# job title, department, role codes
PEOPLE = [
    ("Purchasing Manager", "Purchasing", [ContactRole.PRIMARY, ContactRole.ORDER]),
    ("Accounts Payable Clerk", "Finance", [ContactRole.INVOICE]),
    ("Warehouse Lead", "Logistics", [ContactRole.SHIPMENT]),
]


def demo_contacts_create(*, customer: Customer, index: int) -> int:
    """Two or three contacts with roles for a customer that has none yet; returns how
    many were created. The people of Dutch customers read their emails in Dutch. Every
    seventh customer has no Primary contact, to show the
    Contacts tab's notice; every tenth has its first contact typed in a second time
    (a letter dropped, the same email and phone), to show Possible duplicates and
    merging."""
    if customer.contacts.exists():
        return 0
    roles = {role.code: role for role in ContactRole.objects.all()}
    region = customer_phone_region(customer=customer) or ""
    pattern = PHONE_PATTERNS.get(region)
    # Dutch customers' people read their emails in Dutch.
    language = "nl" if region == "NL" else ""
    domain = f"{slugify(customer.name)}.example.com"
    people = PEOPLE if index % 2 == 0 else PEOPLE[:2]
    for number, (job_title, department, codes) in enumerate(people):
        first_name = FIRST_NAMES[(index + number * 3) % len(FIRST_NAMES)]
        last_name = LAST_NAMES[(index * 2 + number) % len(LAST_NAMES)]
        if index % 7 == 6:
            codes = [code for code in codes if code != ContactRole.PRIMARY]
        contact_create(
            customer=customer,
            first_name=first_name,
            last_name=last_name,
            email=f"{slugify(first_name)}.{slugify(last_name)}@{domain}",
            phone=pattern.format(nn=f"{(index * 3 + number) % 100:02d}")
            if pattern
            else "",
            job_title=job_title,
            department=department,
            roles=[roles[code] for code in codes if code in roles],
            language=language,
        )
    if index % 10 == 3:
        first = customer.contacts.order_by("pk").first()
        contact_create(
            customer=customer,
            first_name=first.first_name[:-1] or first.first_name,
            last_name=first.last_name,
            email=first.email,
            phone=first.phone,
            # A customer has one Primary: the near-duplicate has the other roles.
            roles=first.roles.exclude(code=ContactRole.PRIMARY),
            language=first.language,
        )
        return len(people) + 1
    return len(people)


def _example_number(region: str | None, kind: PhoneNumberType) -> str | None:
    """A valid number of the country (the phone library's own example)."""
    number = phonenumbers.example_number_for_type(region, kind) if region else None
    if number is None:
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def demo_contact_details(*, customer: Customer, index: int) -> list[ContactDetail]:
    """The demo card of one customer. Every fifth card stays empty, to show the empty
    state; some carry a "Billing Contact" or "Emergency Contact"."""
    if index % 5 == 4:
        return []
    domain = "".join(ch for ch in customer.name.lower() if ch.isalnum())[:20]
    domain = f"{domain}.example"
    region = customer_phone_region(customer=customer)
    rows = [("email", f"info@{domain}", ""), ("website", domain, "")]
    landline = _example_number(region, PhoneNumberType.FIXED_LINE)
    mobile = _example_number(region, PhoneNumberType.MOBILE)
    if landline:
        rows.append(("telephone", landline, "Reception" if index % 2 else ""))
    if mobile and index % 3 == 0:
        rows.append(("mobile", mobile, ""))
    if index % 2 == 0:
        rows.append(("email", f"billing@{domain}", "Billing Contact"))
    if mobile and index % 4 == 1:
        rows.append(("mobile", mobile, "Emergency Contact"))
    return [
        contact_detail_create(
            customer=customer, kind=kind, value=value, description=description
        )
        for kind, value, description in rows
    ]


def seed_demo_contacts() -> str:
    """Contacts and contact cards for the demo customers that have none yet."""
    contacts = details = 0
    for index, name in enumerate(demo_customer_names()):
        customer = Customer.objects.filter(name=name).first()
        if customer is None:
            continue
        contacts += demo_contacts_create(customer=customer, index=index)
        if not customer.contact_details.exists():
            details += len(demo_contact_details(customer=customer, index=index))
    return (
        f"Demo contacts: {contacts} created.\nDemo contact details: {details} created."
    )
