"""Every text field of every model is registered as personal or declared not."""

import pytest
from django.db import models
from django.test.utils import isolate_apps

from core.privacy import personal_data, unclassified_fields


def test_every_text_field_of_every_model_is_classified():
    assert unclassified_fields() == []


@isolate_apps("privacy")
def test_a_text_field_added_later_and_not_listed_fails_the_check():
    class Pet(models.Model):
        nickname = models.CharField(max_length=50)
        notes = models.TextField()
        count = models.IntegerField()

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return self.nickname

    assert unclassified_fields([Pet]) == ["privacy.Pet.nickname", "privacy.Pet.notes"]


def test_history_models_are_checked_too():
    from contacts.models import Contact

    history = Contact.history.model
    registered = personal_data.models.pop("contacts.Contact")
    try:
        unlisted = unclassified_fields([history])
    finally:
        personal_data.register(registered)
    assert "contacts.HistoricalContact.first_name" in unlisted
    assert "contacts.HistoricalContact.history_change_reason" in unlisted


@pytest.mark.parametrize(
    "label", ["contacts.Contact", "communications.Delivery", "sales.Invoice"]
)
def test_the_apps_register_their_own_personal_models(label):
    assert label in personal_data.models


def test_the_person_is_registered_and_its_fields_are_checked():
    from contacts.models import Person

    erased = {
        f.name for f in personal_data.models["contacts.Person"].fields_of("erase")
    }
    assert {"first_name", "last_name", "personal_email", "personal_phone"} <= erased
    registered = personal_data.models.pop("contacts.Person")
    try:
        unlisted = unclassified_fields([Person, Person.history.model])
    finally:
        personal_data.register(registered)
    for name in ("first_name", "last_name", "personal_email", "personal_phone"):
        assert f"contacts.Person.{name}" in unlisted
        assert f"contacts.HistoricalPerson.{name}" in unlisted
