"""The language of a user's pages and of a contact's emails.

A page is in the language the signed-in user chose (core.UserPreferences), else the
one the browser asks for (Django's LocaleMiddleware reads Accept-Language), else
English. The choice is copied into the session when the user signs in or chooses, so
reading it costs no query per page.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest

from core.models import UserPreferences

SESSION_KEY = "user_language"


def language_codes() -> set[str]:
    return {code for code, _name in settings.LANGUAGES}


def user_language(user) -> str:
    """The language the user chose, or "" (their browser's)."""
    preferences = UserPreferences.objects.filter(user=user).first()
    return preferences.language if preferences else ""


def user_language_set(*, request: HttpRequest, language: str) -> None:
    """Remember the user's choice, on the user and in this session ("" for the
    browser's language)."""
    UserPreferences.objects.update_or_create(
        user=request.user, defaults={"language": language}
    )
    _remember(request, language)


def _remember(request: HttpRequest, language: str) -> None:
    if language:
        request.session[SESSION_KEY] = language
    else:
        request.session.pop(SESSION_KEY, None)


@receiver(user_logged_in, dispatch_uid="core.languages.sign_in")
def _remember_on_sign_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        _remember(request, user_language(user))


def email_language(language: str) -> str:
    """The language an email goes out in: the one chosen for its recipient, else the
    organisation's (settings.ORGANISATION_LANGUAGE)."""
    return language or settings.ORGANISATION_LANGUAGE
