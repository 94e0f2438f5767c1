"""Generate a company's volume of data in PostgreSQL with `INSERT … SELECT
generate_series`, deterministically (every value is a function of the row number).

For N customers: 1.2 N addresses (a billing address each, a shipping address for one
in five), 5 N contacts (the first Primary, the second Order, the third Invoice), 1.8 N
contact details (a primary email each, a primary telephone for four in five) and 10 N
history rows (a "created" record of every row, and a "changed" record of every
customer). At N = 100,000 that is the issue's 100k / 120k / 500k / 180k / 1M.

Two customers are added on top, each with its own purpose:
- QUIET_NAME: 10 history rows of its own among all the others (the Activity tab);
- HEAVY_NAME: 200 contacts and 50 addresses (the admin's customer page).

Used by bench/scale.py; `python bench/volume.py 100000 cc_scale_100k` alone generates.
"""

import sys

QUIET_NAME = "Quillfeather Instruments"
HEAVY_NAME = "Heavyweight Holdings"
HEAVY_CONTACTS = 200
HEAVY_ADDRESSES = 50
BENCH_USER = "bench"
BENCH_PASSWORD = "bench-only-password"

_ADJECTIVES = [
    "Alpine",
    "Amber",
    "Arctic",
    "Atlas",
    "Aurora",
    "Birch",
    "Blue",
    "Bright",
    "Cedar",
    "Coastal",
    "Copper",
    "Crystal",
    "Delta",
    "Eastern",
    "Emerald",
    "Falcon",
    "Fjord",
    "Golden",
    "Granite",
    "Green",
    "Harbor",
    "Iron",
    "Juniper",
    "Lake",
    "Linden",
    "Maple",
    "Meridian",
    "Noble",
    "North",
    "Oak",
    "Orchard",
    "Pacific",
    "Pine",
    "Polar",
    "Quartz",
    "River",
    "Silver",
    "Summit",
    "Swift",
    "Zephyr",
]
_NOUNS = [
    "Foods",
    "Logistics",
    "Textiles",
    "Metals",
    "Systems",
    "Farms",
    "Furniture",
    "Pharma",
    "Optics",
    "Motors",
    "Media",
    "Bakeries",
    "Brewers",
    "Chemicals",
    "Dairy",
    "Electric",
    "Energy",
    "Fisheries",
    "Glassworks",
    "Hardware",
    "Instruments",
    "Kitchens",
    "Labs",
    "Leather",
    "Marine",
    "Mills",
    "Mining",
    "Paper",
    "Plastics",
    "Printing",
    "Robotics",
    "Shipping",
    "Software",
    "Steel",
    "Stone",
    "Tools",
    "Toys",
    "Trading",
    "Travel",
    "Water",
    "Wines",
    "Works",
    "Yards",
    "Apparel",
    "Audio",
    "Bikes",
    "Cables",
    "Ceramics",
    "Coffee",
    "Design",
]
_LEGAL = ["B.V.", "GmbH", "Ltd", "SA", "AB", "Oy", "NV", "SRL"]
_CITIES = [
    ("Amsterdam", "NL"),
    ("Rotterdam", "NL"),
    ("Utrecht", "NL"),
    ("Eindhoven", "NL"),
    ("Groningen", "NL"),
    ("Leiden", "NL"),
    ("Delft", "NL"),
    ("Haarlem", "NL"),
    ("Berlin", "DE"),
    ("Hamburg", "DE"),
    ("München", "DE"),
    ("Köln", "DE"),
    ("Frankfurt", "DE"),
    ("Leipzig", "DE"),
    ("Dresden", "DE"),
    ("Bremen", "DE"),
    ("Brussel", "BE"),
    ("Antwerpen", "BE"),
    ("Gent", "BE"),
    ("Liège", "BE"),
    ("Paris", "FR"),
    ("Lyon", "FR"),
    ("Marseille", "FR"),
    ("Lille", "FR"),
    ("London", "GB"),
    ("Manchester", "GB"),
    ("Leeds", "GB"),
    ("Bristol", "GB"),
    ("Wien", "AT"),
    ("Graz", "AT"),
    ("Zürich", "CH"),
    ("Basel", "CH"),
    ("København", "DK"),
    ("Aarhus", "DK"),
    ("Stockholm", "SE"),
    ("Göteborg", "SE"),
    ("Oslo", "NO"),
    ("Bergen", "NO"),
    ("Helsinki", "FI"),
    ("Tampere", "FI"),
    ("Madrid", "ES"),
    ("Barcelona", "ES"),
    ("Valencia", "ES"),
    ("Sevilla", "ES"),
    ("Milano", "IT"),
    ("Torino", "IT"),
    ("Bologna", "IT"),
    ("Napoli", "IT"),
    ("Lisboa", "PT"),
    ("Porto", "PT"),
    ("Dublin", "IE"),
    ("Cork", "IE"),
    ("Warszawa", "PL"),
    ("Kraków", "PL"),
    ("Praha", "CZ"),
    ("Brno", "CZ"),
    ("Budapest", "HU"),
    ("Ljubljana", "SI"),
    ("Zagreb", "HR"),
    ("Tallinn", "EE"),
]
_FIRST = [
    "Anna",
    "Bram",
    "Carla",
    "Daan",
    "Eva",
    "Finn",
    "Gerda",
    "Hugo",
    "Iris",
    "Jan",
    "Kees",
    "Lotte",
    "Maud",
    "Noah",
    "Olga",
    "Pieter",
    "Quinten",
    "Rosa",
    "Sven",
    "Tess",
    "Umar",
    "Vera",
    "Wim",
    "Xena",
    "Yara",
    "Zeno",
    "Ada",
    "Bas",
    "Cor",
    "Dirk",
    "Els",
    "Fleur",
    "Guus",
    "Hanna",
    "Ivo",
    "Joost",
    "Kim",
    "Lars",
    "Mila",
    "Nina",
]
_LAST = [
    "Jansen",
    "Visser",
    "Smit",
    "Bakker",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Dijkstra",
    "Meijer",
    "Kok",
    "Jacobs",
    "Vermeulen",
    "Schouten",
    "Willems",
    "Hoekstra",
    "Koster",
    "Prins",
    "Huisman",
    "Kuipers",
    "Maas",
    "Post",
    "Blom",
    "Kramer",
    "Wolters",
    "Boer",
    "Sanders",
    "Müller",
    "Schmidt",
    "Dubois",
    "Martin",
    "Rossi",
    "Lopez",
    "Novak",
    "Berg",
    "Lund",
    "Smith",
]


