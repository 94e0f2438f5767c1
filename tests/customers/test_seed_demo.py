from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import CommandError

from customers.models import Address, Customer

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_it_creates_about_fifty_customers_in_six_countries_or_more(debug_on):
    call_command("seed_demo", stdout=StringIO())
    assert Customer.objects.count() == 50
    countries = set(
        Address.objects.filter(kind="billing").values_list("country", flat=True)
    )
    assert {"NL", "DE", "US", "GB"} <= countries
    assert len(countries) >= 6
    assert Address.objects.filter(kind="shipping").exists()
    assert not Customer.objects.filter(addresses__isnull=True).exists()


def test_it_is_idempotent(debug_on):
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    assert Customer.objects.count() == 50
    assert get_user_model().objects.count() == 4


def test_it_creates_one_user_per_group_and_an_admin_and_prints_them(debug_on, capsys):
    call_command("seed_demo")
    out = capsys.readouterr().out
    users = get_user_model().objects
    assert users.get(username="admin").is_superuser
    for username, group in [
        ("manager", "Sales manager"),
        ("staff", "Sales staff"),
        ("viewer", "Sales viewer"),
    ]:
        assert list(
            users.get(username=username).groups.values_list("name", flat=True)
        ) == [group]
        assert username in out
    assert "contacts-demo" in out
    assert users.get(username="viewer").check_password("contacts-demo")


def test_it_refuses_demo_users_when_debug_is_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("seed_demo")
    assert not get_user_model().objects.exists()
    assert not Customer.objects.exists()


def test_with_debug_off_it_may_still_seed_the_data_alone(settings):
    settings.DEBUG = False
    call_command("seed_demo", "--no-users", stdout=StringIO())
    assert Customer.objects.count() == 50
    assert not get_user_model().objects.exists()
