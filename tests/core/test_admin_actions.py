"""A changelist action posted with a selection that names no row (a forged
`_selected_action`) is refused with a message on every changelist of the admin,
never answered with a server error."""

import pytest
from django.contrib import admin
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

FORGED = {
    "letters": "abc",
    "a fraction": "1.5",
    "empty": "",
    "past the column": "9" * 30,
}


def _changelists_with_actions(request_factory_user):
    return [
        (model, model_admin)
        for model, model_admin in admin.site._registry.items()
        if model_admin.get_actions(request_factory_user)
    ]


@pytest.mark.parametrize("forged", FORGED)
def test_a_forged_selection_is_refused_on_every_changelist(admin_client, rf, forged):
    request = rf.get("/")
    request.user = admin_client.get(reverse("admin:index")).wsgi_request.user
    changelists = _changelists_with_actions(request)
    assert len(changelists) >= 7
    for model, model_admin in changelists:
        url = reverse(
            f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist"
        )
        for action in model_admin.get_actions(request):
            # The action's button, and the confirmation page's (delete).
            steps = [{"index": "0"}] + [{"post": "yes"}] * (action == "delete_selected")
            for step in steps:
                response = admin_client.post(
                    url,
                    {"action": action, ACTION_CHECKBOX_NAME: FORGED[forged], **step},
                    follow=True,
                )
                assert response.status_code == 200, (model, action, step)
                assert "The selection could not be read" in response.content.decode()


def test_a_readable_selection_still_deletes(admin_client):
    customer = CustomerFactory()
    url = reverse("admin:customers_customer_changelist")
    response = admin_client.post(
        url,
        {"action": "delete_selected", ACTION_CHECKBOX_NAME: str(customer.pk)},
    )
    assert response.status_code == 200  # the confirmation page
    admin_client.post(
        url,
        {
            "action": "delete_selected",
            ACTION_CHECKBOX_NAME: str(customer.pk),
            "post": "yes",
        },
    )
    assert not type(customer).objects.filter(pk=customer.pk).exists()
