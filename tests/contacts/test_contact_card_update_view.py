"""The Contact card's editing window: a page, which JavaScript opens as a dialog."""

import pytest
from django.urls import reverse

from contacts.models import ContactDetail
from contacts.selectors import contact_card_version
from contacts.services.card import contact_detail_create, contact_detail_update
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer():
    customer = CustomerFactory(name="Fjord Foods B.V.")
    billing_address(customer, "NL")
    return customer


def edit_url(customer):
    return reverse("contacts:contact_details_edit", args=[customer.pk])


def form_data(customer, primaries=None, rows=(), initial_rows=0, **extra):
    """What the window posts: the four primary fields, the rows, the version."""
    data = {
        "version": contact_card_version(customer=customer),
        "additional-TOTAL_FORMS": str(len(rows)),
        "additional-INITIAL_FORMS": str(initial_rows),
        "additional-MIN_NUM_FORMS": "0",
        "additional-MAX_NUM_FORMS": "1000",
    }
    for kind in ("email", "telephone", "mobile", "website"):
        data[kind] = ""
        data[f"{kind}_description"] = ""
    data.update(primaries or {})
    for index, row in enumerate(rows):
        for name, value in row.items():
            data[f"additional-{index}-{name}"] = value
    data.update(extra)
    return data


def stored(customer):
    return list(
        ContactDetail.objects.filter(customer=customer)
        .order_by("kind", "-is_primary", "created_at")
        .values_list("kind", "value", "description", "is_primary")
    )


@pytest.mark.parametrize(
    ("persona", "status"),
    [("outsider", 403), ("viewer", 403), ("editor", 200), ("manager", 200)],
)
def test_access_by_persona(request, client_for, customer, persona, status):
    client = client_for(request.getfixturevalue(persona))
    assert client.get(edit_url(customer)).status_code == status


@pytest.mark.parametrize("persona", ["outsider", "viewer"])
def test_a_post_without_the_permission_is_403_and_saves_nothing(
    request, client_for, customer, persona
):
    client = client_for(request.getfixturevalue(persona))
    data = form_data(customer, {"email": "info@example.com"})
    assert client.post(edit_url(customer), data).status_code == 403
    assert stored(customer) == []


def test_anonymous_is_sent_to_sign_in(client, customer):
    response = client.get(edit_url(customer))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_an_unknown_customer_is_404(client_for, editor):
    url = reverse("contacts:contact_details_edit", args=[4242])
    assert client_for(editor).get(url).status_code == 404


def test_the_window_shows_the_card_with_its_fields(client_for, editor, customer):
    contact_detail_create(
        customer=customer, kind="mobile", value="06 12345678", description="Sam"
    )
    contact_detail_create(
        customer=customer,
        kind="email",
        value="billing@example.com",
        description="Billing Contact",
    )
    contact_detail_create(customer=customer, kind="email", value="x@example.com")
    response = client_for(editor).get(edit_url(customer))
    form, formset = response.context["form"], response.context["formset"]
    assert form["mobile"].value() == "+31 6 12345678"
    assert form["mobile_description"].value() == "Sam"
    assert form["email"].value() == "billing@example.com"
    assert [row["value"].value() for row in formset] == ["x@example.com"]
    content = response.content.decode()
    for words in (
        "Additional contact details",
        ">Add</button>",
        ">Save</button>",
        ">Cancel</a>",
        # The card's own words for the primary fields.
        ">Email Address</label>",
        ">Telephone</label>",
        ">Mobile Phone</label>",
        ">Website</label>",
        '>Description<span class="visually-hidden"> of Mobile Phone</span></label>',
        "Change contact details of Fjord Foods B.V.",
    ):
        assert words in content


