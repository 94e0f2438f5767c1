"""Shared fixtures: the access personas every view is tested with.

The personas belong to the default groups that the data migrations create, so a test
through them also proves what those groups may do.
"""

import factory.random
import pytest
from django.contrib.auth.models import Group
from django.utils import translation

from tests.factories import UserFactory

# The same fake names on every run, so a failure can be reproduced.
factory.random.reseed_random("customer-contacts")


def _member_of(group_name: str, username: str):
    user = UserFactory(username=username)
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def manager(db):
    """Sales manager: everything, customers included."""
    return _member_of("Sales manager", "manager")


@pytest.fixture
def editor(db):
    """Sales staff: contacts, contact details and documents; customers read-only."""
    return _member_of("Sales staff", "editor")


@pytest.fixture
def viewer(db):
    """Sales viewer: reads everything, changes nothing."""
    return _member_of("Sales viewer", "viewer")


@pytest.fixture
def outsider(db):
    """Signed in, but in no group and without any permission."""
    return UserFactory(username="outsider")


@pytest.fixture
def client_for(client):
    """`client_for(user)`: the test client signed in as that user (None: anonymous)."""

    def sign_in(user):
        if user is not None:
            client.force_login(user)
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _english_afterwards():
    """A request in Dutch leaves Dutch active in the test's thread (LocaleMiddleware
    activates the language of each request): the next test, which may call a service
    or a selector directly, starts in the default language again."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the billing countries the header search
    reads national numbers in are cached)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def redis_url():
    """A Redis database for this run: TEST_REDIS_URL (default database 1 of the
    local server, `make test`'s), skipped when no Redis answers there. Tests that
    write to it use a key prefix of their own and remove what they wrote."""
    import os

    import redis

    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/1")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError:
        pytest.skip(f"no Redis answers at {url}")
    return url
