"""Two users' writes to one customer at the same moment, over HTTP: gunicorn
(gunicorn.conf.py, 2 workers) on 127.0.0.1 in front of PostgreSQL, each user with
a session of their own. Run by hand:

    createdb -h 127.0.0.1 -U postgres cc_races
    .venv/bin/python bench/races.py                       # 20 rounds a pair
    .venv/bin/python bench/races.py --database cc_races --rounds 5 --pair merge_send

For each round the script makes fresh rows of one customer, lets both users open
their forms (GET), then posts both forms at once, released by a barrier, as two
people clicking Save at the same moment. It counts the answers (302: done or sent
back to the list with a message; 200: the form again with a message; 500: a server
error) and checks the rows afterwards: nothing lost, nothing half written. The
figures go to bench/out/races.json and into docs/benchmarks-concurrency.md between
its markers. Traffic goes to 127.0.0.1 only; the database is emptied of nothing:
each round adds its own customer.
"""

import argparse
import collections
import json
import os
import re
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.loadtest import _free_port, _wait_for  # noqa: E402 - after the path

OUT = ROOT / "bench" / "out"
DOC = ROOT / "docs" / "benchmarks-concurrency.md"
SERVER = "postgres://postgres@127.0.0.1:5432"
BEGIN, END = "<!-- races:begin -->", "<!-- races:end -->"
BIN = Path(sys.executable).parent


def _environment(database: str, redis_url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.local",
        "DEBUG": "false",
        "DATABASE_URL": f"{SERVER}/{database}",
        # Sessions and the cache shared by both workers, as in production.
        "REDIS_URL": redis_url,
        "CONN_MAX_AGE": "60",
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }


class _Forms(HTMLParser):
    """The POST forms of a page: their action and the values a browser would
    send (checked boxes, selected options, hidden and text inputs)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and (attrs.get("method") or "").lower() == "post":
            self._form = {"action": attrs.get("action") or "", "fields": []}
            self.forms.append(self._form)
        if self._form is None:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = (attrs.get("type") or "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind not in {"submit", "button", "file"}:
                self._form["fields"].append((name, attrs.get("value") or ""))
        elif tag == "select" and name:
            self._select = [name, None, None]
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            if self._select[2] is None:
                self._select[2] = value
            if "selected" in attrs:
                self._select[1] = value
        elif tag == "textarea" and name:
            self._textarea = [name, ""]

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select" and self._select is not None:
            name, selected, first = self._select
            value = selected if selected is not None else first
            if self._form is not None and value is not None:
                self._form["fields"].append((name, value))
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            if self._form is not None:
                self._form["fields"].append(tuple(self._textarea))
            self._textarea = None


class User:
    """One person's browser: a session cookie and the CSRF cookie."""

    def __init__(self, host: str, session: str):
        import requests

        self.host = host
        self.http = requests.Session()
        self.http.cookies.set("sessionid", session, domain="127.0.0.1")

    def open(self, path: str, changes: dict | None = None) -> dict:
        """GET the page and return the form posted to `path` (or to itself),
        with `changes` applied: what the user types."""
        page = self.http.get(self.host + path, timeout=60)
        page.raise_for_status()
        parser = _Forms()
        parser.feed(page.text)
        form = next(
            f for f in parser.forms if f["action"] in {"", path} and f["fields"]
        )
        fields = [(k, v) for k, v in form["fields"] if k not in (changes or {})]
        for name, value in (changes or {}).items():
            values = value if isinstance(value, list) else [value]
            fields += [(name, str(v)) for v in values]
        return {"path": path, "fields": fields}

    def post(self, form: dict) -> int:
        answer = self.http.post(
            self.host + form["path"],
            data=form["fields"],
            headers={"Referer": self.host + form["path"]},
            allow_redirects=False,
            timeout=60,
        )
        return answer.status_code


