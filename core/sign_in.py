"""How django-axes sees a sign-in: the client's address, and the page a locked-out
user gets. The counting and locking are axes's own (settings: AXES_*)."""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def client_ip_address(request: HttpRequest) -> str | None:
    """The address a sign-in is counted against.

    Without trusted proxies (TRUSTED_PROXY_COUNT=0, the default) it is the address the
    connection came from: an X-Forwarded-For header is written by the client and
    could name any address, so it is not read at all. Behind N proxies that each
    append the address they received the request from, the N-th entry from the right
    was written by the outermost proxy, so the client cannot forge it; entries left of
    it can be.
    """
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return request.META.get("REMOTE_ADDR")
    forwarded = [
        address.strip()
        for address in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if address.strip()
    ]
    if len(forwarded) < proxies:
        # Fewer hops than configured: the request did not come through the proxies
        # as expected; count it against the connection's address.
        return request.META.get("REMOTE_ADDR")
    return forwarded[-proxies]


def locked_out_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The sign-in page again, saying until when this user cannot sign in from here.

    Every attempt during a lockout starts the wait again
    (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT), so "now + cool-off" is exact.
    Answered with 429 Too Many Requests.
    """
    wait = settings.AXES_COOLOFF_TIME
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    # Rendered here: AxesMiddleware returns it after the view, past the point where
    # Django renders a TemplateResponse.
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "next": request.POST.get("next") or request.GET.get("next", ""),
            "locked_out": True,
            "try_again_at": timezone.localtime(timezone.now() + wait),
            "lockout_minutes": int(wait.total_seconds() // 60),
        },
        status=429,
    )


@receiver(user_logged_in, dispatch_uid="core.sign_in.session_lifetime")
def _session_ends_a_fixed_time_after_sign_in(sender, request, user, **kwargs):
    """A sign-in lasts SESSION_COOKIE_AGE from the sign-in itself. Django counts the
    age from the session's last change, so choosing a language would start it again."""
    if request is not None and hasattr(request, "session"):
        request.session.set_expiry(
            timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE)
        )
