"""System checks that keep the registry of tracked models honest."""

from django.core import checks
from django.db import models

from core.history import tracked_models


@checks.register()
def check_tracked_models(app_configs, **kwargs):
    errors = []
    for tracked in tracked_models():
        try:
            history = tracked.history_model
        except Exception as error:  # a model without history, or a typo
            errors.append(
                checks.Error(
                    f"{tracked.model} cannot be in the Activity Log: {error}",
                    hint="Give the model history with core.history.tracked_history().",
                    id="activity.E001",
                )
            )
            continue
        field_names = {field.attname for field in history._meta.concrete_fields}
        if tracked.customer_field not in field_names:
            errors.append(
                checks.Error(
                    f"{history.__name__} has no field {tracked.customer_field!r}.",
                    id="activity.E002",
                )
            )
        if any(
            isinstance(field, models.ForeignKey) and field.name == "history_user"
            for field in history._meta.concrete_fields
        ):
            errors.append(
                checks.Warning(
                    f"{history.__name__} keeps its user as a foreign key that is set "
                    "to NULL when the user is deleted; their changes would then show "
                    "as made by the system.",
                    hint="Use core.history.tracked_history() instead of "
                    "HistoricalRecords().",
                    id="activity.W001",
                )
            )
    return errors
