"""`Authorization: Bearer <token>`: the request acts as the token's user."""

from datetime import timedelta

from django.utils import formats, timezone
from django.utils.translation import gettext
from rest_framework import authentication, exceptions

from api.models import ApiToken
from api.services import token_hash

# How stale `last_used_at` may be before a request writes it again: one write a
# minute per token at most, not one per request.
LAST_USED_PRECISION = timedelta(minutes=1)


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None  # no token: NotAuthenticated, 401
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                gettext("Send the token after “Bearer ”, with no space in it."),
                code="invalid_token",
            )
        try:
            secret = header[1].decode("ascii")
        except UnicodeDecodeError:
            secret = ""
        token = (
            ApiToken.objects.select_related("user")
            .filter(key_hash=token_hash(secret))
            .first()
        )
        return self._check(token), token

    def _check(self, token: ApiToken | None):
        now = timezone.now()
        if token is None:
            raise exceptions.AuthenticationFailed(
                gettext(
                    "This API token is not valid. Check that it was copied whole, "
                    "or ask for a new one."
                ),
                code="invalid_token",
            )
        if token.revoked_at is not None:
            raise exceptions.AuthenticationFailed(
                gettext("This API token was revoked. Ask for a new one."),
                code="revoked_token",
            )
        if not token.is_usable(now):
            raise exceptions.AuthenticationFailed(
                gettext("This API token expired on %(date)s. Ask for a new one.")
                % {
                    "date": formats.date_format(
                        timezone.localtime(token.expires_at), "DATETIME_FORMAT"
                    )
                },
                code="expired_token",
            )
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed(
                gettext("The user of this API token is no longer active."),
                code="inactive_user",
            )
        if token.last_used_at is None or token.last_used_at < now - LAST_USED_PRECISION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'
