"""Every URL of the application × every persona × every method, from the URL resolver.

The URLs are read from `get_resolver()`, not listed by hand: a URL added later is
requested here without anyone remembering to, and fails until ACCESS below says who
may use it. Each request runs in a savepoint that is rolled back, so a POST that
deletes or sends leaves the seeded customer as it was for the next request.

What is checked for each URL:
- anonymous: sent to the sign-in page, whatever the method (open pages excepted);
- a signed-in persona without the permission: 403, whatever the method (405 is as
  good for a method the view does not take at all);
- a persona with the permission: the expected answer for each method the view takes,
  405 for every other one (PUT, PATCH and DELETE would bypass the forms);
- never a 5xx.
The Django admin is left out: it is Django's own, with its own permission checks.
"""

from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from communications.suppressions import suppression_create
from communications.webhooks import tracking_urlpatterns
from contacts.models import PossibleDuplicate
from contacts.services.duplicates import (
    possible_duplicates_refresh,
    same_persons_refresh,
)
from sales.models import DOCUMENT_KINDS
from tests.contacts.factories import ContactDetailFactory, ContactFactory
from tests.customers.factories import AddressFactory, CustomerFactory
from tests.factories import UserFactory
from tests.sales.factories import make_document
from transfers.models import ImportJob

pytestmark = pytest.mark.django_db

METHODS = ("GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH", "DELETE")
SIGNED_IN = ("outsider", "viewer", "staff", "manager")

# Who may use a URL: each level includes the personas after it.
ANYONE = ("anonymous", *SIGNED_IN)
SIGNED_IN_USERS = SIGNED_IN
READERS = ("viewer", "staff", "manager")  # Sales viewer and up
EDITORS = ("staff", "manager")  # Sales staff and up
MANAGERS = ("manager",)  # Sales manager only

DOCUMENTS = ("salesorder", "invoice", "shipment")
PAGE = "GET HEAD OPTIONS"
TRACKING_WEBHOOKS = [pattern.name for pattern in tracking_urlpatterns()]
FORM = "GET HEAD OPTIONS POST"


@dataclass(frozen=True)
class Access:
    """Who may use a URL, which methods it takes, and what a permitted persona gets
    for a GET and for a POST of an empty form."""

    who: tuple[str, ...]
    methods: str  # "*": every method gets the GET answer (a redirect)
    get: int = 200
    post: int | None = None
    # What anonymous gets when not in `who`: the sign-in page, or the API's 401.
    signed_out: int = 302
    # False: the JSON API's resources, which take a token, never the session: a
    # session of any persona is answered 401, whatever the method (tests/api/).
    session: bool = True

    def takes(self, method: str) -> bool:
        return self.methods == "*" or method in self.methods.split()