def _array(values) -> str:
    quoted = ", ".join("'" + value.replace("'", "''") + "'" for value in values)
    return f"ARRAY[{quoted}]"


def _pick(values, expression: str) -> str:
    """The SQL that picks one of the values for the row: by a hash of the expression
    (md5, the same on every run), so that no two columns are correlated (a country
    filter must not find all its customers at the end of the name order)."""
    hashed = f"('x' || substr(md5(({expression})::text), 1, 7))::bit(28)::int"
    return f"({_array(values)})[1 + ({hashed} % {len(values)})]"


def _number(expression: str) -> str:
    # As customers.services.customer_number_next() writes it: C00001, … C100000.
    return (
        f"'C' || CASE WHEN ({expression}) < 100000 "
        f"THEN lpad(({expression})::text, 5, '0') ELSE ({expression})::text END"
    )


def statements(size: int) -> list[str]:
    """The SQL that fills an empty, migrated database with `size` customers."""
    n = size
    quiet, heavy = n + 1, n + 2
    city = _pick([c for c, _ in _CITIES], "{x}")
    country = _pick([c for _, c in _CITIES], "{x}")
    start = "timestamptz '2024-01-01 08:00:00+00'"
    sql = []
    sql.append(
        f"""
        INSERT INTO customers_customer
            (id, number, name, is_active, notes, created_at, updated_at)
        SELECT i, {_number("i")},
            {_pick(_ADJECTIVES, "i * 7919")} || ' ' || {_pick(_NOUNS, "i * 104729")}
                || ' ' || {_pick(_LEGAL, "i / 7")},
            i % 20 <> 0, '', {start} + i * interval '1 minute',
            {start} + i * interval '1 minute'
        FROM generate_series(1::bigint, {n}) AS i;
        INSERT INTO customers_customer
            (id, number, name, is_active, notes, created_at, updated_at)
        VALUES ({quiet}, {_number(str(quiet))}, '{QUIET_NAME}', true, '',
                {start}, {start}),
               ({heavy}, {_number(str(heavy))}, '{HEAVY_NAME}', true, '',
                {start}, {start});
        """
    )
    # Billing addresses for all, shipping for one in five; the two special
    # customers: one billing address, and 1 billing + 49 shipping.
    sql.append(
        f"""
        INSERT INTO customers_address
            (customer_id, kind, street_line_1, street_line_2, postal_code, city,
             region, country, created_at, updated_at)
        SELECT i, 'billing', 'Main Street ' || (i % 300 + 1), '',
            lpad((1000 + i % 8999)::text, 4, '0'),
            {city.format(x="i * 31")}, '', {country.format(x="i * 31")},
            {start} + i * interval '1 minute', {start} + i * interval '1 minute'
        FROM generate_series(1::bigint, {n + 1}) AS i
        UNION ALL
        SELECT i, 'shipping', 'Dock ' || (i % 90 + 1), '', '9999',
            {city.format(x="i * 17")}, '', {country.format(x="i * 17")},
            {start} + i * interval '1 minute', {start} + i * interval '1 minute'
        FROM generate_series(5::bigint, {n}, 5) AS i
        UNION ALL
        SELECT {heavy}, CASE WHEN j = 1 THEN 'billing' ELSE 'shipping' END,
            'Warehouse ' || j, '', '1234', {city.format(x="j")}, '',
            {country.format(x="j")}, {start}, {start}
        FROM generate_series(1::bigint, {HEAVY_ADDRESSES}) AS j;
        """
    )
    first = _pick(_FIRST, "{x} * 13")
    last = _pick(_LAST, "{x} * 29")
    sql.append(
        f"""
        INSERT INTO contacts_contact
            (id, customer_id, first_name, last_name, email, phone, job_title,
             department, language, created_at, updated_at)
        SELECT k, c,
            {first.format(x="k")}, {last.format(x="k")},
            lower({first.format(x="k")}) || '.' || k || '@example.com',
            '+3120' || lpad((1000000 + k % 8999999)::text, 7, '0'),
            '', '', '',
            {start} + k * interval '1 second', {start} + k * interval '1 second'
        FROM (
            SELECT (i - 1) * 5 + j AS k, i AS c
            FROM generate_series(1::bigint, {n}) AS i,
                generate_series(1::bigint, 5) AS j
            UNION ALL
            SELECT {n} * 5 + j, {quiet} FROM generate_series(1::bigint, 2) AS j
            UNION ALL
            SELECT {n} * 5 + 2 + j, {heavy}
            FROM generate_series(1::bigint, {HEAVY_CONTACTS}) AS j
        ) AS rows;
        INSERT INTO contacts_contact_roles (contact_id, contactrole_id)
        SELECT contact.id, role.id
        FROM contacts_contact AS contact
        JOIN contacts_contactrole AS role ON role.code = CASE
            (contact.id - 1) % 5 WHEN 0 THEN 'primary' WHEN 1 THEN 'order'
            WHEN 2 THEN 'invoice' END;
        """
    )
    sql.append(
        f"""
        INSERT INTO contacts_contactdetail
            (customer_id, kind, value, description, is_primary, created_at,
             updated_at)
        SELECT i, 'email', 'info' || i || '@example.com', '', true, {start},
            {start}
        FROM generate_series(1::bigint, {n + 2}) AS i
        UNION ALL
        SELECT i, 'telephone',
            '+3130' || lpad((1000000 + i % 8999999)::text, 7, '0'), '', true,
            {start}, {start}
        FROM generate_series(1::bigint, {n + 1}) AS i WHERE i % 5 <> 0 OR i = {quiet};
        """
    )
    # History: a "created" record of every row (the quiet customer's at the end of
    # the series, so its rows are not the oldest nor the newest by accident), a
    # "changed" record of every customer.
    common = "history_date, history_type, history_user_id, history_change_reason"
    sql.append(
        f"""
        INSERT INTO customers_historicalcustomer
            (id, number, name, is_active, notes, created_at, updated_at, {common})
        SELECT id, number, name, is_active, notes, created_at, updated_at,
            created_at, '+', NULL::integer,
            NULL::varchar
        FROM customers_customer
        UNION ALL
        SELECT id, number, name, is_active, notes, created_at, updated_at,
            created_at + interval '30 days', '~', NULL::integer,
            NULL::varchar
        FROM customers_customer WHERE id <> {heavy};
        INSERT INTO customers_historicaladdress
            (id, customer_id, kind, street_line_1, street_line_2, postal_code, city,
             region, country, created_at, updated_at, {common})
        SELECT id, customer_id, kind, street_line_1, street_line_2, postal_code,
            city, region, country, created_at, updated_at, created_at, '+',
            NULL::integer,
            NULL::varchar
        FROM customers_address;
        INSERT INTO contacts_historicalcontact
            (id, customer_id, first_name, last_name, email, phone, job_title,
             department, language, created_at, updated_at, {common})
        SELECT id, customer_id, first_name, last_name, email, phone, job_title,
            department, language, created_at, updated_at, created_at, '+',
            NULL::integer,
            NULL::varchar
        FROM contacts_contact;
        INSERT INTO contacts_historicalcontact_roles
            (id, contact_id, contactrole_id, history_id)
        SELECT link.id, link.contact_id, link.contactrole_id, record.history_id
        FROM contacts_contact_roles AS link
        JOIN contacts_historicalcontact AS record ON record.id = link.contact_id;
        INSERT INTO contacts_historicalcontactdetail
            (id, customer_id, kind, value, description, is_primary, created_at,
             updated_at, {common})
        SELECT id, customer_id, kind, value, description, is_primary, created_at,
            updated_at, created_at, '+', NULL::integer,
            NULL::varchar
        FROM contacts_contactdetail;
        """
    )
    # The quiet customer: 2 customer + 1 address + 2 contacts + 2 details above;
    # three changes more make 10.
    sql.append(
        f"""
        INSERT INTO contacts_historicalcontact
            (id, customer_id, first_name, last_name, email, phone, job_title,
             department, language, created_at, updated_at, {common})
        SELECT id, customer_id, first_name, last_name, 'new.' || email, phone,
            job_title, department, language, created_at, updated_at,
            created_at + interval '2 days', '~', NULL::integer,
            NULL::varchar
        FROM contacts_contact WHERE customer_id = {quiet} ORDER BY id LIMIT 1;
        INSERT INTO contacts_historicalcontactdetail
            (id, customer_id, kind, value, description, is_primary, created_at,
             updated_at, {common})
        SELECT id, customer_id, kind, value, 'Reception', is_primary, created_at,
            updated_at, created_at + interval '3 days', '~', NULL::integer,
            NULL::varchar
        FROM contacts_contactdetail WHERE customer_id = {quiet} AND kind = 'email';
        INSERT INTO customers_historicaladdress
            (id, customer_id, kind, street_line_1, street_line_2, postal_code, city,
             region, country, created_at, updated_at, {common})
        SELECT id, customer_id, kind, 'Harbour Road 1', street_line_2, postal_code,
            city, region, country, created_at, updated_at,
            created_at + interval '4 days', '~', NULL::integer,
            NULL::varchar
        FROM customers_address WHERE customer_id = {quiet};
        """
    )
    for table in [
        "customers_customer",
        "customers_address",
        "contacts_contact",
        "contacts_contact_roles",
        "contacts_contactdetail",
    ]:
        sql.append(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"(SELECT max(id) FROM {table}));"
        )
    sql.append(
        f"""
        INSERT INTO core_numbersequence (name, last_value, created_at, updated_at)
        VALUES ('customer', {heavy}, now(), now())
        ON CONFLICT (name) DO UPDATE SET last_value = EXCLUDED.last_value;
        """
    )
    return sql


def generate(size: int) -> None:
    """Migrate the database Django is configured with and fill it (it must be empty)."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, transaction

    call_command("migrate", verbosity=0)
    with transaction.atomic(), connection.cursor() as cursor:
        # Rows go in as a replica applies them, without triggers (the billing copy
        # of customers 0006 would rewrite a customer per address); one statement
        # fills the copies afterwards.
        cursor.execute("SET LOCAL session_replication_role = replica")
        for statement in statements(size):
            cursor.execute(statement)
        cursor.execute("SET LOCAL session_replication_role = origin")
        cursor.execute("UPDATE customers_customer SET billing_city = NULL")
    get_user_model().objects.create_superuser(
        BENCH_USER, "bench@example.com", BENCH_PASSWORD
    )
    # Statistics and the visibility map as a live database has them (autovacuum
    # would get there; the benchmark should not depend on when).
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")


if __name__ == "__main__":
    import os

    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:5432/{sys.argv[2]}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
    import django

    django.setup()
    generate(int(sys.argv[1]))
