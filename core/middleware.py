"""Response headers every page gets (the other security headers come from Django's
SecurityMiddleware, django-csp and django-permissions-policy; see docs/security.md)."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control


class NoStoreMiddleware:
    """`Cache-Control: private, no-store` on every response Django renders.

    Nearly every page shows customer data, and the few that do not (sign-in, error
    pages) lose nothing by not being cached: so no page is left to remember. Static
    files are answered by WhiteNoise before this middleware and keep their long cache.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        patch_cache_control(response, private=True, no_store=True)
        return response
