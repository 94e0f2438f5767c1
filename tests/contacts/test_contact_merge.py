"""Merging two contacts of one customer: the service and the preview page."""

import pytest
from django.urls import reverse

from activity.selectors import customer_activity_page
from contacts.forms import ContactMergeForm
from contacts.models import Contact, NotDuplicate, PossibleDuplicate
from contacts.services.duplicates import possible_duplicates_refresh
from contacts.services.links import ContactChanged, contact_update
from contacts.services.merge import contacts_merge, merge_defaults
from sales.models import Invoice, SalesOrder, Shipment
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory, billing_address
from tests.sales.factories import make_document, make_invoice

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    customer = CustomerFactory(name="Aurora Trading B.V.")
    billing_address(customer, country="NL")
    return customer


@pytest.fixture
def anna(customer):
    return ContactFactory(
        customer=customer,
        first_name="Anna",
        last_name="Berg",
        email="anna@aurora.example.com",
        phone="",
        job_title="Buyer",
        roles=["primary"],
    )


@pytest.fixture
def ana(customer, anna):
    # Created after Anna: the newer of the two.
    return ContactFactory(
        customer=customer,
        first_name="Ana",
        last_name="Berg",
        email="ana.berg@aurora.example.com",
        phone="+31612345678",
        job_title="",
        roles=["invoice"],
    )


def merge_url(customer, keep, other):
    return reverse("contacts:merge", args=[customer.pk, keep.pk, other.pk])


def test_the_merge_keeps_the_chosen_values_and_unites_the_roles(anna, ana, manager):
    kept = contacts_merge(
        keep=anna, merge_away=ana, values={"first_name": "Anna"}, user=manager
    )

    kept.refresh_from_db()
    assert not Contact.objects.filter(pk=ana.pk).exists()
    # first name: chosen; email: of the contact in use longer (Anna: no documents
    # either, older); phone: the only non-empty (Ana's); job title: the only
    # non-empty (Anna's).
    assert (kept.first_name, kept.email, kept.phone, kept.job_title) == (
        "Anna",
        "anna@aurora.example.com",
        "+31612345678",
        "Buyer",
    )
    assert sorted(role.code for role in kept.roles.all()) == ["invoice", "primary"]


def test_documents_point_to_the_kept_contact_with_their_snapshots_untouched(
    customer, anna, ana, manager
):
    invoice = make_invoice(customer, contact=ana)
    order = make_document(SalesOrder, customer, contact=ana)
    other = make_invoice(customer, contact=anna)
    before = {
        doc.pk: (doc.contact_name, doc.contact_email, doc.contact_phone)
        for doc in (invoice, order, other)
    }

    contacts_merge(keep=anna, merge_away=ana, values={}, user=manager)

    for document in (
        Invoice.objects.get(pk=invoice.pk),
        SalesOrder.objects.get(pk=order.pk),
        Invoice.objects.get(pk=other.pk),
    ):
        assert document.contact_id == anna.pk
        snapshot = (
            document.contact_name,
            document.contact_email,
            document.contact_phone,
        )
        assert snapshot == before[document.pk]
    assert before[invoice.pk] == (
        "Ana Berg",
        "ana.berg@aurora.example.com",
        "+31612345678",
    )
    # The move is in the documents' own history, with the user.
    record = Invoice.history.filter(id=invoice.pk).first()
    assert record.contact_id == anna.pk
    assert record.history_user_id == manager.pk


def test_the_activity_log_has_one_entry_with_who_what_and_the_dropped_values(
    customer, anna, ana, manager
):
    make_invoice(customer, contact=ana)
    before = customer_activity_page(customer_id=customer.pk).paginator.count

    contacts_merge(
        keep=anna,
        merge_away=ana,
        values={"first_name": "Anna", "email": "anna@aurora.example.com"},
        user=manager,
    )

    page = customer_activity_page(customer_id=customer.pk)
    assert page.paginator.count == before + 1
    [entry] = page.object_list[0].changes
    assert page.object_list[0].who == manager.get_full_name()
    assert entry.object == "Contact Anna Berg"
    assert entry.reason[0] == "Merged Ana Berg into Anna Berg."
    dropped = entry.reason[1]
    assert "First name: Ana" in dropped
    assert "Email address: ana.berg@aurora.example.com" in dropped
    assert "1 document(s) now point to Anna Berg." in entry.reason
    lines = {line.label: line.text for line in entry.lines}
    assert lines["Phone number"] == "(empty) → +31 6 12345678"
    assert lines["Roles"] == "added Invoice"


