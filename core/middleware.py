"""Refusing, before any view runs, a request whose address holds a character no
address may hold."""

from django.http import HttpRequest, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.urls import reverse

from core.validators import UnusableCharacter, find_unusable_character

# The search boxes: the lists' and the admin's (`q`), the admin's autocomplete's.
SEARCH_PARAMETERS = frozenset({"q", "term"})


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
    (`core.validators`, through every model's `full_clean`).
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

    def _refuse(
        self, request: HttpRequest, problem: UnusableCharacter, *, where: str | None
    ) -> HttpResponseBadRequest:
        search = where in SEARCH_PARAMETERS
        context = {
            "search": search,
            "what": problem.words,
            # The page without its query: the list unsearched, the admin unfiltered.
            "back_url": reverse("home") if where is None else request.path,
        }
        return HttpResponseBadRequest(
            render_to_string("core/unusable_characters.html", context, request=request)
        )
