"""Every refusal of the API as one JSON shape, in the language of Accept-Language:

    {"errors": [{"field": "value", "code": "invalid_phone_number",
                 "message": "This is not a valid phone number for the Netherlands."}]}

`field` names the input the error is about (`billing_address.city`), or is null for
the request as a whole. The codes are stable; the messages are for people. A rule
of a model or a service (a Django ValidationError) keeps its own code and words.
"""

from collections.abc import Iterator

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings

from core.services import GONE, STALE, EditConflict

NOT_A_FIELD = {NON_FIELD_ERRORS, api_settings.NON_FIELD_ERRORS_KEY}

# Our words for what Django REST framework refuses before a view runs.
MESSAGES = {
    exceptions.NotAuthenticated: _(
        "Send your API token in the Authorization header: "
        "“Authorization: Bearer <token>”."
    ),
    exceptions.PermissionDenied: _("Your user may not do this."),
    exceptions.NotFound: _("Nothing was found at this address."),
    exceptions.ParseError: _("The body of the request is not valid JSON."),
    exceptions.UnsupportedMediaType: _(
        "Send the body of the request as JSON (Content-Type: application/json)."
    ),
    exceptions.NotAcceptable: _(
        "This API answers in JSON only (Accept: application/json)."
    ),
}


class PreconditionRequired(exceptions.APIException):
    status_code = status.HTTP_428_PRECONDITION_REQUIRED
    default_code = "precondition_required"
    default_detail = _(
        "Send the ETag you read in an If-Match header, so that a change made "
        "meanwhile is not overwritten."
    )


class PreconditionFailed(exceptions.APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_code = "precondition_failed"
    default_detail = _(
        "Someone else changed this since you read it, so nothing was saved. Read "
        "it again and make your change again."
    )


class ReadOnlyToken(exceptions.PermissionDenied):
    default_code = "read_only_token"
    default_detail = _("This API token is read-only: it can read but not change.")


class RateLimited(exceptions.Throttled):
    def __init__(self, *, limit: int, wait: float):
        super().__init__(wait=wait)
        self.detail = exceptions.ErrorDetail(
            ngettext(
                "Too many requests: a token may make %(limit)d a minute. Try again "
                "in %(seconds)d second.",
                "Too many requests: a token may make %(limit)d a minute. Try again "
                "in %(seconds)d seconds.",
                self.wait,
            )
            % {"limit": limit, "seconds": self.wait},
            code="throttled",
        )


def error(code: str, message, field: str | None = None) -> dict:
    return {"field": field, "code": code, "message": str(message)}


def exception_handler(exc, context) -> Response | None:
    """DRF's exception handler, answering with `{"errors": [...]}`."""
    # Imported here: DRF's views module imports the permission and throttle
    # classes of the settings, which import this module.
    from rest_framework.views import set_rollback

    if isinstance(exc, EditConflict):
        # A service found the row changed or gone under its lock.
        exc = PreconditionFailed() if exc.code == STALE else exceptions.NotFound()
        if exc.status_code == status.HTTP_404_NOT_FOUND:
            exc.detail = exceptions.ErrorDetail(
                MESSAGES[exceptions.NotFound], code=GONE
            )
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    if not isinstance(exc, exceptions.APIException):
        return None  # DRF turns a PermissionDenied of Django's into its own first
    headers = {}
    if auth_header := getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = auth_header
    if wait := getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(wait))
    set_rollback()
    return Response(
        {"errors": list(_errors_of(exc, context))},
        status=exc.status_code,
        headers=headers,
    )


def _errors_of(exc: exceptions.APIException, context) -> Iterator[dict]:
    if isinstance(exc, exceptions.ValidationError):
        for path, detail in _flatten(exc.detail, ()):
            field = ".".join(part for part in path if part not in NOT_A_FIELD)
            yield error(detail.code, detail, field or None)
        return
    detail = exc.detail
    if isinstance(detail, dict | list):  # an APIException raised with several
        for _path, item in _flatten(detail, ()):
            yield error(item.code, item)
        return
    message = detail
    ours = MESSAGES.get(type(exc))
    if ours is not None and str(detail) == str(type(exc).default_detail):
        message = ours
    elif isinstance(exc, exceptions.MethodNotAllowed):
        method = context["request"].method if context.get("request") else ""
        message = _("The method %(method)s is not allowed here.") % {"method": method}
    yield error(detail.code, message)


def _flatten(detail, path: tuple[str, ...]):
    if isinstance(detail, dict):
        for key, value in detail.items():
            yield from _flatten(value, (*path, str(key)))
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            inner = (*path, str(index)) if isinstance(item, dict | list) else path
            yield from _flatten(item, inner)
    else:
        yield path, detail


def _django_errors(error: DjangoValidationError) -> dict:
    """A model's or a service's ValidationError as DRF's detail, keeping each
    message's code (`invalid_phone_number`, `stale`, …)."""
    if hasattr(error, "error_dict"):
        return {
            NON_FIELD_ERRORS if field == NON_FIELD_ERRORS else field: _details(errors)
            for field, errors in error.error_dict.items()
        }
    return {NON_FIELD_ERRORS: _details(error.error_list)}


def _details(errors) -> list:
    details = []
    for item in errors:
        for single in item.error_list:
            message = single.message
            if single.params:
                message = message % single.params
            details.append(
                exceptions.ErrorDetail(str(message), code=single.code or "invalid")
            )
    return details


def prefixed(error: DjangoValidationError, prefix: str) -> DjangoValidationError:
    """The errors of a nested object (a customer's billing address) under its
    field: `city` becomes `billing_address.city`."""
    if not hasattr(error, "error_dict"):
        return DjangoValidationError({prefix: error.error_list})
    return DjangoValidationError(
        {
            prefix if field == NON_FIELD_ERRORS else f"{prefix}.{field}": errors
            for field, errors in error.error_dict.items()
        }
    )
