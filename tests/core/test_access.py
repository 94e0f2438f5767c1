import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_the_sign_in_page_is_open(client):
    assert client.get(reverse("login")).status_code == 200


def test_every_other_page_needs_a_login(client):
    for url in ["/", reverse("customers:list"), reverse("customers:create")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_a_user_signs_in_and_out(client):
    UserFactory(username="vera", password="a-long-password")
    response = client.post(
        reverse("login"), {"username": "vera", "password": "a-long-password"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("customers:list")
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("customers:list")).status_code == 302


def test_a_wrong_password_is_refused_with_a_message(client):
    UserFactory(username="vera", password="a-long-password")
    response = client.post(reverse("login"), {"username": "vera", "password": "nope"})
    assert response.status_code == 200
    assert "Please enter a correct username and password" in response.content.decode()


def test_sign_out_is_a_post(client_for, viewer):
    assert client_for(viewer).get(reverse("logout")).status_code == 405


def test_the_default_groups_exist_with_their_customer_permissions():
    def codenames(name):
        group = Group.objects.get(name=name)
        return set(
            group.permissions.filter(content_type__app_label="customers").values_list(
                "codename", flat=True
            )
        )

    assert codenames("Sales viewer") == {"view_customer", "view_address"}
    assert codenames("Sales staff") == {"view_customer", "view_address"}
    assert codenames("Sales manager") == {
        f"{action}_{model}"
        for model in ("customer", "address")
        for action in ("view", "add", "change", "delete")
    }
