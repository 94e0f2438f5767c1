"""The registry through which apps add tabs and panels to a customer's pages."""

import pytest
from django.test import RequestFactory

from customers.pages import CustomerPages, CustomerPanel, customer_pages
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_installed_apps_contribute_their_tabs_in_order(manager, outsider):
    customer = CustomerFactory()
    tabs = customer_pages.tabs(request_for(manager), customer)
    assert [tab.label for tab in tabs] == [
        "Overview",
        "Contacts",
        "Addresses",
        "Activity",
    ]
    assert tabs[1].url == f"/customers/{customer.pk}/contacts/"
    assert customer_pages.tabs(request_for(outsider), customer) == []


@pytest.fixture
def panel_template(settings, tmp_path):
    (tmp_path / "panel.html").write_text("{{ text }} {{ customer.name }}")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    return "panel.html"


def test_a_panel_shows_on_its_page_in_order_unless_its_context_says_no(
    viewer, panel_template
):
    pages = CustomerPages()
    customer = CustomerFactory(name="Fjord Foods")
    for key, position, context in [
        ("second", 20, lambda request, customer: {"text": "two"}),
        ("first", 10, lambda request, customer: {"text": "one"}),
        ("hidden", 15, lambda request, customer: None),
    ]:
        pages.register_panel(
            CustomerPanel(
                key=key,
                page="overview",
                template_name=panel_template,
                context=context,
                position=position,
            )
        )
    rendered = pages.panels("overview", request_for(viewer), customer)
    assert [html.strip() for html in rendered] == ["one Fjord Foods", "two Fjord Foods"]
    assert pages.panels("contacts", request_for(viewer), customer) == []
