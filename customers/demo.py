"""Demo customers with their addresses, for `manage.py seed_demo`: fifty customers in
seven countries, made through the customer services."""

from customers.models import Address, Customer
from customers.services import address_create, customer_create

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


def demo_customer_names() -> list[str]:
    """The demo customers' names, in the order they are created: higher apps seed
    their part of the demo for these customers, by this index."""
    return [company for company, _ in demo_customers()]


def seed_demo_customers() -> str:
    created = 0
    for company, addresses in demo_customers():
        if Customer.objects.filter(name=company).exists():
            continue
        customer = customer_create(name=company)
        for address in addresses:
            address_create(customer=customer, **address)
        created += 1
    return f"Demo customers: {created} created, {Customer.objects.count()} in all."
