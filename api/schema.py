"""The OpenAPI document (drf-spectacular) says for every operation what the generic
machinery of api.resources.base adds: the bearer token, If-Match where a write
needs it, the ETag header, and each refusal in the errors' one shape."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse
from rest_framework import serializers


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "token"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": str(
                _(
                    "An API token: `python manage.py create_api_token USERNAME`, or "
                    "the admin's API tokens."
                )
            ),
        }


class ErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_null=True,
        help_text=_(
            "The input the error is about (billing_address.city); null: "
            "the request as a whole."
        ),
    )
    code = serializers.CharField(help_text=_("Stable, for programs."))
    message = serializers.CharField(
        help_text=_("For people, in the language of Accept-Language.")
    )


class ErrorsSerializer(serializers.Serializer):
    errors = ErrorSerializer(many=True)


def _error(description) -> OpenApiResponse:
    return OpenApiResponse(ErrorsSerializer, description=description)


ERRORS = {
    400: _error(_("The input is refused; each error names its field.")),
    401: _error(_("No valid token.")),
    403: _error(_("The token's user may not do this, or the token is read-only.")),
    404: _error(_("No such object.")),
    412: _error(_("The object changed since the ETag sent in If-Match.")),
    428: _error(_("If-Match is missing.")),
    429: _error(_("Too many requests: see Retry-After.")),
}
WRITES = {"create", "partial_update", "destroy"}


class ResourceSchema(AutoSchema):
    def _preconditioned(self) -> bool:
        action = getattr(self.view, "action", None)
        return action in getattr(self.view, "precondition_actions", ())

    def _answers_with_object(self) -> bool:
        action = getattr(self.view, "action", None)
        return action in {"retrieve", "create", "partial_update"} or (
            self._preconditioned() and self.method != "DELETE"
        )

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self._preconditioned():
            parameters.append(
                OpenApiParameter(
                    "If-Match",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    required=True,
                    description=str(
                        _("The ETag of the object as read: 412 when it changed since.")
                    ),
                )
            )
        if self._answers_with_object():
            code = 201 if self._is_create_operation() else 200
            parameters.append(
                OpenApiParameter(
                    "ETag",
                    OpenApiTypes.STR,
                    OpenApiParameter.HEADER,
                    response=[code],
                    required=True,
                    description=str(_("The object's version, for If-Match.")),
                )
            )
        parameters.append(
            OpenApiParameter(
                "Retry-After",
                OpenApiTypes.INT,
                OpenApiParameter.HEADER,
                response=[429],
                required=True,
                description=str(_("Seconds until the token may ask again.")),
            )
        )
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        codes = [400, 401, 403, 404, 429]
        if self._preconditioned():
            codes += [412, 428]
        for code in codes:
            responses.setdefault(
                str(code),
                self._get_response_for_code(
                    ERRORS[code], str(code), direction=direction
                ),
            )
        return responses

    def _map_basic_serializer(self, serializer, direction):
        """The fields a user sees only with a permission are not required."""
        mapped = super()._map_basic_serializer(serializer, direction)
        meta = getattr(serializer, "Meta", None)
        optional = set(getattr(meta, "field_permissions", {}))
        if optional and "required" in mapped:
            mapped["required"] = [n for n in mapped["required"] if n not in optional]
            if not mapped["required"]:
                del mapped["required"]
        return mapped
