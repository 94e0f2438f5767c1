"""Above every refused form, a summary says that nothing was saved and lists each
error with its field, linked to it (the card window has the same, with its rows)."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.urls import reverse

from contacts.models import Contact
from core.forms import SummaryError, error_summary
from tests.customers.factories import CustomerFactory, billing_address

pytestmark = pytest.mark.django_db


def summary_of(page: str) -> str:
    start = page.index('class="error-summary"')
    return page[start : page.index("</ul>", start)]


def test_a_refused_contact_form_lists_its_errors_above_the_form(client_for, editor):
    customer = CustomerFactory()
    billing_address(customer, country="NL")

    response = client_for(editor).post(
        reverse("contacts:create", args=[customer.pk]),
        {"first_name": "", "email": "anna@@example.com", "phone": "06 1234"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved: correct the 3 errors below." in page
    summary = summary_of(page)
    assert '<a href="#id_first_name">First name: This field is required.</a>' in (
        summary
    )
    assert '<a href="#id_email">Email address: ' in summary
    assert '<a href="#id_phone">Phone number: ' in summary
    assert not Contact.objects.exists()


def test_an_error_about_the_whole_form_comes_first_without_a_link():
    class Form(forms.Form):
        name = forms.CharField(label="Name")

        def clean(self):
            raise forms.ValidationError("These do not go together.")

    form = Form(data={"name": ""})
    form.is_valid()

    assert error_summary(form) == [
        SummaryError("", "These do not go together."),
        SummaryError("Name", "This field is required.", "id_name"),
    ]
    page = render_to_string(
        "includes/error_summary.html", {"errors": error_summary(form)}
    )
    assert "Nothing was saved: correct the 2 errors below." in page
    assert "<li>These do not go together.</li>" in page
    assert '<li><a href="#id_name">Name: This field is required.</a></li>' in page


def test_a_form_opened_without_errors_has_no_summary(client_for, editor):
    customer = CustomerFactory()

    page = client_for(editor).get(reverse("contacts:create", args=[customer.pk]))

    assert "error-summary" not in page.content.decode()
