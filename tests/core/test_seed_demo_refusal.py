"""seed_demo's refusal; what it seeds is tested in tests/test_seed_demo.py."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from customers.models import Customer

pytestmark = pytest.mark.django_db


def test_it_refuses_demo_users_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()
    assert not Customer.objects.exists()
