"""The admin site: Django's, with one more check on every model's changelist."""

from functools import wraps

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Model
from django.http import HttpResponseRedirect
from django.utils.translation import gettext


def readable_keys(model: type[Model], values: list[str]) -> bool:
    """Whether every value is a key the model's rows could have: a changelist
    action posted with `abc`, `1.5` or a number past the column's range is refused
    before the database reads it (Django would answer 500)."""
    field = model._meta.pk
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    for value in values:
        try:
            key = field.to_python(value)
        except ValidationError:
            return False
        if key is None or key == "":
            return False
        if isinstance(key, int) and (
            (low is not None and key < low) or (high is not None and key > high)
        ):
            return False
    return True


class AdminSite(admin.AdminSite):
    """Every model admin's views refuse a changelist action whose selected rows
    are not keys, the third-party apps' admins included."""

    def admin_view(self, view, cacheable=False):
        model_admin = getattr(view, "__self__", None)
        if isinstance(model_admin, admin.ModelAdmin):
            view = _refusing_unreadable_selections(view, model_admin.model)
        return super().admin_view(view, cacheable)


def _refusing_unreadable_selections(view, model: type[Model]):
    @wraps(view)
    def checked(request, *args, **kwargs):
        selected = request.POST.getlist(ACTION_CHECKBOX_NAME)
        if request.method == "POST" and not readable_keys(model, selected):
            messages.warning(
                request,
                gettext(
                    "The selection could not be read, so nothing was changed. "
                    "Select the items again."
                ),
            )
            return HttpResponseRedirect(request.get_full_path())
        return view(request, *args, **kwargs)

    return checked