def test_save_stores_everything_and_ends_with_one_success_message(
    client_for, editor, customer
):
    data = form_data(
        customer,
        {"email": "info@example.com", "telephone": "020 123 4567"},
        rows=[
            {"kind": "email", "value": "billing@example.com", "description": "Billing"},
            {"kind": "telephone", "value": "020 765 4321", "description": "Billing"},
            {"kind": "email", "value": "", "description": ""},  # a row left empty
        ],
    )
    response = client_for(editor).post(edit_url(customer), data, follow=True)
    assert response.redirect_chain == [
        (reverse("customers:detail", args=[customer.pk]), 302)
    ]
    assert [str(m) for m in response.context["messages"]] == [
        "The contact details were saved."
    ]
    assert stored(customer) == [
        ("email", "info@example.com", "", True),
        ("email", "billing@example.com", "Billing", False),
        ("telephone", "+31201234567", "", True),
        ("telephone", "+31207654321", "Billing", False),
    ]


def test_the_history_names_the_user_who_saved(client_for, editor, customer):
    client_for(editor).post(
        edit_url(customer), form_data(customer, {"email": "info@example.com"})
    )
    record = ContactDetail.history.get()
    assert record.history_user == editor


def test_refused_input_saves_nothing_and_shows_each_error_at_its_field(
    client_for, editor, customer
):
    contact_detail_create(customer=customer, kind="website", value="example.com")
    data = form_data(
        customer,
        {"email": "info-at-example.com", "website": "example.org", "mobile": "06 1"},
        rows=[
            {"kind": "email", "value": "fine@example.com", "description": "Billing"},
            {"kind": "email", "value": "info@", "description": "Emergency"},
        ],
    )
    response = client_for(editor).post(edit_url(customer), data)
    assert response.status_code == 200
    form, formset = response.context["form"], response.context["formset"]
    assert form.errors["email"][0].startswith("This address has no @ sign")
    assert form.errors["mobile"][0] == (
        "This number has too few digits for Netherlands (+31)."
    )
    assert "website" not in form.errors
    assert formset.forms[1].errors["value"][0].startswith("Add the domain")
    assert not formset.forms[0].errors
    # Every value as typed.
    content = response.content.decode()
    for typed in ("info-at-example.com", "example.org", "06 1", "fine@example.com"):
        assert f'value="{typed}"' in content
    assert stored(customer) == [("website", "https://example.com", "", True)]


def test_removing_rows_deletes_them_and_promotes_the_oldest(
    client_for, editor, customer
):
    contact_detail_create(customer=customer, kind="email", value="a@example.com")
    b = contact_detail_create(customer=customer, kind="email", value="b@example.com")
    c = contact_detail_create(customer=customer, kind="email", value="c@example.com")
    data = form_data(
        customer,
        {"email": ""},
        rows=[
            {"id": b.pk, "kind": "email", "value": b.value, "DELETE": "on"},
            {"id": c.pk, "kind": "email", "value": c.value},
        ],
        initial_rows=2,
    )
    client_for(editor).post(edit_url(customer), data)
    assert stored(customer) == [("email", "c@example.com", "", True)]


def test_there_is_no_field_to_choose_the_primary(client_for, editor, customer):
    contact_detail_create(customer=customer, kind="email", value="a@example.com")
    b = contact_detail_create(customer=customer, kind="email", value="b@example.com")
    data = form_data(
        customer,
        {"email": "a@example.com", "is_primary": "on"},
        rows=[{"id": b.pk, "kind": "email", "value": b.value, "is_primary": "on"}],
        initial_rows=1,
    )
    client_for(editor).post(edit_url(customer), data)
    assert stored(customer)[0] == ("email", "a@example.com", "", True)
    assert (
        "is_primary" not in client_for(editor).get(edit_url(customer)).content.decode()
    )


def test_add_without_javascript_shows_the_window_with_one_more_row(
    client_for, editor, customer
):
    data = form_data(
        customer,
        {"email": "typed@example.com"},
        rows=[{"kind": "email", "value": "one@example.com"}],
        add_row="1",
    )
    response = client_for(editor).post(edit_url(customer), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) == 2
    assert 'value="typed@example.com"' in response.content.decode()
    assert stored(customer) == []