def test_a_merge_across_customers_is_refused(anna, manager):
    stranger = ContactFactory(customer=CustomerFactory(), first_name="Anna")
    with pytest.raises(Exception, match="Only contacts of one customer"):
        contacts_merge(keep=anna, merge_away=stranger, values={}, user=manager)
    assert Contact.objects.filter(pk=stranger.pk).exists()


def test_a_value_neither_contact_has_is_refused(anna, ana, manager):
    with pytest.raises(ContactChanged):
        contacts_merge(
            keep=anna, merge_away=ana, values={"email": "x@example.com"}, user=manager
        )
    assert Contact.objects.filter(pk=ana.pk).exists()


def test_a_contact_changed_since_the_preview_is_refused_and_nothing_is_merged(
    anna, ana, manager
):
    opened = (anna.version, ana.version)
    contact_update(contact=Contact.objects.get(pk=ana.pk), data={"job_title": "CFO"})

    with pytest.raises(ContactChanged, match="changed since you opened the preview"):
        contacts_merge(
            keep=anna,
            merge_away=ana,
            values={},
            user=manager,
            keep_version=opened[0],
            merge_away_version=opened[1],
        )
    assert Contact.objects.filter(pk=ana.pk).exists()
    assert Contact.objects.get(pk=anna.pk).email == "anna@aurora.example.com"


def test_a_save_of_the_merged_away_contact_is_refused_not_brought_back(
    anna, ana, manager
):
    stale = Contact.objects.get(pk=ana.pk)
    contacts_merge(keep=anna, merge_away=ana, values={}, user=manager)
    with pytest.raises(ContactChanged, match="no longer exists"):
        contact_update(contact=stale, data={"job_title": "CFO"})
    assert not Contact.objects.filter(pk=ana.pk).exists()


def test_the_pair_and_its_marks_go_with_the_merged_away_contact(
    customer, anna, ana, manager
):
    possible_duplicates_refresh(customer_ids=[customer.pk])
    assert PossibleDuplicate.objects.filter(contact_a=anna, contact_b=ana).exists()
    contacts_merge(keep=anna, merge_away=ana, values={}, user=manager)
    assert not PossibleDuplicate.objects.exists()
    assert not NotDuplicate.objects.exists()


# The preview page.


@pytest.mark.parametrize(
    ("persona", "status"),
    [("manager", 200), ("editor", 403), ("viewer", 403), ("outsider", 403)],
)
def test_the_preview_is_for_those_who_may_merge(
    request, client_for, customer, anna, ana, persona, status
):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(merge_url(customer, anna, ana)).status_code == status
    assert client.post(merge_url(customer, anna, ana), {}).status_code == status
    assert Contact.objects.filter(pk=ana.pk).exists()


def test_a_contact_of_another_customer_through_this_url_is_not_found(
    client_for, manager, customer, anna
):
    stranger = ContactFactory(customer=CustomerFactory())
    client = client_for(manager)
    assert client.get(merge_url(customer, anna, stranger)).status_code == 404
    assert client.post(merge_url(customer, anna, stranger), {}).status_code == 404
    assert client.get(merge_url(customer, anna, anna)).status_code == 404


def test_the_preview_shows_both_side_by_side_with_the_defaults_chosen(
    client_for, manager, customer, anna, ana, django_assert_num_queries
):
    make_invoice(customer, contact=ana)
    client = client_for(manager)
    # session, user, the user's and its groups' permissions (4); the customer (1);
    # the two contacts (2) and their roles (2); how many documents and emails point
    # at each (what the merge re-points), for the defaults and for the preview, one
    # query each, whatever the number of kinds (2).
    with django_assert_num_queries(11):
        response = client.get(merge_url(customer, anna, ana))
    page = response.content.decode()
    assert "Merge Ana Berg into Anna Berg" in page
    form = response.context["form"]
    # Ana's: she has a document, Anna none.
    assert form["email"].initial == "merge_away"
    assert form["first_name"].initial == "merge_away"
    assert form["job_title"].initial == "keep"  # the only non-empty one
    assert "last_name" not in form.fields  # the same on both: nothing to choose
    preview = response.context["preview"]
    assert (preview.keep_documents, preview.merge_away_documents) == (0, 1)
    assert [role.name for role in preview.roles] == ["Primary", "Invoice"]


