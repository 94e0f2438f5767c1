"""Screenshots of every page at 1280 and 360 pixels wide, for docs/screens/.

Run by hand or with `make screens`. It seeds the demo data into a temporary SQLite
database, starts the development server on a free port, drives Debian's Chromium
through the pages as the demo users and writes one full-page PNG per page and width
into this folder (`<page>-<width>.png`). Running it again makes the same pictures
from nothing, so they can be remade whenever a page changes.

    .venv/bin/python docs/screens/make_screens.py            # every page
    .venv/bin/python docs/screens/make_screens.py overview   # the pages named
"""

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
WIDTHS = (1280, 360)
PASSWORD = "contacts-demo"


@dataclass(frozen=True)
class Screen:
    name: str  # the file name's first part
    user: str  # the demo user who looks at it
    path: Callable[[dict], str]  # the page's path, from the demo's ids
    # What to do on the page before the picture (open the dialog, post a form).
    action: Callable | None = None


def open_card_window(page) -> None:
    page.get_by_role("region", name="Contact", exact=True).get_by_role(
        "link", name="Change"
    ).click()
    page.get_by_role("dialog").wait_for()


def card_window_with_errors(page) -> None:
    open_card_window(page)
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Email Address", exact=True).fill("info@@example.com")
    dialog.get_by_label("Mobile Phone", exact=True).fill("06 123456789")
    dialog.get_by_role("button", name="Save").click()
    dialog.get_by_role("alert").first.wait_for()


def invalid_contact(page) -> None:
    page.get_by_label("First name").fill("Anna")
    page.get_by_label("Email address").fill("anna@example")
    page.get_by_label("Phone number").fill("020 12345")
    page.get_by_role("button", name="Save").click()
    page.locator(".errorlist").first.wait_for()


def activity_after_a_card_save(page) -> None:
    """The log after a Save of the Contact card that changed three things: one
    entry listing them, above the demo's own (one per customer: seed_demo is one
    command run). At the second width the Save changes nothing more."""
    activity = page.url
    page.goto(activity.removesuffix("activity/"))
    open_card_window(page)
    dialog = page.get_by_role("dialog")
    dialog.get_by_label("Email Address", exact=True).fill("sales@fjord-foods.example")
    dialog.get_by_label("Mobile Phone", exact=True).fill("06 12345678")
    dialog.get_by_label("Description of Mobile Phone").fill("Sales desk")
    dialog.get_by_role("button", name="Save").click()
    page.get_by_text("The contact details were saved.").wait_for()
    page.goto(activity)


def import_preview(page) -> None:
    """A file of three lines, two of them refused, checked: the preview."""
    number = page.context.customer_number  # set by take()
    path = Path(tempfile.mkdtemp()) / "contacts.csv"
    path.write_text(
        "customer_number,first_name,last_name,email,phone\n"
        f"{number},Sanne,Visser,sanne.visser@example.com,06 11223344\n"
        f"{number},Joost,Mulder,joost@example,\n"
        "C99999,Eva,Smit,,\n"
    )
    page.get_by_label("What the file holds").select_option("contacts")
    page.get_by_label("CSV or XLSX file").set_input_files(path)
    page.get_by_role("button", name="Check the file").click()
    page.get_by_role("heading", name="Refused lines").wait_for()


