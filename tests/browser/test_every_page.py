"""Every page, at 1280 and at 360 pixels wide: axe-core finds no violation of WCAG
2.2 AA, and at 320 pixels nothing scrolls sideways (WCAG 1.4.10).

The pages come from the URL resolver: `test_every_page_is_checked` fails when a URL
is added without a line in PAGES, so a new page is checked from its first day.

One module-wide set of data and one signed-in browser context serve every page, so
the check of each costs two runs of axe and no set-up: the data is written once,
committed, and removed when the module ends.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from communications.suppressions import suppression_create
from communications.webhooks import tracking_urlpatterns
from contacts.models import PossibleDuplicate
from contacts.services.card import contact_detail_create
from contacts.services.links import contact_create
from customers import services as customer_services
from sales.models import Invoice, SalesOrder, Shipment
from sales.services import document_create, document_send
from tests.contacts.factories import role
from transfers.services import import_job_create

pytestmark = pytest.mark.browser

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
WIDTHS = (1280, 360)
NARROWEST = 320
PASSWORD = "secret-password"


@dataclass
class Demo:
    """What the pages show: one customer with everything a customer can have."""

    customer: object
    address: object
    contact: object
    namesake: object  # a possible duplicate of `contact`
    order: object
    invoice: object
    shipment: object
    suppression: object  # of the bounced billing address
    import_job: object  # a previewed import with a refused line
    same_person: object  # `contact` held as another person at another customer


def customer_page(name):
    return lambda d: reverse(name, args=[d.customer.pk])


def of_customer(name, obj):
    return lambda d: reverse(
        name, kwargs={"customer_pk": d.customer.pk, "pk": getattr(d, obj).pk}
    )


def document_pages(kind, obj):
    return {
        f"sales:{kind}_list": lambda d: reverse(f"sales:{kind}_list"),
        f"sales:{kind}_choose_customer": lambda d: (
            reverse(f"sales:{kind}_choose_customer") + "?q=Fjord"
        ),
        f"sales:{kind}_create": customer_page(f"sales:{kind}_create"),
        f"sales:{kind}_detail": of_customer(f"sales:{kind}_detail", obj),
        f"sales:{kind}_update": of_customer(f"sales:{kind}_update", obj),
        f"sales:{kind}_send": of_customer(f"sales:{kind}_send", obj),
    }


# URL name: the path of its page with the demo's objects.
PAGES = {
    "login": lambda d: reverse("login"),
    "customers:list": lambda d: reverse("customers:list"),
    "customers:create": lambda d: reverse("customers:create"),
    "customers:detail": customer_page("customers:detail"),
    "customers:update": customer_page("customers:update"),
    "customers:addresses": customer_page("customers:addresses"),
    "customers:address_create": customer_page("customers:address_create"),
    "customers:address_update": of_customer("customers:address_update", "address"),
    "customers:address_delete": of_customer("customers:address_delete", "address"),
    "contacts:list": customer_page("contacts:list"),
    "contacts:create": customer_page("contacts:create"),
    "contacts:update": of_customer("contacts:update", "contact"),
    "contacts:delete": of_customer("contacts:delete", "contact"),
    "privacy:person": lambda d: reverse("privacy:person", args=[d.contact.person_id]),
    "contacts:contact_details_edit": customer_page("contacts:contact_details_edit"),
    "contacts:merge": lambda d: reverse(
        "contacts:merge",
        kwargs={
            "customer_pk": d.customer.pk,
            "pk": d.contact.pk,
            "other_pk": d.namesake.pk,
        },
    ),
    "duplicates:list": lambda d: reverse("duplicates:list"),
    "duplicates:link": lambda d: reverse("duplicates:link", args=[d.same_person.pk]),
    "persons:detail": lambda d: reverse("persons:detail", args=[d.contact.person_id]),
    "transfers:new": lambda d: reverse("transfers:new"),
    "transfers:job": lambda d: reverse("transfers:job", args=[d.import_job.pk]),
    "search:results": lambda d: reverse("search:results") + "?q=Vries",
    "activity:list": customer_page("activity:list"),
    "communications:failed": lambda d: reverse("communications:failed"),
    "communications:suppression_lift": lambda d: reverse(
        "communications:suppression_lift",
        kwargs={"customer_pk": d.customer.pk, "pk": d.suppression.pk},
    ),
    **document_pages("order", "order"),
    **document_pages("invoice", "invoice"),
    **document_pages("shipment", "shipment"),
    # The API's reference (Swagger UI from local files).
    "api:docs": lambda d: reverse("api:docs"),
    # The admin's page of a customer, with its inlines.
    "admin:customers_customer_change": lambda d: reverse(
        "admin:customers_customer_change", args=[d.customer.pk]
    ),
}
DOCUMENTS = ("salesorder", "invoice", "shipment")
# URLs that are no page of their own.
NOT_PAGES = {
    "home": "redirects to the customer list",
    "favicon": "redirects to the icon",
    "logout": "a POST that signs out",
    "core:language": "a POST from the header's language choice",
    "duplicates:not_a_duplicate": "a POST from the Possible duplicates page",
    "communications:retry": "a POST from the Failed communications page",
    "transfers:confirm": "a POST from an import's preview",
    "transfers:report": "an import's report (CSV)",
    "contacts:export_contacts": "a CSV download",
    "contacts:export_contact-details": "a CSV download",
    "exports:contacts": "a CSV download",
    "exports:contact-details": "a CSV download",
    **{
        f"communications:anymail:{pattern.name}": "the mail provider's webhook"
        for pattern in tracking_urlpatterns()
    },
    "api:schema": "the OpenAPI document (YAML)",
    "api:not_found": "the API's JSON 404",
    **{
        f"api:{resource}-{view}": "a JSON API operation"
        for resource in ("customer", "contactdetail", "contact", "person", *DOCUMENTS)
        for view in ("list", "detail", *(("send",) if resource in DOCUMENTS else ()))
    },
}


def url_names(patterns=None, namespace=""):
    """Every named URL of the project, with its namespace ("contacts:list")."""
    names = set()
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else ""
            names |= url_names(pattern.url_patterns, inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def test_every_page_is_checked():
    """The admin's pages are Django's own; of them, the customer's page is ours."""
    project = {name for name in url_names() if not name.startswith("admin:")}
    missing = project - set(PAGES) - set(NOT_PAGES)
    assert not missing, f"Add these pages to PAGES (or NOT_PAGES): {sorted(missing)}"


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The data of every page, written once for the module and committed, so the
    live server sees it; removed (flushed) when the module ends."""
    with django_db_blocker.unblock():
        user = get_user_model().objects.create_superuser(
            "ada", "ada@example.com", PASSWORD, first_name="Ada", last_name="Admin"
        )
        customer = customer_services.customer_create(
            name="Fjord Foods B.V.", notes="Delivers on Mondays."
        )
        address = customer_services.address_create(
            customer=customer,
            kind="billing",
            street_line_1="Oudegracht 12",
            postal_code="3511 LN",
            city="Utrecht",
            country="NL",
        )
        contact = contact_create(
            customer=customer,
            first_name="Anna",
            last_name="de Vries",
            email="anna.de.vries@fjord-foods.example.com",
            phone="06 12345678",
            job_title="Buyer",
            department="Purchasing",
            roles=[role("primary"), role("invoice")],
        )
        namesake = contact_create(
            customer=customer,
            first_name="Anne",
            last_name="de Vries",
            email="anna.de.vries@fjord-foods.example.com",
            roles=[role("order")],
        )
        for kind, value, description in [
            ("email", "info@fjord-foods.example.com", "General enquiries"),
            ("telephone", "020 123 4567", "Reception"),
            ("mobile", "06 87654321", ""),
            ("website", "fjord-foods.example.com", ""),
            ("email", "billing@fjord-foods.example.com", "Billing Contact"),
        ]:
            contact_detail_create(
                customer=customer, kind=kind, value=value, description=description
            )
        documents = {
            kind: document_create(
                kind=kind,
                customer=customer,
                contact=contact,
                date=datetime.date(2026, 3, 1),
                reference="PO-4711",
                **fields,
            )
            for kind, fields in [
                (SalesOrder, {"amount": Decimal("1250.00")}),
                (Invoice, {"amount": Decimal("1250.00"), "currency": "USD"}),
                (Shipment, {"carrier": "PostNL", "tracking_code": "3S0001"}),
            ]
        }
        document_send(document=documents[Invoice], sent_by=user)
        # The billing address bounced: suppressed, and its email failed.
        suppression = suppression_create(
            email="billing@fjord-foods.example.com",
            reason="hard_bounce",
            detail="550 5.1.1 The email account does not exist",
        )
        for delivery in document_send(document=documents[SalesOrder], sent_by=user):
            delivery.status = "failed"
            delivery.last_error = "550 5.1.1 The email account does not exist"
            delivery.save()
        # Anna at another customer, as another person: "the same person?" (the
        # pair is found once the write commits).
        contact_create(
            customer=customer_services.customer_create(name="Nordic Bakeries AB"),
            first_name="Anna",
            last_name="de Vries",
            email="anna.de.vries@fjord-foods.example.com",
        )
        same_person = PossibleDuplicate.objects.filter(
            other_customer__isnull=False
        ).earliest("pk")
        import_job = import_job_create(
            user=user,
            kind="contacts",
            name="contacts.csv",
            content=(
                "customer_number,first_name,last_name,email\n"
                f"{customer.number},Piet,Bakker,piet@fjord-foods.example.com\n"
                f"{customer.number},Kees,,not an email\n"
            ).encode(),
            update=False,
        )
        yield Demo(
            import_job=import_job,
            customer=customer,
            address=address,
            contact=contact,
            namesake=namesake,
            order=documents[SalesOrder],
            invoice=documents[Invoice],
            shipment=documents[Shipment],
            suppression=suppression,
            same_person=same_person,
        )
        call_command("flush", interactive=False, verbosity=0)


@pytest.fixture
def _live_server_helper(live_server):
    """pytest-django's own helper gives every test with the live server a database
    that is emptied after each test. These tests read the module's data instead
    (`demo`), so they share it and write nothing."""
    live_server._live_server_modified_settings.enable()
    yield
    live_server._live_server_modified_settings.disable()


def _context(chromium, live_server, *, signed_in: bool):
    context = chromium.new_context(base_url=live_server.url)
    context.set_default_timeout(10_000)
    # axe-core in every page before its own scripts, whatever its CSP says.
    context.add_init_script(AXE_SCRIPT)
    if signed_in:
        page = context.new_page()
        page.goto(reverse("login"))
        page.get_by_label("Username").fill("ada")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/customers/")
        page.close()
    return context


@pytest.fixture(scope="module")
def signed_in(chromium, live_server, demo):
    context = _context(chromium, live_server, signed_in=True)
    yield context
    context.close()


@pytest.fixture(scope="module")
def signed_out(chromium, live_server, demo):
    context = _context(chromium, live_server, signed_in=False)
    yield context
    context.close()


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.2 AA violations on the page as it is now, one line each."""
    results = page.evaluate(
        "options => axe.run(document, options)",
        {"runOnly": {"type": "tag", "values": WCAG_22_AA}, "resultTypes": []},
    )
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in results["violations"]
    ]