def test_a_save_based_on_a_changed_card_is_refused_asking_to_review(
    client_for, editor, customer
):
    detail = contact_detail_create(
        customer=customer, kind="email", value="a@example.com"
    )
    data = form_data(customer, {"email": "mine@example.com"})
    # Someone else changes it meanwhile (every write goes through the services).
    contact_detail_update(
        detail=detail, data={"description": "Changed by someone else"}
    )
    response = client_for(editor).post(edit_url(customer), data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Someone else changed this contact card since you opened it" in content
    # The window now shows the current values, with the current version.
    form = response.context["form"]
    assert form["email_description"].value() == "Changed by someone else"
    assert form["version"].value() == contact_card_version(customer=customer)
    detail.refresh_from_db()
    assert detail.value == "a@example.com"


@pytest.mark.parametrize("version", [None, "", " ", "abc", "1.5", "-1", "99"])
def test_a_save_without_a_readable_version_is_refused_like_a_stale_one(
    client_for, editor, customer, version
):
    """A version removed, emptied or forged is no proof the window saw the card as
    it is: the save is refused with the same message, never let through."""
    contact_detail_create(customer=customer, kind="email", value="a@example.com")
    data = form_data(customer, {"email": "mine@example.com"})
    if version is None:
        del data["version"]
    else:
        data["version"] = version
    response = client_for(editor).post(edit_url(customer), data)
    assert response.status_code == 200
    assert "Someone else changed this contact card since you opened it" in (
        response.content.decode()
    )
    assert response.context["form"]["version"].value() == contact_card_version(
        customer=customer
    )
    assert stored(customer) == [("email", "a@example.com", "", True)]


def test_state_never_changes_on_get(client_for, editor, customer):
    client_for(editor).get(
        edit_url(customer), form_data(customer, {"email": "info@example.com"})
    )
    assert stored(customer) == []


def test_a_post_without_csrf_token_is_refused(editor, customer):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(
        edit_url(customer), form_data(customer, {"email": "info@example.com"})
    )
    assert response.status_code == 403
    assert stored(customer) == []


def _card_with_rows(customer, count):
    """A card with an email primary and `count` additional emails, as the window
    posts it back with the first additional row's value changed (to a value of its
    own: another card's would be warned about first)."""
    contact_detail_create(customer=customer, kind="email", value="info@example.com")
    details = [
        contact_detail_create(customer=customer, kind="email", value=f"{n}@example.com")
        for n in range(count)
    ]
    rows = [{"id": d.pk, "kind": "email", "value": d.value} for d in details]
    rows[0]["value"] = f"changed.{customer.pk}@example.com"
    return form_data(
        customer, {"email": "info@example.com"}, rows=rows, initial_rows=count
    )


def test_save_costs_the_same_queries_for_1_or_100_details(
    client_for, editor, customer, django_assert_num_queries
):
    client = client_for(editor)
    small = _card_with_rows(customer, 1)
    other = CustomerFactory()
    billing_address(other, "NL")
    large = _card_with_rows(other, 100)
    for owner, data in ((customer, small), (other, large)):
        # session, user, the user's and its groups' permissions (4); the customer
        # (1); a savepoint and its release (2); the customer locked, with its
        # billing country (1); the card's details (1) and version (1); the one
        # changed row and its history record (2); the card's version raised (1);
        # the typed values on other customers' cards (1: the duplicate warning).
        with django_assert_num_queries(14):
            assert client.post(edit_url(owner), data).status_code == 302
    assert stored(other)[1][1] == f"changed.{other.pk}@example.com"


def test_a_forged_row_count_builds_no_more_than_100_rows_and_says_so(
    client_for, editor, customer
):
    data = form_data(customer, {"email": "info@example.com"})
    data["additional-TOTAL_FORMS"] = "1000000000"
    response = client_for(editor).post(edit_url(customer), data)
    assert response.status_code == 200
    formset = response.context["formset"]
    assert len(formset.forms) == 100
    assert "Please submit at most 100 forms." in formset.non_form_errors()
    assert stored(customer) == []


@pytest.mark.parametrize("count", ["lots", "-1", ""])
def test_a_row_count_that_is_not_a_number_is_refused_not_a_server_error(
    client_for, editor, customer, count
):
    for extra in ({}, {"add_row": "1"}):
        data = form_data(customer, {"email": "info@example.com"}, **extra)
        data["additional-TOTAL_FORMS"] = count
        response = client_for(editor).post(edit_url(customer), data)
        assert response.status_code == 200
        assert response.context["formset"].non_form_errors()
    assert stored(customer) == []


def test_adding_a_row_past_the_limit_is_refused_with_a_message(
    client_for, editor, customer
):
    rows = [{"kind": "email", "value": f"{n}@example.com"} for n in range(100)]
    data = form_data(customer, rows=rows, add_row="1")
    response = client_for(editor).post(edit_url(customer), data)
    formset = response.context["formset"]
    assert len(formset.forms) == 100
    assert "Please submit at most 100 forms." in formset.non_form_errors()


def test_a_mobile_number_typed_as_telephone_is_saved_with_a_warning(
    client_for, editor, customer
):
    data = form_data(
        customer,
        {"telephone": "06 12345678", "mobile": "020 123 4567"},
        rows=[{"kind": "mobile", "value": "06 87654321", "description": "Sales"}],
    )
    response = client_for(editor).post(edit_url(customer), data, follow=True)
    shown = [(m.level_tag, str(m)) for m in response.context["messages"]]
    assert shown == [
        ("success", "The contact details were saved."),
        (
            "warning",
            "+31 6 12345678 is a mobile number: did you mean Mobile Phone?",
        ),
        (
            "warning",
            "+31 20 123 4567 is a landline number: did you mean Telephone?",
        ),
    ]
    assert ("telephone", "+31612345678", "", True) in stored(customer)


def test_an_unchanged_number_of_the_other_kind_is_not_warned_about_again(
    client_for, editor, customer
):
    contact_detail_create(customer=customer, kind="telephone", value="06 12345678")
    data = form_data(customer, {"telephone": "+31 6 12345678", "email": "a@b.example"})
    response = client_for(editor).post(edit_url(customer), data, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_after_an_error_a_summary_lists_each_and_the_first_invalid_field_has_focus(
    client_for, editor, customer
):
    data = form_data(
        customer,
        {"email": "ok@example.com", "telephone": "020 12345", "website": "not a site"},
        rows=[{"kind": "email", "value": "info@@example.com", "description": ""}],
    )
    response = client_for(editor).post(edit_url(customer), data)
    assert [
        (error.label, error.message, error.field_id)
        for error in response.context["error_summary"]
    ] == [
        (
            "Telephone",
            "This is a landline number in Netherlands (+31) with 2 digits too few.",
            "id_telephone",
        ),
        (
            "Website",
            "Enter a valid website address, such as https://example.com.",
            "id_website",
        ),
        (
            "Additional detail 1, Value",
            "This address has 2 @ signs: an email address has exactly one.",
            "id_additional-0-value",
        ),
    ]
    content = response.content.decode()
    assert "Nothing was saved: correct the 3 errors below." in content
    assert '<a href="#id_telephone">Telephone: This is a landline number' in content
    # The first field in error, and only it, is focused when the window opens.
    assert content.count("autofocus") == 1
    assert "autofocus" in content.split('name="telephone"')[1].split(">")[0]


def test_a_window_without_errors_has_no_summary_and_no_autofocus(
    client_for, editor, customer
):
    response = client_for(editor).get(edit_url(customer))
    assert response.context["error_summary"] == []
    assert "autofocus" not in response.content.decode()


def test_add_without_javascript_focuses_the_new_row(client_for, editor, customer):
    data = form_data(customer, add_row="1")
    response = client_for(editor).post(edit_url(customer), data)
    assert response.context["error_summary"] == []
    new_row = response.content.decode().split('name="additional-0-kind"')[1]
    assert "autofocus" in new_row.split(">")[0]