SCREENS = [
    Screen("sign-in", "", lambda ids: "/accounts/login/"),
    Screen("customers", "staff", lambda ids: "/customers/"),
    Screen("overview", "staff", lambda ids: f"/customers/{ids['customer']}/"),
    Screen(
        "card-window",
        "staff",
        lambda ids: f"/customers/{ids['customer']}/",
        open_card_window,
    ),
    Screen(
        "card-window-errors",
        "staff",
        lambda ids: f"/customers/{ids['customer']}/",
        card_window_with_errors,
    ),
    Screen(
        "card-window-page",
        "staff",
        lambda ids: f"/customers/{ids['customer']}/contact-details/edit/",
    ),
    Screen("contacts", "staff", lambda ids: f"/customers/{ids['customer']}/contacts/"),
    Screen(
        "contact-form",
        "staff",
        lambda ids: f"/customers/{ids['customer']}/contacts/new/",
        invalid_contact,
    ),
    Screen(
        "contact-add-existing",
        "staff",
        lambda ids: (
            f"/customers/{ids['customer']}/contacts/new/?person_q={ids['person_name']}"
        ),
    ),
    Screen(
        "contact-add-picked",
        "staff",
        lambda ids: (
            f"/customers/{ids['customer']}/contacts/new/?person={ids['person']}"
        ),
    ),
    Screen("person", "staff", lambda ids: f"/contacts/persons/{ids['person']}/"),
    Screen(
        "addresses", "manager", lambda ids: f"/customers/{ids['customer']}/addresses/"
    ),
    Screen(
        "activity",
        "staff",
        lambda ids: f"/customers/{ids['customer']}/activity/",
        activity_after_a_card_save,
    ),
    Screen("search", "staff", lambda ids: "/search/?q=fjord"),
    Screen("duplicates", "manager", lambda ids: "/contacts/duplicates/"),
    Screen("import", "staff", lambda ids: "/imports/new/"),
    Screen("import-preview", "staff", lambda ids: "/imports/new/", import_preview),
    Screen("invoices", "staff", lambda ids: "/sales/invoices/"),
    Screen("new-invoice", "staff", lambda ids: "/sales/invoices/new/?q=fjord"),
    Screen(
        "invoice",
        "staff",
        lambda ids: f"/customers/{ids['customer']}/invoices/{ids['invoice']}/",
    ),
    Screen(
        "invoice-send",
        "staff",
        lambda ids: f"/customers/{ids['customer']}/invoices/{ids['invoice']}/send/",
    ),
    Screen("sales-orders", "staff", lambda ids: "/sales/orders/"),
    Screen("shipments", "staff", lambda ids: "/sales/shipments/"),
    Screen(
        "admin-customer",
        "admin",
        lambda ids: f"/admin/customers/customer/{ids['customer']}/change/",
    ),
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def manage(env: dict, *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def demo_ids(env: dict) -> dict:
    """The customer the pictures show (the demo's Fjord Foods) and its invoice; and
    a person of another customer, whom the person page shows and Add contact finds
    (made a contact of a third customer, and given an email of their own, through
    the services, so their page has two customers and some history)."""
    script = (
        "from contacts.models import Contact\n"
        "from contacts.services.links import contact_create, person_update\n"
        "from customers.models import Customer\n"
        "c = Customer.objects.get(name__startswith='Fjord')\n"
        "other = Contact.objects.exclude(customer=c).order_by('pk').first()\n"
        "third = Customer.objects.exclude(pk__in=[c.pk, other.customer_id])"
        ".order_by('pk').first()\n"
        "contact_create(customer=third, person=other.person, job_title='Advisor')\n"
        "person_update(person=other.person, data={'personal_email': "
        "other.first_name.lower() + '@home.example'})\n"
        "print(c.pk, c.invoices.order_by('pk').first().pk, c.number, "
        "other.person_id, other.full_name.replace(' ', '+'))\n"
    )
    customer, invoice, number, person, name = manage(
        env, "shell", "--no-imports", "-c", script
    ).split()
    return {
        "customer": customer,
        "invoice": invoice,
        "number": number,
        "person": person,
        "person_name": name,
    }


def wait_for(url: str) -> None:
    for _ in range(100):
        try:
            urllib.request.urlopen(url, timeout=1)
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"The server at {url} did not start.")


def take(screens: list[Screen], base_url: str, ids: dict) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
        )
        contexts = {}
        for screen in screens:
            for width in WIDTHS:
                key = (screen.user, width)
                if key not in contexts:
                    contexts[key] = browser.new_context(
                        base_url=base_url, viewport={"width": width, "height": 800}
                    )
                    contexts[key].customer_number = ids["number"]
                    if screen.user:
                        sign_in(contexts[key].new_page(), screen.user)
                page = contexts[key].new_page()
                page.goto(screen.path(ids))
                if screen.action:
                    screen.action(page)
                # Animations and the caret would make each run's picture differ.
                page.screenshot(
                    path=HERE / f"{screen.name}-{width}.png",
                    full_page=True,
                    animations="disabled",
                    caret="hide",
                )
                page.close()
                print(f"{screen.name}-{width}.png")
        browser.close()


def sign_in(page, username: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.close()


def main(names: list[str]) -> None:
    screens = [s for s in SCREENS if not names or s.name in names]
    with tempfile.TemporaryDirectory() as folder:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.local",
            "DATABASE_URL": f"sqlite:///{folder}/screens.sqlite3",
            "DEBUG": "true",
        }
        manage(env, "migrate", "--noinput")
        manage(env, "seed_demo")
        ids = demo_ids(env)
        port = free_port()
        server = subprocess.Popen(
            [
                sys.executable,
                "manage.py",
                "runserver",
                "--noreload",
                f"127.0.0.1:{port}",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            base_url = f"http://127.0.0.1:{port}"
            wait_for(f"{base_url}/accounts/login/")
            take(screens, base_url, ids)
        finally:
            server.terminate()
            server.wait(timeout=10)


if __name__ == "__main__":
    main(sys.argv[1:])