def test_the_preview_counts_every_kind_of_document_in_the_same_queries(
    client_for, manager, customer, anna, ana, django_assert_num_queries
):
    for kind in (SalesOrder, Invoice, Invoice, Shipment):
        make_document(kind, customer, anna)
    make_document(Shipment, customer, ana)
    client = client_for(manager)
    with django_assert_num_queries(11):
        response = client.get(merge_url(customer, anna, ana))
    preview = response.context["preview"]
    assert (preview.keep_documents, preview.merge_away_documents) == (4, 1)
    # Anna's now: she has more documents.
    assert response.context["form"]["first_name"].initial == "keep"


def test_merging_from_the_preview_saves_and_says_so(
    client_for, manager, customer, anna, ana
):
    client = client_for(manager)
    form = client.get(merge_url(customer, anna, ana)).context["form"]
    data = {
        "keep_version": form["keep_version"].initial,
        "merge_away_version": form["merge_away_version"].initial,
        "first_name": "keep",
        "email": "keep",
        "phone": "merge_away",
        "job_title": "keep",
    }
    response = client.post(merge_url(customer, anna, ana), data, follow=True)
    assert "Merged Ana Berg into Anna Berg." in response.content.decode()
    kept = Contact.objects.get(customer=customer)
    assert (kept.pk, kept.first_name, kept.email, kept.phone) == (
        anna.pk,
        "Anna",
        "anna@aurora.example.com",
        "+31612345678",
    )


def test_a_stale_preview_is_shown_again_with_the_current_values(
    client_for, manager, customer, anna, ana
):
    client = client_for(manager)
    form = client.get(merge_url(customer, anna, ana)).context["form"]
    data = {
        name: form[name].initial
        for name in ("keep_version", "merge_away_version", "first_name", "email")
    }
    data.update(phone="merge_away", job_title="keep")
    contact_update(contact=Contact.objects.get(pk=ana.pk), data={"job_title": "CFO"})

    response = client.post(merge_url(customer, anna, ana), data)

    assert response.status_code == 200
    assert "changed since you opened the preview" in response.content.decode()
    # Ana's new job title is one of the choices now.
    assert [
        label for _, label in response.context["form"].fields["job_title"].choices
    ] == ["Buyer", "CFO"]
    assert Contact.objects.filter(pk=ana.pk).exists()


def test_an_edit_of_the_kept_contact_opened_before_the_merge_is_refused(
    anna, ana, manager
):
    opened = Contact.objects.get(pk=anna.pk)
    contacts_merge(keep=anna, merge_away=ana, values={}, user=manager)
    with pytest.raises(ContactChanged, match="Someone else changed this contact"):
        contact_update(
            contact=opened, data={"email": "old@x.example"}, version=opened.version
        )
    assert Contact.objects.get(pk=anna.pk).email == "anna@aurora.example.com"


def test_the_defaults_keep_the_established_contacts_values_not_the_typo(customer):
    david = ContactFactory(
        customer=customer, first_name="David", last_name="Smith", email="", roles=[]
    )
    make_invoice(customer, contact=david)
    davi = ContactFactory(
        customer=customer,
        first_name="Davi",
        last_name="Smith",
        email="d.smith@x.example",
        roles=[],
    )
    # The newer contact, changed last, is kept: its values still give way.
    for keep, merge_away in ((davi, david), (david, davi)):
        defaults = merge_defaults(keep=keep, merge_away=merge_away)
        assert (defaults["first_name"], defaults["email"]) == (
            "David",  # the one with the document
            "d.smith@x.example",  # the only non-empty one
        )
    # Without documents, the older contact's value stays.
    make_invoice(customer, contact=davi)
    defaults = merge_defaults(keep=davi, merge_away=david)
    assert defaults["first_name"] == "David"


def test_a_merge_chooses_the_language_and_says_what_it_dropped(anna, ana, manager):
    Contact.objects.filter(pk=ana.pk).update(language="nl")
    ana.refresh_from_db()
    preview = ContactMergeForm(keep=anna, merge_away=ana)
    assert [label for _, label in preview.fields["language"].choices] == [
        "(empty)",
        "Dutch",
    ]
    kept = contacts_merge(keep=anna, merge_away=ana, values={}, user=manager)
    kept.refresh_from_db()
    assert kept.language == "nl"  # the only non-empty one
    anna_en = ContactFactory(customer=anna.customer, first_name="Anne", language="en")
    dropped = contacts_merge(
        keep=kept, merge_away=anna_en, values={"language": "nl"}, user=manager
    )
    assert "Language: en" in dropped.history.latest().history_change_reason