ACCESS = {
    # A RedirectView: every method is sent on to the customer list.
    "home": Access(SIGNED_IN_USERS, "*", get=302),
    # A redirect to the icon among the static files, for pages that name none.
    "favicon": Access(ANYONE, "*", get=301),
    "login": Access(ANYONE, FORM, post=200),
    "logout": Access(SIGNED_IN_USERS, "OPTIONS POST", post=302),
    # The header's language choice: an empty form chooses no language.
    "core:language": Access(SIGNED_IN_USERS, "POST", post=400),
    "customers:list": Access(READERS, PAGE),
    "customers:create": Access(MANAGERS, FORM, post=200),
    "customers:detail": Access(READERS, PAGE),
    "customers:update": Access(MANAGERS, FORM, post=200),
    "customers:addresses": Access(READERS, PAGE),
    "customers:address_create": Access(MANAGERS, FORM, post=200),
    "customers:address_update": Access(MANAGERS, FORM, post=200),
    "customers:address_delete": Access(MANAGERS, FORM, post=302),
    "contacts:list": Access(READERS, PAGE),
    "contacts:create": Access(EDITORS, FORM, post=200),
    "contacts:update": Access(EDITORS, FORM, post=200),
    "contacts:delete": Access(EDITORS, FORM, post=302),
    # A person's export and erasure: the privacy permission (managers). An empty
    # form neither exports nor confirms the erasure.
    "privacy:person": Access(MANAGERS, FORM, post=200),
    "contacts:contact_details_edit": Access(EDITORS, FORM, post=200),
    # The matrix seeds one contact, which is both `pk` and `other_pk` here: a
    # contact merged into itself is not found (the merge itself is tested in
    # tests/contacts/test_contact_merge.py).
    "contacts:merge": Access(MANAGERS, FORM, get=404, post=404),
    # The export downloads: for whoever may view contacts (or details).
    "contacts:export_contacts": Access(READERS, PAGE),
    "contacts:export_contact-details": Access(READERS, PAGE),
    "exports:contacts": Access(READERS, PAGE),
    "exports:contact-details": Access(READERS, PAGE),
    # Import in the browser: for those who may add contacts. An empty upload is
    # refused at its field. The seeded import is another user's: not found.
    "transfers:new": Access(EDITORS, FORM, post=200),
    "transfers:job": Access(EDITORS, PAGE, get=404),
    "transfers:confirm": Access(EDITORS, "OPTIONS POST", post=404),
    "transfers:report": Access(EDITORS, PAGE, get=404),
    "duplicates:list": Access(MANAGERS, PAGE),
    "persons:detail": Access(READERS, PAGE),
    "duplicates:not_a_duplicate": Access(MANAGERS, "POST", post=302),
    # Link as one person: an empty form keeps no name, so the page comes again.
    "duplicates:link": Access(MANAGERS, FORM, post=200),
    "search:results": Access(READERS, PAGE),
    "activity:list": Access(READERS, PAGE),
    "communications:failed": Access(READERS, PAGE),
    # An empty selection is refused with a message, back on the page.
    "communications:retry": Access(EDITORS, "POST", post=302),
    "communications:suppression_lift": Access(MANAGERS, FORM, post=200),
    # The mail provider's webhooks: open to it (anymail checks its secret, so a
    # post without it is refused), HEAD for the providers that test the address.
    **{
        f"communications:anymail:{name}": Access(ANYONE, "HEAD OPTIONS POST", post=400)
        for name in TRACKING_WEBHOOKS
    },
    # The JSON API: its resources take tokens only (tested per persona with tokens
    # in tests/api/test_permission_parity.py); its document takes a session too.
    **{
        f"api:{resource}-{view}": Access((), "*", get=401, session=False)
        for resource in ("customer", "contactdetail", "contact", "person", *DOCUMENTS)
        for view in ("list", "detail", *(("send",) if resource in DOCUMENTS else ()))
    },
    "api:schema": Access(SIGNED_IN_USERS, PAGE, signed_out=401),
    "api:docs": Access(SIGNED_IN_USERS, PAGE),
    # Any other address under /api/: a JSON 404, whatever the method.
    "api:not_found": Access(ANYONE, "*", get=404),
    **{
        f"sales:{kind}_{view}": access
        for kind in ("order", "invoice", "shipment")
        for view, access in {
            "list": Access(READERS, PAGE),
            # New on the list: choose the customer (a search; nothing posted).
            "choose_customer": Access(EDITORS, PAGE),
            "detail": Access(READERS, PAGE),
            "create": Access(EDITORS, FORM, post=200),
            "update": Access(EDITORS, FORM, post=200),
            # GET previews the email, POST sends it.
            "send": Access(EDITORS, FORM, post=302),
        }.items()
    },
}

# Cells that are known to be wrong, each with the reason and who fixes it. The test is
# an expected failure while they stay wrong, and fails once one is right: then remove
# its line here.
# (url name, persona, method) -> why it is answered otherwise than expected, until
# fixed; a fixed entry fails the test so it is removed.
KNOWN_GAPS: dict[tuple[str, str, str], str] = {}


@dataclass(frozen=True)
class Route:
    name: str
    kwargs: tuple[str, ...]
    view_class: type | None
    model: type | None


def application_routes() -> list[Route]:
    """Every named URL of the project outside the admin, with its URL kwargs."""
    routes = []

    def walk(patterns, namespace, kwargs):
        for entry in patterns:
            # path() names its kwargs by converters, re_path() (DRF's router) by
            # the regular expression's named groups.
            converters = (
                tuple(entry.pattern.converters or entry.pattern.regex.groupindex)
                if entry.pattern
                else ()
            )
            if isinstance(entry, URLResolver):
                if entry.namespace == "admin":
                    continue
                inner = (
                    f"{namespace}{entry.namespace}:" if entry.namespace else namespace
                )
                walk(entry.url_patterns, inner, kwargs + converters)
            elif isinstance(entry, URLPattern):
                assert entry.name, f"{entry.pattern} has no name: name every URL."
                # A DRF viewset's view names its class `cls`; its model is its
                # queryset's.
                view_class = getattr(entry.callback, "view_class", None) or getattr(
                    entry.callback, "cls", None
                )
                initkwargs = getattr(entry.callback, "view_initkwargs", {})
                queryset = getattr(view_class, "queryset", None)
                model = (
                    initkwargs.get("model")
                    or getattr(view_class, "model", None)
                    or getattr(queryset, "model", None)
                )
                routes.append(
                    Route(
                        f"{namespace}{entry.name}",
                        kwargs + converters,
                        view_class,
                        model,
                    )
                )

    walk(get_resolver().url_patterns, "", ())
    return routes


ROUTES = application_routes()


def test_every_url_of_the_application_has_an_access_entry():
    missing = sorted({route.name for route in ROUTES} - ACCESS.keys())
    assert not missing, (
        f"No entry in ACCESS ({__file__}) for {missing}: add one that says who may "
        "use the URL and which methods it takes, so the matrix can check it."
    )


def test_the_access_table_names_no_url_that_is_gone():
    stale = sorted(ACCESS.keys() - {route.name for route in ROUTES})
    assert not stale, f"ACCESS names URLs the resolver no longer has: {stale}"


