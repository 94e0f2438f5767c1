"""Error pages in the product's layout, with a way back, and never a stack trace."""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import reverse
from django.views.defaults import server_error

from tests.core.test_settings import PRODUCTION, manage

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return response.content.decode()


def test_the_test_settings_run_without_debug_like_production():
    assert settings.DEBUG is False


def test_a_missing_page_is_shown_in_the_layout_with_a_way_back(client_for, viewer):
    response = client_for(viewer).get("/customers/999999/")

    assert response.status_code == 404
    page = text(response)
    assert "<h1>Page not found</h1>" in page
    assert 'class="site-header"' in page
    assert f'href="{reverse("customers:list")}">Back to Customers</a>' in page


def test_a_missing_page_offers_sign_in_to_someone_signed_out(client):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert f'href="{reverse("login")}">Sign in</a>' in text(response)


def test_a_refused_page_says_why_and_offers_a_way_back(client_for, viewer):
    response = client_for(viewer).get(reverse("customers:create"))

    assert response.status_code == 403
    page = text(response)
    assert "<h1>Not allowed</h1>" in page
    assert "ask an administrator" in page
    assert "Back to Customers" in page


def test_a_user_without_any_permission_is_sent_to_the_start_page(client_for, outsider):
    response = client_for(outsider).get(reverse("customers:list"))

    assert response.status_code == 403
    assert f'href="{reverse("home")}">Go to the start page</a>' in text(response)


def test_a_form_without_its_security_token_explains_what_to_do():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("login"), {"username": "vera", "password": "x"})

    assert response.status_code == 403
    assert "<h1>Form expired</h1>" in text(response)
    assert "reload the page" in text(response)


@override_settings(ROOT_URLCONF="tests.core.error_urls")
def test_a_failure_shows_the_error_page_and_no_stack_trace(client_for, viewer):
    client = client_for(viewer)
    client.raise_request_exception = False

    response = client.get("/fails/")

    assert response.status_code == 500
    page = text(response)
    assert "<h1>Something went wrong</h1>" in page
    assert 'href="/">Go to the start page</a>' in page
    assert "secret-detail-of-the-failure" not in page
    assert "Traceback" not in page
    assert "RuntimeError" not in page


def test_the_failure_page_needs_neither_the_request_nor_the_database(
    django_assert_num_queries,
):
    """server_error renders 500.html without a context: it must not depend on a
    user, a permission or any query, since the failure may be the database."""
    with django_assert_num_queries(0):
        response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong" in text(response)


def test_production_never_runs_with_debug_even_if_the_environment_asks():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.DEBUG)",
        **PRODUCTION,
        DEBUG="true",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_a_request_for_an_unknown_host_gets_the_layout_not_the_reason(client):
    response = client.get(reverse("login"), HTTP_HOST="attacker.example")

    assert response.status_code == 400
    assert "<h1>Request not understood</h1>" in text(response)
    assert "attacker.example" not in text(response)
