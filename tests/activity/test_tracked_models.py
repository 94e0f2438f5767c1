"""Each app registers what the Activity Log tracks of it; activity names none."""

import re
from pathlib import Path

from django.apps import apps

import activity
from core.history import tracked_models

# Another app's model label (`contacts.Contact`) or one of its modules.
OTHER_APPS = ("customers", "contacts", "communications", "sales")


def test_the_activity_app_names_no_other_apps_models_or_modules():
    named = [
        (path.name, match.group(0))
        for path in Path(activity.__file__).parent.rglob("*.py")
        for match in re.finditer(
            rf"\b({'|'.join(OTHER_APPS)})\.[A-Za-z_]+", path.read_text()
        )
        # The permissions of a customer's pages, not a model or module.
        if not match.group(0).startswith("customers.view_customer")
        and not match.group(0).startswith("customers.pages")
    ]
    assert named == []


def test_every_tracked_model_is_registered_by_its_own_app():
    by_app = {tracked.model.split(".")[0] for tracked in tracked_models()}
    assert by_app == set(OTHER_APPS)
    for tracked in tracked_models():
        label = tracked.model.split(".")[0]
        module = tracked.describe.__module__
        assert module == f"{label}.activity_log", tracked.key
        assert apps.get_model(tracked.model) is tracked.live_model


def test_the_kinds_keep_their_order_in_the_filter():
    assert [tracked.key for tracked in tracked_models()] == [
        "customer",
        "address",
        "contact",
        "contact_detail",
        "sales_order",
        "invoice",
        "shipment",
        "delivery",
        "suppression",
    ]
