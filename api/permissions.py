from rest_framework.permissions import SAFE_METHODS, BasePermission

from api.errors import ReadOnlyToken
from api.models import ApiToken


class ResourcePermission(BasePermission):
    """The model permissions the pages check for the same thing (the resource's
    `required_permissions()`), of the token's user; a read-only token only reads.
    Without a valid token: 401."""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False
        if (
            request.method not in SAFE_METHODS
            and isinstance(request.auth, ApiToken)
            and request.auth.read_only
        ):
            raise ReadOnlyToken()
        return request.user.has_perms(view.required_permissions())
