"""API tokens: made by the command or the admin and shown once, stored as a hash,
refused at once when revoked, expired or their user is inactive; a read-only token
only reads."""

import hashlib
from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from api.services import api_token_create, api_tokens_revoke
from tests.api.conftest import Api, codes
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/v1/customers/"


def create_token(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("create_api_token", *args, stdout=out, stderr=err)
    return out.getvalue().strip(), err.getvalue()


def test_the_command_prints_the_token_once_and_stores_only_its_hash(manager):
    secret, message = create_token("manager", "--name", "ERP")

    token = ApiToken.objects.get()
    assert token.user == manager
    assert token.name == "ERP"
    assert token.key_hash == hashlib.sha256(secret.encode()).hexdigest()
    assert secret.startswith(token.prefix) and len(token.prefix) < len(secret) / 3
    stored = [str(getattr(token, f.attname)) for f in ApiToken._meta.concrete_fields]
    assert not any(secret in value for value in stored)
    assert secret not in message and "cannot be shown again" in message
    assert Api(secret).get(CUSTOMERS).status_code == 200


def test_the_command_makes_read_only_tokens_that_expire(manager):
    create_token("manager", "--read-only", "--expires", "7")

    token = ApiToken.objects.get()
    assert token.read_only
    expected = timezone.now() + timedelta(days=7)
    assert abs(token.expires_at - expected) < timedelta(minutes=1)


@pytest.mark.parametrize(
    "args, words",
    [(["nobody"], "no user"), (["manager", "--expires", "0"], "at least 1")],
)
def test_the_command_refuses_an_unknown_user_and_a_useless_expiry(manager, args, words):
    with pytest.raises(CommandError, match=words):
        create_token(*args)
    assert not ApiToken.objects.exists()


def test_a_request_without_a_token_is_answered_401_with_the_scheme_to_use(db):
    response = Api(None).get(CUSTOMERS)

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="api"'
    assert codes(response) == [(None, "not_authenticated")]


@pytest.mark.parametrize(
    "spoil, code",
    [
        (lambda token: token.delete(), "invalid_token"),
        (lambda token: api_tokens_revoke(tokens=[token]), "revoked_token"),
        (
            lambda token: ApiToken.objects.filter(pk=token.pk).update(
                expires_at=timezone.now() - timedelta(seconds=1)
            ),
            "expired_token",
        ),
        (
            lambda token: (
                type(token.user)
                .objects.filter(pk=token.user_id)
                .update(is_active=False)
            ),
            "inactive_user",
        ),
    ],
    ids=["deleted", "revoked", "expired", "inactive user"],
)
def test_a_token_is_refused_at_once_when_it_can_no_longer_be_used(manager, spoil, code):
    new = api_token_create(user=manager)
    api = Api(new.secret)
    assert api.get(CUSTOMERS).status_code == 200

    spoil(new.token)
    response = api.get(CUSTOMERS)

    assert response.status_code == 401
    assert codes(response) == [(None, code)]


def test_a_token_that_is_not_one_is_refused(db):
    response = Api("cc_not-a-token").get(CUSTOMERS)

    assert response.status_code == 401
    assert codes(response) == [(None, "invalid_token")]


def test_a_request_records_when_the_token_was_last_used_at_most_once_a_minute(
    manager, django_assert_num_queries
):
    new = api_token_create(user=manager)
    api = Api(new.secret)
    api.get(CUSTOMERS)
    first = ApiToken.objects.get().last_used_at
    assert first is not None

    api.get(CUSTOMERS)
    assert ApiToken.objects.get().last_used_at == first

    ApiToken.objects.update(last_used_at=first - timedelta(minutes=2))
    api.get(CUSTOMERS)
    assert ApiToken.objects.get().last_used_at > first


def test_a_read_only_token_reads_but_changes_nothing(manager):
    customer = CustomerFactory(name="Before")
    api = Api(api_token_create(user=manager, read_only=True).secret)
    url = f"{CUSTOMERS}{customer.pk}/"
    etag = api.get(url)["ETag"]

    responses = [
        api.patch(url, {"name": "After"}, if_match=etag),
        api.post(CUSTOMERS, {"name": "New"}),
    ]

    for response in responses:
        assert response.status_code == 403
        assert codes(response) == [(None, "read_only_token")]
    customer.refresh_from_db()
    assert customer.name == "Before"
    assert CustomerFactory._meta.model.objects.count() == 1


# The admin.


def test_the_admin_makes_a_token_and_shows_it_on_the_next_page_only(client, manager):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    client.force_login(admin)

    response = client.post(
        reverse("admin:api_apitoken_add"),
        {
            "user": manager.pk,
            "name": "Webshop",
            "read_only": "on",
            "expires_in_days": "30",
        },
    )

    assert response.status_code == 200
    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert secret in response.content.decode()
    assert hashlib.sha256(secret.encode()).hexdigest() == token.key_hash
    assert (token.user, token.name, token.read_only) == (manager, "Webshop", True)
    assert token.expires_at > timezone.now() + timedelta(days=29)
    # Not kept anywhere to be shown again: not in the session's messages, not on
    # the token's page.
    assert secret not in str(dict(client.session))
    page = client.get(reverse("admin:api_apitoken_change", args=[token.pk]))
    assert secret not in page.content.decode()
    assert token.prefix in page.content.decode()


def test_the_admin_revokes_tokens_and_the_api_refuses_them_at_once(client, manager):
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    new = api_token_create(user=manager)
    client.force_login(admin)

    client.post(
        reverse("admin:api_apitoken_changelist"),
        {"action": "revoke", "_selected_action": [new.token.pk]},
    )

    assert ApiToken.objects.get().revoked_at is not None
    assert Api(new.secret).get(CUSTOMERS).status_code == 401


def test_an_admin_who_is_not_a_superuser_makes_tokens_only_for_themselves(
    client, manager
):
    staff = UserFactory(username="clerk", is_staff=True)
    staff.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="api",
            codename__in=["add_apitoken", "view_apitoken", "change_apitoken"],
        )
    )
    api_token_create(user=manager)  # someone else's
    client.force_login(staff)

    refused = client.post(
        reverse("admin:api_apitoken_add"), {"user": manager.pk, "name": "Mine now"}
    )
    listed = client.get(reverse("admin:api_apitoken_changelist"))

    assert refused.status_code == 200
    assert "user" in refused.context["adminform"].form.errors
    assert ApiToken.objects.filter(user=manager).count() == 1
    assert not ApiToken.objects.filter(user=staff).exists()
    assert listed.context["cl"].result_count == 0
