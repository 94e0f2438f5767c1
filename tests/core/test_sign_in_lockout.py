"""Sign-in lockout (django-axes): after SIGN_IN_FAILURE_LIMIT wrong passwords for one
user from one address, that user cannot sign in from that address, not even with the
right password, until the cool-off has passed or an administrator unlocks it.

Each test's failures live in its own test transaction, so nothing locks the browser
tests or the next test out.
"""

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.sign_in import client_ip_address
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "the-right-password"


@pytest.fixture
def vera():
    return UserFactory(username="vera", password=PASSWORD)


def sign_in(client, password, username="vera", address="198.51.100.7"):
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def fail_until_locked(client, username="vera", address="198.51.100.7"):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = sign_in(client, "wrong", username=username, address=address)
    return response


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_limit_is_small_and_the_wait_a_quarter_of_an_hour_by_default():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]


def test_wrong_passwords_below_the_limit_do_not_lock(client, vera):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in(client, "wrong").status_code == 200
    assert sign_in(client, PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_after_the_limit_the_right_password_is_refused_with_when_to_try_again(
    client, vera
):
    response = fail_until_locked(client)
    assert response.status_code == 429

    response = sign_in(client, PASSWORD)

    assert response.status_code == 429
    assert not is_signed_in(client)
    page = response.content.decode()
    assert "Too many failed sign-ins" in page
    until = timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME)
    assert f"Try again at {until:%H:%M} (in 15 minutes)" in page
    assert "An administrator can unlock your account" in page
    # The sign-in form is still there, the user name kept.
    assert 'name="password"' in page
    assert 'value="vera"' in page


def test_the_failures_are_kept_in_the_database_every_worker_reads(client, vera):
    fail_until_locked(client)

    attempt = AccessAttempt.objects.get(username="vera")
    assert attempt.ip_address == "198.51.100.7"
    assert attempt.failures_since_start == settings.AXES_FAILURE_LIMIT
    # Another process (a fresh client, no shared session) is refused as well.
    assert sign_in(Client(), PASSWORD).status_code == 429


def test_the_lock_is_per_user_and_address(client, vera):
    UserFactory(username="otto", password=PASSWORD)
    fail_until_locked(client)

    assert sign_in(Client(), PASSWORD, address="203.0.113.9").status_code == 302
    assert sign_in(Client(), PASSWORD, username="otto").status_code == 302


def test_once_the_wait_is_over_the_right_password_signs_in(client, vera):
    fail_until_locked(client)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME
    )

    assert sign_in(client, PASSWORD).status_code == 302
    assert is_signed_in(client)


def test_an_attempt_during_the_lockout_starts_the_wait_again(client, vera):
    fail_until_locked(client)
    # A minute before the lock would end, the user tries again (right password):
    almost = timezone.now() - settings.AXES_COOLOFF_TIME + datetime.timedelta(minutes=1)
    AccessAttempt.objects.update(attempt_time=almost)

    assert sign_in(client, PASSWORD).status_code == 429
    # ... and the wait starts over from now, as the page said it would.
    assert AccessAttempt.objects.get().attempt_time > almost + datetime.timedelta(
        minutes=10
    )


def test_an_administrator_unlocks_with_the_command(client, vera):
    fail_until_locked(client)

    call_command("axes_reset_username", "vera")

    assert sign_in(client, PASSWORD).status_code == 302


def test_an_administrator_unlocks_in_the_admin(client, vera):
    fail_until_locked(client)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    admin_client = Client()
    admin_client.force_login(admin)
    attempt = AccessAttempt.objects.get()

    listing = admin_client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert "vera" in listing.content.decode()
    response = admin_client.post(
        reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
    )
    assert response.status_code == 302

    assert sign_in(client, PASSWORD).status_code == 302


def test_a_successful_sign_in_forgets_the_earlier_failures(client, vera):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    sign_in(client, PASSWORD)
    client.post(reverse("logout"))

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in(client, "wrong")
    assert sign_in(client, PASSWORD).status_code == 302


def test_the_admin_sign_in_is_locked_as_well(client, vera):
    vera.is_staff = True
    vera.save()
    fail_until_locked(client)

    response = client.post(
        reverse("admin:login"),
        {"username": "vera", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
    )

    assert response.status_code == 429
    assert not is_signed_in(client)


def test_a_forged_forwarded_for_header_does_not_escape_the_lock(client, vera):
    """Without trusted proxies the header is the client's own words: not read."""
    fail_until_locked(client)

    response = client.post(
        reverse("login"),
        {"username": "vera", "password": PASSWORD},
        REMOTE_ADDR="198.51.100.7",
        HTTP_X_FORWARDED_FOR="203.0.113.50",
    )

    assert response.status_code == 429


@pytest.mark.parametrize(
    ("proxies", "forwarded_for", "counted_as"),
    [
        (0, "203.0.113.50", "10.0.0.2"),
        (1, "203.0.113.50", "203.0.113.50"),
        # The client wrote the first entry itself; the proxy appended the real one.
        (1, "192.0.2.1, 203.0.113.50", "203.0.113.50"),
        (2, "192.0.2.1, 203.0.113.50, 10.0.0.9", "203.0.113.50"),
        # Fewer entries than proxies: not through the proxies, use the connection.
        (2, "203.0.113.50", "10.0.0.2"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address_comes_from_trusted_proxies_only(
    settings, rf, proxies, forwarded_for, counted_as
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = rf.post("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip_address(request) == counted_as
