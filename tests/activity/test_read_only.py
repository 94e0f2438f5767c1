"""The history is read-only: the admin shows it but reverts nothing, and the activity
app offers no way to change it."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.core import checks
from django.urls import reverse
from simple_history.admin import SimpleHistoryAdmin

from core.admin import HistoryAdmin
from core.history import TrackedModel
from customers.models import Customer
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db


def test_reverting_is_switched_off_in_the_settings():
    assert settings.SIMPLE_HISTORY_REVERT_DISABLED is True


def test_the_admin_shows_a_past_version_without_a_revert_button(admin_client):
    customer = CustomerFactory(name="Fjord")
    customer.name = "Fjord Foods"
    customer.save()
    history = admin_client.get(
        reverse("admin:customers_customer_history", args=[customer.pk])
    )
    assert history.status_code == 200
    assert "Fjord Foods" in history.content.decode()
    old = customer.history.earliest()
    url = reverse(
        "admin:customers_customer_simple_history", args=[customer.pk, old.history_id]
    )
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["revert_disabled"] is True
    assert "Revert" not in response.content.decode()


def test_posting_a_past_version_is_refused_and_changes_nothing(admin_client):
    customer = CustomerFactory(name="Fjord")
    customer.name = "Fjord Foods"
    customer.save()
    old = customer.history.earliest()
    url = reverse(
        "admin:customers_customer_simple_history", args=[customer.pk, old.history_id]
    )
    response = admin_client.post(url, {"name": "Fjord", "is_active": "on"})
    assert response.status_code == 403
    assert Customer.objects.get().name == "Fjord Foods"
    assert customer.history.count() == 2


def test_every_admin_with_history_is_a_read_only_history_admin():
    with_history = [
        model_admin
        for model_admin in admin.site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert with_history
    assert all(isinstance(model_admin, HistoryAdmin) for model_admin in with_history)


def test_the_activity_tab_answers_only_to_reading(client_for, manager):
    customer = CustomerFactory()
    url = reverse("activity:list", kwargs={"customer_pk": customer.pk})
    assert client_for(manager).post(url).status_code == 405


def test_the_registry_passes_its_system_checks():
    assert [e for e in checks.run_checks() if e.id.startswith("activity.")] == []


def test_a_registry_entry_with_a_wrong_customer_field_fails_the_checks(monkeypatch):
    wrong = TrackedModel(
        key="x",
        label="X",
        model="customers.Address",
        customer_field="client_id",
        describe=str,
    )
    monkeypatch.setattr("activity.checks.tracked_models", lambda: [wrong])
    assert [e.id for e in checks.run_checks() if e.id.startswith("activity.")] == [
        "activity.E002"
    ]