def _at_the_same_time(*calls) -> list:
    barrier = threading.Barrier(len(calls))
    outcomes: list = [None] * len(calls)

    def run(index, call):
        barrier.wait(timeout=30)
        try:
            outcomes[index] = call()
        except Exception as error:  # noqa: BLE001 - counted as a failure
            outcomes[index] = f"{type(error).__name__}"

    threads = [
        threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return outcomes


# The pairs: (name, what it races, a function that sets up one round and returns
# the two users' forms and a check of the rows afterwards).


def _people(customer_name: str):
    from contacts.models import ContactRole
    from contacts.services.links import contact_create
    from customers.services import address_create, customer_create

    customer = customer_create(name=customer_name)
    address_create(
        customer=customer,
        kind="billing",
        street_line_1="Dam 1",
        postal_code="1012 JS",
        city="Amsterdam",
        country="NL",
    )
    invoice_role = ContactRole.objects.get(code="invoice")
    anna = contact_create(
        customer=customer,
        first_name="Anna",
        last_name="Berg",
        email=f"anna.{customer.pk}@example.com",
        roles=[invoice_role],
    )
    ana = contact_create(
        customer=customer,
        first_name="Ana",
        last_name="Berg",
        email=f"ana.{customer.pk}@example.com",
    )
    carl = contact_create(customer=customer, first_name="Carl", last_name="Holm")
    return customer, anna, ana, carl


def _invoice(customer, contact):
    import datetime

    from sales.models import Invoice
    from sales.services import document_create

    return document_create(
        kind=Invoice,
        customer=customer,
        contact=contact,
        amount="10",
        date=datetime.date(2026, 3, 1),
    )


def _urls():
    from django.urls import reverse

    def contact(name, customer, contact, **extra):
        return reverse(
            f"contacts:{name}",
            kwargs={"customer_pk": customer.pk, "pk": contact.pk, **extra},
        )

    return reverse, contact


def pair_delete_refresh(first, second, n):
    """Staff renames Carl into Bo's name (the refresh pairs them) while a manager
    deletes Bo."""
    from contacts.models import Contact
    from contacts.services.links import contact_create

    reverse, contact_url = _urls()
    customer, _, _, carl = _people(f"Races delete {n}")
    bo = contact_create(customer=customer, first_name="Bo", last_name="Lind")
    edit = first.open(
        contact_url("update", customer, carl),
        {"first_name": "Bo", "last_name": "Lind"},
    )
    delete = second.open(contact_url("delete", customer, bo))

    def check(answers):
        carl.refresh_from_db()
        return (
            answers == [302, 302]
            and carl.full_name == "Bo Lind"
            and not Contact.objects.filter(pk=bo.pk).exists()
        )

    return edit, delete, check


def pair_merge_send(first, second, n):
    """A manager merges Ana into Anna while staff sends Ana's invoice."""
    from communications.models import Delivery
    from contacts.models import Contact

    reverse, contact_url = _urls()
    customer, anna, ana, _ = _people(f"Races merge send {n}")
    invoice = _invoice(customer, ana)
    merge = first.open(contact_url("merge", customer, anna, other_pk=ana.pk))
    send = second.open(
        reverse(
            "sales:invoice_send", kwargs={"customer_pk": customer.pk, "pk": invoice.pk}
        )
    )

    def check(answers):
        invoice.refresh_from_db()
        return (
            answers == [302, 302]
            and not Contact.objects.filter(pk=ana.pk).exists()
            and invoice.contact_id == anna.pk
            and invoice.status == "sent"
            and Delivery.objects.filter(about_id=invoice.pk).count() == 1
        )

    return merge, send, check


def pair_merge_new_invoice(first, second, n):
    """A manager merges Ana into Anna while staff makes an invoice for Ana."""
    from contacts.models import Contact
    from sales.models import Invoice

    reverse, contact_url = _urls()
    customer, anna, ana, _ = _people(f"Races merge invoice {n}")
    merge = first.open(contact_url("merge", customer, anna, other_pk=ana.pk))
    create = second.open(
        reverse("sales:invoice_create", kwargs={"customer_pk": customer.pk}),
        {"contact": ana.pk, "amount": "10"},
    )

    def check(answers):
        invoices = list(Invoice.objects.filter(customer=customer))
        merged = not Contact.objects.filter(pk=ana.pk).exists()
        if answers == [302, 302]:
            # The invoice came first and was moved by the merge.
            return merged and [i.contact_id for i in invoices] == [anna.pk]
        # The merge came first: the invoice's form again, with a message.
        return answers == [302, 200] and merged and not invoices

    return merge, create, check


def pair_edit_new_invoice(first, second, n):
    """Staff changes Anna's email address while another makes an invoice for her."""
    from contacts.models import Contact
    from sales.models import Invoice

    reverse, contact_url = _urls()
    customer, anna, _, _ = _people(f"Races edit invoice {n}")
    # An address nobody else has: a shared one asks "Save anyway" first.
    email = f"anna.berg.{customer.pk}@example.com"
    edit = first.open(contact_url("update", customer, anna), {"email": email})
    create = second.open(
        reverse("sales:invoice_create", kwargs={"customer_pk": customer.pk}),
        {"contact": anna.pk, "amount": "10"},
    )

    def check(answers):
        invoices = list(Invoice.objects.filter(customer=customer))
        return (
            answers == [302, 302]
            and Contact.objects.get(pk=anna.pk).email == email
            and len(invoices) == 1
            and invoices[0].contact_email in {anna.email, email}
        )

    return edit, create, check


def pair_admin_edit_merge(first, second, n):
    """An administrator changes Ana in the admin while a manager merges her into
    Anna: one wins, the other is refused with a message."""
    from contacts.models import Contact

    reverse, contact_url = _urls()
    customer, anna, ana, _ = _people(f"Races admin merge {n}")
    admin_edit = first.open(
        reverse("admin:contacts_contact_change", args=[ana.pk]),
        {"job_title": "Buyer"},
    )
    merge = second.open(contact_url("merge", customer, anna, other_pk=ana.pk))

    def check(answers):
        gone = not Contact.objects.filter(pk=ana.pk).exists()
        if answers == [302, 200]:
            # The admin came first; the merge shows its preview again.
            return not gone and Contact.objects.get(pk=ana.pk).job_title == "Buyer"
        # The merge came first; the admin shows its form again with a message.
        return answers == [200, 302] and gone

    return admin_edit, merge, check


def pair_admin_customer_delete_new_invoice(first, second, n):
    """An administrator deletes a customer in the admin while staff makes an
    invoice for it."""
    from customers.models import Customer
    from sales.models import Invoice

    reverse, _ = _urls()
    customer, anna, _, _ = _people(f"Races admin delete {n}")
    delete = first.open(
        reverse("admin:customers_customer_delete", args=[customer.pk]),
        {"post": "yes"},
    )
    create = second.open(
        reverse("sales:invoice_create", kwargs={"customer_pk": customer.pk}),
        {"contact": anna.pk, "amount": "10"},
    )

    def check(answers):
        exists = Customer.objects.filter(pk=customer.pk).exists()
        invoices = Invoice.objects.filter(customer_id=customer.pk).count()
        if answers == [200, 302]:
            # The invoice came first and protects the customer.
            return exists and invoices == 1
        # The deletion came first; the invoice's form says the customer is gone.
        return answers in ([302, 200], [302, 404]) and not exists and not invoices

    return delete, create, check


PAIRS = {
    "delete_refresh": (
        "delete a contact ‖ another's save pairs it",
        pair_delete_refresh,
    ),
    "merge_send": ("merge ‖ Send of the merged contact's invoice", pair_merge_send),
    "merge_new_invoice": (
        "merge ‖ new invoice for the merged contact",
        pair_merge_new_invoice,
    ),
    "edit_new_invoice": ("edit contact ‖ new invoice for it", pair_edit_new_invoice),
    "admin_edit_merge": ("admin contact edit ‖ merge", pair_admin_edit_merge),
    "admin_customer_delete_new_invoice": (
        "admin customer delete ‖ new invoice",
        pair_admin_customer_delete_new_invoice,
    ),
}


def _sessions() -> tuple[str, str]:
    """Two administrators' sessions (all permissions: the pages' rules are not
    what is measured), signed in once."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    users = get_user_model()
    sessions = []
    for name in ("races_first", "races_second"):
        user = users.objects.filter(username=name).first() or (
            users.objects.create_superuser(name, f"{name}@example.com", None)
        )
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies["sessionid"].value)
    return sessions[0], sessions[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="cc_races")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/6")
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--pair", choices=sorted(PAIRS), action="append")
    parser.add_argument(
        "--no-doc", action="store_true", help="print only; leave the docs alone"
    )
    args = parser.parse_args()
    environment = _environment(args.database, args.redis)
    os.environ.update(environment)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    first_session, second_session = _sessions()
    port = _free_port()
    host = f"http://127.0.0.1:{port}"
    log = OUT / "races-gunicorn.log"
    OUT.mkdir(exist_ok=True)
    with open(log, "w") as errors:
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi",
                "--config",
                str(ROOT / "gunicorn.conf.py"),
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(args.workers),
            ],
            cwd=ROOT,
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        try:
            _wait_for(f"{host}/accounts/login/")
            results = _run(args, host, first_session, second_session)
        finally:
            server.terminate()
            server.wait(timeout=30)
    server_errors = len(re.findall(r"Internal Server Error", log.read_text()))
    run = {
        "when": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "database": args.database,
        "workers": args.workers,
        "rounds": args.rounds,
        "logged_server_errors": server_errors,
        "results": results,
    }
    (OUT / "races.json").write_text(json.dumps(run, indent=1))
    print(json.dumps(run, indent=1))
    if not args.no_doc:
        _report(run)


def _run(args, host, first_session, second_session) -> dict:
    results = {}
    for key in args.pair or list(PAIRS):
        _, setup = PAIRS[key]
        answers: collections.Counter = collections.Counter()
        server_errors = wrong = 0
        for n in range(args.rounds):
            first, second = User(host, first_session), User(host, second_session)
            first_form, second_form, check = setup(first, second, n)
            outcome = _at_the_same_time(
                lambda f=first, form=first_form: f.post(form),
                lambda s=second, form=second_form: s.post(form),
            )
            answers["/".join(str(o) for o in outcome)] += 1
            server_errors += sum(1 for o in outcome if o == 500 or isinstance(o, str))
            if not check(outcome):
                wrong += 1
        results[key] = {
            "answers": dict(answers.most_common()),
            "server_errors": server_errors,
            "rows_wrong": wrong,
        }
        print(key, results[key], flush=True)
    return results


def _report(run: dict) -> None:
    lines = [
        BEGIN,
        "",
        f"{run['when']}; gunicorn with {run['workers']} workers on 127.0.0.1, "
        f"PostgreSQL, Redis; {run['rounds']} rounds a pair, both forms posted at "
        "once; the same 2-core machine.",
        "",
        "| the two writes | answers (first/second: count) | server errors | rounds "
        "with rows wrong |",
        "|---|---|---|---|",
    ]
    for key, figures in run["results"].items():
        answers = ", ".join(f"{a}: {c}" for a, c in figures["answers"].items())
        lines.append(
            f"| {PAIRS[key][0]} | {answers} | {figures['server_errors']} | "
            f"{figures['rows_wrong']} |"
        )
    lines += [
        "",
        f"Server errors in gunicorn's log: {run['logged_server_errors']}.",
        "",
        END,
    ]
    text = DOC.read_text()
    start, end = text.index(BEGIN), text.index(END) + len(END)
    DOC.write_text(text[:start] + "\n".join(lines) + text[end:])


if __name__ == "__main__":
    main()
