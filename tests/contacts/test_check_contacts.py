import pytest

from contacts.management.commands import check_contacts
from contacts.models import Contact, Person
from contacts.services.links import contact_create
from tests.contacts.csv_helpers import run, run_failing
from tests.contacts.factories import ContactDetailFactory, ContactFactory
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def healthy_customer(number: str, email: str = ""):
    customer = CustomerFactory(number=number, name=f"Customer {number}")
    ContactFactory(
        customer=customer,
        first_name="Jan",
        last_name=number,
        email=email or f"jan.{number.lower()}@example.com",
        phone="+31612345678",
        roles=["primary"],
    )
    ContactDetailFactory(customer=customer, kind="telephone", value="+31201234567")
    return customer


def test_clean_data_passes_with_status_zero():
    healthy_customer("C00001")
    healthy_customer("C00002")

    out, _ = run("check_contacts")

    assert "No problems found." in out


def test_it_reports_a_customer_with_no_primary_contact():
    healthy_customer("C00001")
    customer = CustomerFactory(number="C00002", name="Lonely BV")
    ContactFactory(customer=customer, roles=["invoice"])
    ContactDetailFactory(customer=customer)

    error, out, _ = run_failing("check_contacts")

    assert error.returncode == 1
    assert "Customers with no Primary-role contact:\n  C00002 Lonely BV\n" in out
    assert "C00001" not in out
    assert "1 problem(s) found." in str(error)


def test_it_reports_a_customer_with_no_contact_details():
    healthy_customer("C00001")
    customer = CustomerFactory(number="C00002", name="Bare BV")
    ContactFactory(customer=customer, roles=["primary"])

    error, out, _ = run_failing("check_contacts")

    assert "Customers with no contact details:\n  C00002 Bare BV\n" in out
    assert "Customers with no Primary-role contact: none." in out


# Past the limit, the rows are streamed and the numbers looked up in Python.
@pytest.mark.parametrize("limit", [check_contacts.MAX_NUMBERS_IN_QUERY, 0])
def test_it_reports_stored_numbers_that_are_no_longer_valid(monkeypatch, limit):
    monkeypatch.setattr(check_contacts, "MAX_NUMBERS_IN_QUERY", limit)
    customer = healthy_customer("C00001")
    ContactFactory(
        customer=customer, first_name="Old", last_name="Number", phone="+3161234"
    )
    ContactDetailFactory(customer=customer, kind="mobile", value="+999123456")
    ContactDetailFactory(customer=customer, kind="email", value="a@example.com")

    error, out, _ = run_failing("check_contacts")

    assert (
        "C00001 contact Old Number: +3161234: This is a mobile number in Netherlands "
        "(+31) with 4 digits too few." in out
    )
    assert (
        "C00001 Mobile Phone: +999123456: No country has this calling code: check "
        "the digits after the +." in out
    )
    assert "+31612345678" not in out
    assert "2 problem(s) found." in str(error)


def test_it_reports_one_email_used_by_contacts_of_different_customers():
    first = healthy_customer("C00001", email="shared@example.com")
    healthy_customer("C00002", email="Shared@example.com")
    ContactFactory(
        customer=first, first_name="Twin", last_name="", email="shared@example.com"
    )
    healthy_customer("C00003", email="alone@example.com")
    other = healthy_customer("C00004", email="one@example.com")
    ContactFactory(customer=other, first_name="Same", email="one@example.com")

    error, out, _ = run_failing("check_contacts")

    assert (
        "  shared@example.com: C00001 (Jan C00001), C00001 (Twin), "
        "C00002 (Jan C00002)\n" in out
    )
    assert "alone@example.com" not in out
    assert "one@example.com" not in out.split("Possible duplicate contacts")[0]
    # The one shared email, and two possible duplicates: Jan and Twin at C00001,
    # Jan and Same at C00004 share an address within their customer.
    assert "3 problem(s) found." in str(error)


def test_its_query_count_does_not_grow_with_the_number_of_customers(
    django_assert_num_queries,
):
    for n in range(5):
        CustomerFactory(number=f"C0000{n}")
    # One query per check; for the phone numbers, the distinct numbers (none is
    # invalid, so no rows are read); two for the possible duplicates (the
    # contacts, the "Not a duplicate" marks); one each for the contacts whose
    # name differs from their person's and the persons without a contact; two for
    # the suppressed addresses in use (contacts, contact-card emails).
    with django_assert_num_queries(10):
        run_failing("check_contacts")