def check(page) -> list[str]:
    """Problems of the page at each width, prefixed by the width."""
    problems = []
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 800})
        problems += [f"{width} px: {line}" for line in axe_violations(page)]
    page.set_viewport_size({"width": NARROWEST, "height": 640})
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    if scroll_width > NARROWEST:
        problems.append(
            f"{NARROWEST} px: the page is {scroll_width} px wide and scrolls sideways"
        )
    return problems


@pytest.mark.parametrize("name", sorted(PAGES))
def test_the_page_has_no_axe_violation_and_no_sideways_scroll(
    name, demo, signed_in, signed_out
):
    context = signed_out if name == "login" else signed_in
    page = context.new_page()
    try:
        response = page.goto(PAGES[name](demo))
        assert response.status == 200, f"{name}: {response.status}"
        problems = check(page)
        assert not problems, "\n".join(problems)
    finally:
        page.close()


def test_the_card_window_as_a_dialog_with_its_errors(demo, signed_in):
    """The editing window opened over the Overview, and again after a refused
    Save with its error summary."""
    page = signed_in.new_page()
    try:
        page.goto(reverse("customers:detail", args=[demo.customer.pk]))
        page.get_by_role("region", name="Contact", exact=True).get_by_role(
            "link", name="Change"
        ).click()
        dialog = page.get_by_role("dialog")
        dialog.wait_for()
        assert check(page) == []
        page.set_viewport_size({"width": 1280, "height": 800})
        dialog.get_by_label("Email Address", exact=True).fill("info@@example.com")
        dialog.get_by_role("button", name="Save").click()
        dialog.get_by_role("alert").wait_for()
        assert check(page) == []
    finally:
        page.close()


def test_the_admins_customer_page_has_no_empty_table_header(demo, signed_in):
    """axe-core's best-practice rule, beyond WCAG's: Django's tabular inline leaves its
    first column's heading empty (core.admin.LabelledTabularInline names it)."""
    page = signed_in.new_page()
    try:
        page.goto(PAGES["admin:customers_customer_change"](demo))
        results = page.evaluate(
            "options => axe.run(document, options)",
            {"runOnly": {"type": "rule", "values": ["empty-table-header"]}},
        )
        assert results["passes"], "the page has no table headings to check"
        assert not results["violations"], results["violations"]
    finally:
        page.close()
