"""Serializer pieces the resources share."""

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied

from contacts.selectors import phone_readings


def generating_schema(context) -> bool:
    return getattr(context.get("view"), "swagger_fake_view", False)


class PermissionFieldsSerializer(serializers.Serializer):
    """A representation whose fields named in `Meta.field_permissions` ({field:
    permission}) are left out for users without that permission, as the pages leave
    out what those users may not see. The schema lists them all, as optional.
    Input for a left-out field is refused (403), never ignored."""

    def get_fields(self):
        fields = super().get_fields()
        self.hidden_fields = set()
        request = self.context.get("request")
        if request is None or generating_schema(self.context):
            return fields
        for name, permission in getattr(self.Meta, "field_permissions", {}).items():
            if not request.user.has_perm(permission):
                fields.pop(name, None)
                self.hidden_fields.add(name)
        return fields

    def to_internal_value(self, data):
        self.fields  # noqa: B018  (get_fields() runs once, on first use)
        if isinstance(data, Mapping) and set(data) & self.hidden_fields:
            raise PermissionDenied()
        return super().to_internal_value(data)


@extend_schema_field(OpenApiTypes.STR)
class PhoneField(serializers.CharField):
    """A phone number typed in any format, as the header search reads it: the
    value is the list of E.164 numbers it can be (one with a country code, one per
    billing country otherwise)."""

    default_error_messages = {
        "not_a_phone_number": _("This cannot be read as a phone number."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 50)
        super().__init__(**kwargs)

    def to_internal_value(self, data) -> list[str]:
        numbers = phone_readings(super().to_internal_value(data))
        if not numbers:
            self.fail("not_a_phone_number")
        return numbers


class CodeRelatedField(serializers.SlugRelatedField):
    """An object named by its code. A code with a NUL character names none (and
    PostgreSQL cannot compare it): refused as any unknown code, not a 500."""

    def to_internal_value(self, data):
        if isinstance(data, str) and "\x00" in data:
            self.fail("does_not_exist", slug_name=self.slug_field, value=data)
        return super().to_internal_value(data)
