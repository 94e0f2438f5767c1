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

FIRST_NAMES = ["Anna", "Bram", "Clara", "David", "Eva", "Finn", "Greta", "Hugo"]
LAST_NAMES = ["Jansen", "Müller", "Smith", "Taylor", "Peeters", "Martin", "Berg"]
# Per person: job title and department in English, and the role codes.
PEOPLE = [
    ("Purchasing Manager", "Purchasing", [ContactRole.PRIMARY, ContactRole.ORDER]),
    ("Accounts Payable Clerk", "Finance", [ContactRole.INVOICE]),
    ("Warehouse Lead", "Logistics", [ContactRole.SHIPMENT]),
]
# The same jobs in the language of the customer's country (as its people would
# have typed them in); English elsewhere.
JOBS_BY_LANGUAGE = {
    "nl": [
        ("Inkoopmanager", "Inkoop"),
        ("Medewerker crediteurenadministratie", "Financiën"),
        ("Teamleider magazijn", "Logistiek"),
    ],
    "de": [
        ("Einkaufsleiterin", "Einkauf"),
        ("Sachbearbeiter Kreditorenbuchhaltung", "Finanzen"),
        ("Lagerleiter", "Logistik"),
    ],
    "fr": [
        ("Responsable des achats", "Achats"),
        ("Comptable fournisseurs", "Finance"),
        ("Chef d'entrepôt", "Logistique"),
    ],
    "sv": [
        ("Inköpschef", "Inköp"),
        ("Reskontraansvarig", "Ekonomi"),
        ("Lagerchef", "Logistik"),
    ],
}
COUNTRY_LANGUAGES = {"NL": "nl", "BE": "nl", "DE": "de", "FR": "fr", "SE": "sv"}


def demo_phone_number(region: str | None, kind: PhoneNumberType, counter: int):
    """A valid number of the country, one per counter (0–9999): the phone library's
    example number of that kind with its last four digits replaced by the counter,
    so that no two demo people or cards share a number. None when the country has no
    example, or the number made is not valid (then the demo leaves the phone out)."""
    example = phonenumbers.example_number_for_type(region, kind) if region else None
    if example is None:
        return None
    national = str(example.national_number)
    number = phonenumbers.parse(
        f"+{example.country_code}{national[:-4]}{counter % 10_000:04d}"
    )
    if not phonenumbers.is_valid_number(number) or (
        phonenumbers.number_type(number)
        not in (kind, PhoneNumberType.FIXED_LINE_OR_MOBILE)
    ):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def _typo(name: str) -> str:
    """A letter dropped: "David" typed in a hurry as "Davd"."""
    return name[:-2] + name[-1:] if len(name) > 2 else name


def demo_contacts_create(*, customer: Customer, index: int) -> int:
    """Two or three contacts with roles for a customer that has none yet; returns how
    many were created. The people of Dutch customers read their emails in Dutch; job
    titles are in the customer's language. Every seventh customer has no Primary
    contact, to show the Contacts tab's notice. Two kinds of possible duplicate show
    Possible duplicates and merging: every tenth customer has its first contact typed
    in again with a letter dropped ("Davd Smith" beside "David Smith", the same
    email, another number); another every tenth has its second contact entered again
    with a new email address (the same name). Every phone number is valid and no two
    are the same."""
    if customer.contacts.exists():
        return 0
    roles = {role.code: role for role in ContactRole.objects.all()}
    region = customer_phone_region(customer=customer) or ""
    language = COUNTRY_LANGUAGES.get(region, "")
    jobs = JOBS_BY_LANGUAGE.get(language, [person[:2] for person in PEOPLE])
    domain = f"{slugify(customer.name)}.example.com"
    people = PEOPLE if index % 2 == 0 else PEOPLE[:2]

    def phone(number: int) -> str:
        # Ten numbers per customer; the counter is the customer's index.
        return (
            demo_phone_number(region, PhoneNumberType.MOBILE, index * 10 + number) or ""
        )

    for number, (_title, _department, codes) in enumerate(people):
        first_name = FIRST_NAMES[(index + number * 3) % len(FIRST_NAMES)]
        last_name = LAST_NAMES[(index * 2 + number) % len(LAST_NAMES)]
        if index % 7 == 6:
            codes = [code for code in codes if code != ContactRole.PRIMARY]
        job_title, department = jobs[number]
        contact_create(
            customer=customer,
            first_name=first_name,
            last_name=last_name,
            email=f"{slugify(first_name)}.{slugify(last_name)}@{domain}",
            phone=phone(number),
            job_title=job_title,
            department=department,
            roles=[roles[code] for code in codes if code in roles],
            # Dutch customers' people read their emails in Dutch.
            language="nl" if region == "NL" else "",
        )
    contacts = list(customer.contacts.order_by("pk"))
    if index % 10 == 3:
        first = contacts[0]
        contact_create(
            customer=customer,
            first_name=_typo(first.first_name),
            last_name=first.last_name,
            email=first.email,
            # His direct line this time.
            phone=phone(6),
            job_title=first.job_title,
            # A customer has one Primary: the near-duplicate has the other roles.
            roles=first.roles.exclude(code=ContactRole.PRIMARY),
            language=first.language,
        )
        return len(people) + 1
    if index % 10 == 7:
        second = contacts[1]
        contact_create(
            customer=customer,
            first_name=second.first_name,
            last_name=second.last_name,
            email=f"{slugify(second.first_name)}@{domain}",
            phone=phone(5),
            job_title=second.job_title,
            department=second.department,
            roles=second.roles.all(),
            language=second.language,
        )
        return len(people) + 1
    return len(people)


def demo_contact_details(*, customer: Customer, index: int) -> list[ContactDetail]:
    """The demo card of one customer. Every fifth card stays empty, to show the empty
    state; some carry a "Billing Contact" or "Emergency Contact"."""
    if index % 5 == 4:
        return []
    domain = "".join(ch for ch in customer.name.lower() if ch.isalnum())[:20]
    domain = f"{domain}.example"
    region = customer_phone_region(customer=customer)
    rows = [("email", f"info@{domain}", ""), ("website", domain, "")]
    # The card's numbers have counters of their own (8 and 9 of the customer's ten
    # mobiles, 5000 on for the landlines: some countries' examples of both kinds are
    # alike), apart from its people's.
    landline = demo_phone_number(region, PhoneNumberType.FIXED_LINE, 5000 + index)
    mobile = demo_phone_number(region, PhoneNumberType.MOBILE, index * 10 + 8)
    emergency = demo_phone_number(region, PhoneNumberType.MOBILE, index * 10 + 9)
    if landline:
        rows.append(("telephone", landline, "Reception" if index % 2 else ""))
    if mobile and index % 3 == 0:
        rows.append(("mobile", mobile, ""))
    if index % 2 == 0:
        rows.append(("email", f"billing@{domain}", "Billing Contact"))
    if emergency and index % 4 == 1:
        rows.append(("mobile", emergency, "Emergency Contact"))
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
