"""Contact details through the API: the card's rules hold as in its editing window
(values read as stored, phone numbers with the billing country, one primary per
kind chosen by the rules), and what is worth a look comes back as warnings."""

import pytest

from contacts.models import ContactDetail
from contacts.services.card import contact_detail_create
from tests.api.conftest import codes
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db

DETAILS = "/api/v1/contact-details/"


def url(detail) -> str:
    return f"{DETAILS}{detail.pk}/"


@pytest.fixture
def dutch():
    customer = CustomerFactory(name="Fjord Foods")
    billing_address(customer, country="NL")
    return customer


def add(customer, kind, value, description=""):
    return contact_detail_create(
        customer=customer, kind=kind, value=value, description=description
    )


def test_a_national_number_is_read_with_the_billing_country(api_for, editor, dutch):
    response = api_for(editor).post(
        DETAILS, {"customer": dutch.pk, "kind": "mobile", "value": "06 12345678"}
    )

    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["value"], data["display_value"]) == ("+31612345678", "+31 6 12345678")
    assert ContactDetail.objects.get().value == "+31612345678"


def test_without_a_billing_address_a_national_number_is_refused_at_its_field(
    api_for, editor
):
    customer = CustomerFactory()

    response = api_for(editor).post(
        DETAILS, {"customer": customer.pk, "kind": "telephone", "value": "020 1234567"}
    )

    assert response.status_code == 400
    [(field, _code)] = codes(response)
    assert field == "value"
    assert "country code" in response.json()["errors"][0]["message"]
    assert not ContactDetail.objects.exists()


def test_the_first_detail_of_a_kind_is_its_primary_and_the_next_is_not(
    api_for, editor, dutch
):
    api = api_for(editor)
    first = api.post(
        DETAILS,
        {"customer": dutch.pk, "kind": "email", "value": "info@fjord.example.com"},
    ).json()
    second = api.post(
        DETAILS,
        {
            "customer": dutch.pk,
            "kind": "email",
            "value": "sales@fjord.example.com",
            "description": "Sales",
        },
    ).json()

    assert (first["is_primary"], second["is_primary"]) == (True, False)


def test_a_client_cannot_choose_the_primary(api_for, editor, dutch):
    add(dutch, "email", "info@fjord.example.com")
    second = add(dutch, "email", "sales@fjord.example.com")
    api = api_for(editor)

    response = api.patch(
        url(second), {"is_primary": True}, if_match=api.get(url(second))["ETag"]
    )

    assert response.status_code == 200
    assert response.json()["is_primary"] is False
    second.refresh_from_db()
    assert second.is_primary is False


def test_removing_the_primary_makes_the_oldest_remaining_one_primary(
    api_for, editor, dutch
):
    primary = add(dutch, "email", "info@fjord.example.com")
    oldest = add(dutch, "email", "sales@fjord.example.com")
    add(dutch, "email", "jobs@fjord.example.com")
    api = api_for(editor)

    response = api.delete(url(primary), if_match=api.get(url(primary))["ETag"])

    assert response.status_code == 204
    assert not ContactDetail.objects.filter(pk=primary.pk).exists()
    oldest.refresh_from_db()
    assert oldest.is_primary


def test_moving_a_detail_to_a_kind_without_one_makes_it_that_kinds_primary(
    api_for, editor, dutch
):
    add(dutch, "telephone", "030 1234567")
    moved = add(dutch, "telephone", "06 12345678")
    api = api_for(editor)

    response = api.patch(
        url(moved), {"kind": "mobile"}, if_match=api.get(url(moved))["ETag"]
    )

    assert response.status_code == 200
    assert (response.json()["kind"], response.json()["is_primary"]) == ("mobile", True)


def test_a_detail_cannot_move_to_another_customer(api_for, editor, dutch):
    detail = add(dutch, "email", "info@fjord.example.com")
    other = CustomerFactory()
    api = api_for(editor)

    response = api.patch(
        url(detail), {"customer": other.pk}, if_match=api.get(url(detail))["ETag"]
    )

    assert response.status_code == 400
    assert codes(response) == [("customer", "customer_fixed")]
    detail.refresh_from_db()
    assert detail.customer == dutch


def test_a_value_on_another_customers_card_is_saved_with_a_warning(
    api_for, editor, dutch
):
    other = CustomerFactory(name="Aurora Trading")
    add(other, "email", "info@shared.example.com")

    response = api_for(editor).post(
        DETAILS,
        {"customer": dutch.pk, "kind": "email", "value": "INFO@shared.example.com"},
    )

    assert response.status_code == 201
    [warning] = response.json()["warnings"]
    assert warning["code"] == "shared_detail"
    assert "Aurora Trading" in warning["message"]
    assert "ETag" in response


def test_a_mobile_number_as_telephone_is_saved_with_a_warning(api_for, editor, dutch):
    response = api_for(editor).post(
        DETAILS, {"customer": dutch.pk, "kind": "telephone", "value": "06 12345678"}
    )

    assert response.status_code == 201
    assert [w["code"] for w in response.json()["warnings"]] == ["phone_type"]


def test_the_warnings_are_not_part_of_the_details_etag(api_for, editor, dutch):
    api = api_for(editor)
    written = api.post(
        DETAILS, {"customer": dutch.pk, "kind": "telephone", "value": "06 12345678"}
    )

    read = api.get(f"{DETAILS}{written.json()['id']}/")

    assert "warnings" not in read.json()
    assert read["ETag"] == written["ETag"]


def test_a_viewer_may_not_write_details(api_for, viewer, dutch):
    detail = add(dutch, "email", "info@fjord.example.com")
    api = api_for(viewer)
    etag = api.get(url(detail))["ETag"]

    responses = [
        api.post(DETAILS, {"customer": dutch.pk, "kind": "email", "value": "a@b.nl"}),
        api.patch(url(detail), {"value": "x@fjord.example.com"}, if_match=etag),
        api.delete(url(detail), if_match=etag),
    ]

    assert [response.status_code for response in responses] == [403, 403, 403]
    assert list(ContactDetail.objects.values_list("value", flat=True)) == [
        "info@fjord.example.com"
    ]


def test_the_list_is_filtered_by_customer_kind_email_and_phone(api_for, viewer, dutch):
    email = add(dutch, "email", "info@fjord.example.com")
    mobile = add(dutch, "mobile", "06 12345678")
    other = CustomerFactory()
    add(other, "email", "info@other.example.com")
    api = api_for(viewer)

    def ids(params):
        return [row["id"] for row in api.get(DETAILS, params).json()["results"]]

    assert ids({"customer": dutch.pk}) == [email.pk, mobile.pk]
    assert ids({"customer": dutch.pk, "kind": "mobile"}) == [mobile.pk]
    assert ids({"email": "Info@Fjord.example.com"}) == [email.pk]
    assert ids({"phone": "+31 (0)6 1234 5678"}) == [mobile.pk]