@pytest.fixture
def seeded():
    """A customer with one of everything a URL can point at."""
    customer = CustomerFactory()
    address = AddressFactory(customer=customer)
    contact = ContactFactory(customer=customer, roles=["primary"])
    detail = ContactDetailFactory(customer=customer, is_primary=True)
    # The contact typed twice: a possible duplicate.
    ContactFactory(customer=customer, email=contact.email)
    possible_duplicates_refresh(customer_ids=[customer.pk])
    # And held as another person at another customer: "the same person?".
    twin = ContactFactory(
        customer=CustomerFactory(),
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=contact.email,
    )
    same_persons_refresh(contact_ids=[twin.pk])
    objects = {
        "customer": customer,
        "address": address,
        "contact": contact,
        "person": contact.person,
        "contactdetail": detail,
        "possibleduplicate": PossibleDuplicate.objects.get(other_customer=None),
        "samepersonpair": PossibleDuplicate.objects.get(other_customer=twin.customer),
        # The contact's address bounced: a manager may lift its suppression.
        "suppression": suppression_create(email=contact.email, reason="hard_bounce"),
        "importjob": ImportJob.objects.create(
            created_by=UserFactory(username="importer"),
            kind=ImportJob.Kind.CONTACTS,
            file_name="contacts.csv",
            content=b"",
            language="en",
        ),
    }
    for kind in DOCUMENT_KINDS:
        objects[kind.__name__.lower()] = make_document(kind, customer, contact)
    return objects


# URLs whose `pk` is the key of an object of the `seeded` fixture their view does
# not name as its model.
SEEDED_KEYS = {"duplicates:link": "samepersonpair"}


def model_of(route: Route, kwarg: str):
    """Which model a URL kwarg is the pk of: the parent of a page under its parent
    (core.views.ParentScopedMixin), else the view's own model for `pk`."""
    if kwarg == getattr(route.view_class, "parent_url_kwarg", None):
        return route.view_class.parent_model
    if kwarg in ("pk", "other_pk"):
        return route.model
    return None


def url_of(route: Route, seeded) -> str:
    kwargs = {}
    for name in route.kwargs:
        model = model_of(route, name)
        key = model.__name__.lower() if model else SEEDED_KEYS.get(route.name)
        assert key in seeded, (
            f"{route.name} takes <{name}> ({model}): add such an object to the "
            "`seeded` fixture, or teach model_of() which model it is."
        )
        kwargs[name] = seeded[key].pk
    return reverse(route.name, kwargs=kwargs)


def expected_status(access: Access, persona: str, method: str) -> set[int]:
    if not access.session:
        return {401}
    if persona == "anonymous" and "anonymous" not in access.who:
        return {access.signed_out}  # 302: to the sign-in page; checked below
    if persona not in access.who:
        # Refused before the method is looked at; a view that checks the method
        # first (405) refuses just as well.
        return {403} if access.takes(method) else {403, 405}
    if not access.takes(method):
        return {405}
    if access.methods == "*":
        return {access.get}
    return {
        "GET": {access.get},
        "HEAD": {access.get},
        "OPTIONS": {200},
        "POST": {access.post},
    }[method]


@pytest.fixture
def sessions(client, outsider, viewer, editor, manager):
    """Each persona's session cookies, signed in once: a request restores them, so a
    POST to sign out (rolled back with the rest) cannot leak into the next one."""
    users = {
        "outsider": outsider,
        "viewer": viewer,
        "staff": editor,
        "manager": manager,
    }
    cookies = {"anonymous": SimpleCookie()}
    for persona, user in users.items():
        client.force_login(user)
        cookies[persona] = client.cookies
        client.cookies = SimpleCookie()
    return cookies


@pytest.mark.parametrize("persona", ["anonymous", *SIGNED_IN])
def test_each_url_answers_the_persona_as_expected_for_each_method(
    persona, seeded, sessions, client
):
    wrong, known = [], []
    for route in ROUTES:
        access = ACCESS.get(route.name)
        if access is None:
            pytest.fail(f"Add {route.name} to ACCESS in {__file__}.")
        url = url_of(route, seeded)
        for method in METHODS:
            client.cookies = SimpleCookie(sessions[persona].output(header=""))
            with transaction.atomic():
                response = client.generic(method, url)
                transaction.set_rollback(True)
            expected = expected_status(access, persona, method)
            ok = response.status_code in expected
            if ok and response.status_code == 302 and persona not in access.who:
                ok = response["Location"].startswith(reverse("login"))
            if ok:
                continue
            cell = (route.name, persona, method)
            line = f"{persona} {method} {url}: {response.status_code}, "
            line += f"expected {sorted(expected)}"
            if cell in KNOWN_GAPS and response.status_code < 500:
                known.append(cell)
                line += f" (known: {KNOWN_GAPS[cell]})"
            else:
                wrong.append(line)
    assert not wrong, "\n".join(wrong)
    fixed = [cell for cell in KNOWN_GAPS if cell[1] == persona and cell not in known]
    assert not fixed, f"Now answered as expected, remove from KNOWN_GAPS: {fixed}"
    if known:
        pytest.xfail("; ".join(f"{cell}: {KNOWN_GAPS[cell]}" for cell in known))
