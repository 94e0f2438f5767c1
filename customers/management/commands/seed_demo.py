"""Demo data for a local installation: customers with addresses, and one user per
default group plus an administrator. Running it again adds only what is missing."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from contacts.demo import demo_contact_details, demo_contacts_create
from customers.models import Address, Customer
from customers.services import address_create, customer_create
from sales.demo import seed_demo_documents

DEMO_PASSWORD = "contacts-demo"
DEMO_USERS = [
    # username, group (None: superuser), first name
    ("admin", None, "Ada"),
    ("manager", "Sales manager", "Maria"),
    ("staff", "Sales staff", "Sam"),
    ("viewer", "Sales viewer", "Vera"),
]

# country, cities with postal codes, street names, company name pattern
COUNTRIES = [
    (
        "NL",
        [("1012 AB", "Amsterdam"), ("3011 AA", "Rotterdam"), ("3511 LN", "Utrecht")],
        ["Keizersgracht", "Coolsingel", "Oudegracht"],
        "{} B.V.",
    ),
    (
        "DE",
        [("10115", "Berlin"), ("80331", "München"), ("20095", "Hamburg")],
        ["Friedrichstraße", "Marienplatz", "Mönckebergstraße"],
        "{} GmbH",
    ),
    (
        "US",
        [("10001", "New York"), ("94105", "San Francisco"), ("60601", "Chicago")],
        ["Broadway", "Market Street", "Michigan Avenue"],
        "{} Inc.",
    ),
    (
        "GB",
        [("EC1A 1BB", "London"), ("M1 1AE", "Manchester"), ("EH1 1YZ", "Edinburgh")],
        ["Baker Street", "Deansgate", "Princes Street"],
        "{} Ltd",
    ),
    (
        "BE",
        [("1000", "Brussel"), ("2000", "Antwerpen"), ("9000", "Gent")],
        ["Wetstraat", "Meir", "Veldstraat"],
        "{} BV",
    ),
    (
        "FR",
        [("75001", "Paris"), ("69001", "Lyon"), ("13001", "Marseille")],
        ["Rue de Rivoli", "Rue de la République", "La Canebière"],
        "{} SARL",
    ),
    (
        "SE",
        [("111 51", "Stockholm"), ("411 03", "Göteborg")],
        ["Drottninggatan", "Kungsgatan"],
        "{} AB",
    ),
]
NAMES = [
    "Aurora",
    "Beacon",
    "Cobalt",
    "Delta",
    "Ember",
    "Fjord",
    "Granite",
    "Harbor",
    "Iris",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Nimbus",
    "Orchid",
    "Pioneer",
    "Quarry",
    "Redwood",
    "Summit",
    "Tidal",
    "Umber",
    "Vertex",
    "Willow",
    "Xenon",
    "Yarrow",
    "Zephyr",
    "Alder",
    "Birch",
    "Cedar",
    "Dune",
    "Elm",
    "Fern",
    "Grove",
    "Heath",
    "Indigo",
    "Jade",
    "Kelp",
    "Linden",
    "Maple",
    "Nova",
    "Oak",
    "Pine",
    "Quill",
    "Rowan",
    "Sage",
    "Thorn",
    "Upland",
    "Vale",
    "Wren",
    "Yew",
]
TRADES = ["Trading", "Logistics", "Foods", "Engineering", "Textiles", "Systems"]


def demo_customers():
    """Fifty customers spread over the countries, each with its addresses."""
    for index, name in enumerate(NAMES):
        country, cities, streets, pattern = COUNTRIES[index % len(COUNTRIES)]
        postal_code, city = cities[index % len(cities)]
        street = streets[index % len(streets)]
        company = pattern.format(f"{name} {TRADES[index % len(TRADES)]}")
        addresses = [
            dict(
                kind=Address.Kind.BILLING,
                street_line_1=f"{street} {index + 1}",
                postal_code=postal_code,
                city=city,
                country=country,
            ),
        ]
        if index % 3 == 0:
            ship_code, ship_city = cities[(index + 1) % len(cities)]
            addresses.append(
                dict(
                    kind=Address.Kind.SHIPPING,
                    street_line_1=f"Dock {index + 1}",
                    postal_code=ship_code,
                    city=ship_city,
                    country=country,
                )
            )
        yield company, addresses


class Command(BaseCommand):
    help = "Create demo customers and demo users (one per default group, and an admin)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-users",
            action="store_true",
            help="Create the demo data only, not the demo users.",
        )

    @transaction.atomic
    def handle(self, *args, no_users: bool = False, **options):
        if not no_users and not settings.DEBUG:
            raise CommandError(
                "Refusing to create demo users with DEBUG off: their passwords are "
                "public. Use --no-users to create only the demo data."
            )
        created = contacts = details = 0
        for index, (company, addresses) in enumerate(demo_customers()):
            customer = Customer.objects.filter(name=company).first()
            if customer is None:
                customer = customer_create(name=company)
                for address in addresses:
                    address_create(customer=customer, **address)
                created += 1
            contacts += demo_contacts_create(customer=customer, index=index)
            if not customer.contact_details.exists():
                details += len(demo_contact_details(customer=customer, index=index))
        self.stdout.write(
            f"Demo customers: {created} created, {Customer.objects.count()} in all."
        )
        self.stdout.write(f"Demo contacts: {contacts} created.")
        self.stdout.write(f"Demo contact details: {details} created.")
        self.stdout.write(
            f"Demo documents: {seed_demo_documents()} customers given some."
        )
        if not no_users:
            self._create_users()

    def _create_users(self):
        User = get_user_model()
        self.stdout.write(f"Demo users (password for all: {DEMO_PASSWORD}):")
        for username, group_name, first_name in DEMO_USERS:
            user, _ = User.objects.get_or_create(
                username=username, defaults={"first_name": first_name}
            )
            user.set_password(DEMO_PASSWORD)
            user.is_staff = group_name is None
            user.is_superuser = group_name is None
            user.save()
            if group_name:
                user.groups.set([Group.objects.get(name=group_name)])
            role = group_name or "administrator"
            self.stdout.write(f"  {username:<8} {role}")
        self.stdout.write("Sign in at http://127.0.0.1:8000/")
