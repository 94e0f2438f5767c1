"""What every request and response passes through: the response headers every page
gets (the other security headers come from Django's SecurityMiddleware, django-csp and
django-permissions-policy; see docs/security.md), and the refusal, before any view
runs, of an address holding a character no address may hold."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import patch_cache_control

from core import health
from core.history_groups import history_group
from core.languages import SESSION_KEY, language_codes
from core.validators import UnusableCharacter, find_unusable_character

# A view with this attribute set refuses the characters itself (the JSON API, which
# answers in JSON): the middleware lets its requests through.
REFUSES_UNUSABLE_CHARACTERS = "refuses_unusable_characters"

# The search boxes: the lists' and the admin's (`q`), the admin's autocomplete's.
SEARCH_PARAMETERS = frozenset({"q", "term"})


class ProbeMiddleware:
    """Answer `/healthz` and `/readyz` (core.health) before any other middleware.

    A probe addresses the process directly: by its IP address (a `Host` that
    ALLOWED_HOSTS does not name, which CommonMiddleware would refuse with a 400), over
    plain HTTP (SecurityMiddleware would redirect it to HTTPS: TLS ends at the proxy
    in front), without a session (LoginRequiredMiddleware would send it to sign in).
    It also gets no request id and no line in the request log: probes come every
    few seconds and say nothing a person needs to read.
    """

    PROBES = {
        "/healthz": health.liveness,
        "/readyz": health.readiness,
    }

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if probe := self.PROBES.get(request.path_info.rstrip("/")):
            return probe(request)
        return self.get_response(request)


class UnusableCharactersMiddleware:
    """Answer 400, with a page that says what is wrong and a way back, when the
    request's path or one of its query parameters (name or value) holds a control
    character, a line break or a tab.

    One place for every view: the searches of the lists and the admin, the admin's
    filters, sorting, paging and autocomplete, the Activity tab's filters, and any
    parameter a later page reads. A NUL byte would otherwise reach PostgreSQL, which
    refuses it with an error (a 500) wherever a view filters by the value; the other
    characters could only ever find nothing. Refused rather than removed: a search
    quietly changed finds what nobody asked for. Forms posted to the application
    need nothing here: their fields refuse the same characters at the field
    (`core.validators`, through every model's `full_clean`). A view marked
    REFUSES_UNUSABLE_CHARACTERS (the JSON API) applies the same rule itself and
    answers in its own format.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        if problem := find_unusable_character(request.path):
            return self._refuse(request, problem, where=None)
        for name, values in request.GET.lists():
            for text in (name, *values):
                if problem := find_unusable_character(text):
                    return self._refuse(request, problem, where=name)
        return self.get_response(request)

    def _refuse_in_the_view(self, request: HttpRequest) -> bool:
        """Whether the view of the address refuses these characters itself, with
        the same rule, in its own kind of answer."""
        try:
            view = resolve(request.path_info).func
        except Resolver404:
            return False
        return getattr(view, REFUSES_UNUSABLE_CHARACTERS, False)

    def _refuse(
        self, request: HttpRequest, problem: UnusableCharacter, *, where: str | None
    ) -> HttpResponse:
        if self._refuse_in_the_view(request):
            return self.get_response(request)
        context = {
            "search": where in SEARCH_PARAMETERS,
            "what": problem.words,
            # The page without its query: the list unsearched. Other addresses get
            # the error pages' way back.
            "back_url": request.path,
        }
        return HttpResponseBadRequest(
            render_to_string("core/unusable_characters.html", context, request=request)
        )


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


class UserLanguageMiddleware:
    """Activate the language the signed-in user chose (core.languages), over the one
    LocaleMiddleware took from the browser."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        # The session holds it only while signed in: signing out flushes the session.
        language = request.session.get(SESSION_KEY)
        if language in language_codes():
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)


class HistoryGroupMiddleware:
    """What one request writes is one entry of the Activity Log (core.history_groups):
    a card's Save of five fields, a contact added with its roles."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with history_group():
            return self.get_response(request)