def test_its_query_count_does_not_grow_with_the_number_of_invalid_numbers(
    django_assert_num_queries,
):
    for count in (2, 10):
        customer = healthy_customer(f"C0000{count}")
        for n in range(count):
            ContactFactory(customer=customer, phone=f"+316123{n}")
            ContactDetailFactory(customer=customer, kind="mobile", value=f"+99912{n}")
        # One query per check; for the phone numbers, the distinct numbers, then
        # the contacts and the details holding an invalid one; two for the
        # possible duplicates; one each for the persons' checks; two for the
        # suppressed addresses in use.
        with django_assert_num_queries(12):
            _, out, _ = run_failing("check_contacts")
        phones = out.split("Stored phone numbers that are no longer valid:")[1]
        found = sum(2 * n for n in (2, 10) if n <= count)
        assert phones.split("\n  (")[1].startswith(f"{found} found)")


def test_each_distinct_number_is_read_once(monkeypatch):
    customer = healthy_customer("C00001")
    for _ in range(3):
        ContactFactory(customer=customer, phone="+3161234")
        ContactDetailFactory(customer=customer, kind="mobile", value="+3161234")
    read = []
    original = check_contacts._phone_problem
    monkeypatch.setattr(
        check_contacts,
        "_phone_problem",
        lambda number: read.append(number) or original(number),
    )

    _, out, _ = run_failing("check_contacts")

    assert sorted(read) == ["+31201234567", "+3161234", "+31612345678"]
    assert out.count(": +3161234: This is a mobile number in Netherlands") == 6


def test_it_reports_possible_duplicates_not_marked_as_not_a_duplicate(
    django_assert_max_num_queries,
):
    from contacts.models import NotDuplicate

    customer = healthy_customer("C00001")
    ContactFactory(customer=customer, first_name="Ana", last_name="Berg")
    ContactFactory(customer=customer, first_name="Anna", last_name="Berg")
    eva = ContactFactory(customer=customer, first_name="Eva", phone="+31201234567")
    ivo = ContactFactory(customer=customer, first_name="Ivo", phone="+31201234567")
    NotDuplicate.objects.create(customer=customer, contact_a=eva, contact_b=ivo)

    error, out, _ = run_failing("check_contacts")

    assert "Possible duplicate contacts:" in out
    assert "C00001 Customer C00001: Ana Berg and Anna Berg (similar names (94%))" in out
    assert "Eva" not in out
    assert "(1 found)" in out.split("Possible duplicate contacts:")[1]
    assert error.returncode == 1


@pytest.fixture
def drifted():
    """Jan, a contact of two customers, whose copy at the second says "Johan";
    and Piet, who is no customer's contact."""
    first = healthy_customer("C00001")
    second = healthy_customer("C00002")
    jan = first.contacts.get()
    drifted = contact_create(customer=second, person=jan.person)
    Contact.objects.filter(pk=drifted.pk).update(first_name="Johan", language="nl")
    piet = Person.objects.create(first_name="Piet", last_name="Pot")
    return jan, drifted, piet


def test_it_reports_copies_differing_from_their_person_and_persons_unlinked(drifted):
    jan, _, piet = drifted

    error, out, _ = run_failing("check_contacts")

    assert (
        "Contacts whose name or language is not their person's:\n"
        f"  C00002 contact Johan C00001 (language nl): person {jan.person_id} is "
        "Jan C00001 (language -)\n  (1 found)" in out
    )
    assert (
        f"Persons who are no customer's contact:\n  person {piet.pk} Piet Pot\n" in out
    )
    assert error.returncode == 1


def test_with_fix_the_person_counts_and_a_person_unlinked_goes(drifted):
    jan, link, piet = drifted

    out, _ = run("check_contacts", fix=True)

    assert (
        "Fixed: 1 contact(s) took their person's name and language; 1 person(s) "
        "without a contact deleted." in out
    )
    link.refresh_from_db()
    assert (link.first_name, link.language) == ("Jan", "")
    # In the second customer's Activity Log.
    assert link.history.order_by("-history_id").first().first_name == "Jan"
    assert not Person.objects.filter(pk=piet.pk).exists()
    assert "Contacts whose name or language is not their person's: none." in out
    assert "No problems found." in out
