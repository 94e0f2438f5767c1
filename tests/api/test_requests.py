"""How the API takes requests: a token, never the session; no CSRF token for a
token's write; JSON only; refusals in one JSON shape in the language asked for."""

import pytest
from django.test import Client

from customers.models import Customer
from tests.api.conftest import Api, codes
from tests.customers.factories import CustomerFactory

pytestmark = pytest.mark.django_db

CUSTOMERS = "/api/v1/customers/"


def test_a_signed_in_session_is_no_way_into_the_api(client, manager):
    customer = CustomerFactory(name="Before")
    client.force_login(manager)

    read = client.get(CUSTOMERS)
    write = client.patch(
        f"{CUSTOMERS}{customer.pk}/",
        '{"name": "After"}',
        content_type="application/json",
        headers={"If-Match": "*"},
    )

    assert (read.status_code, write.status_code) == (401, 401)
    customer.refresh_from_db()
    assert customer.name == "Before"


def test_a_token_writes_without_a_csrf_token(api_for, manager):
    api = api_for(manager)
    api.client = Client(enforce_csrf_checks=True)

    response = api.post(CUSTOMERS, {"name": "Nordlys AS"})

    assert response.status_code == 201
    assert Customer.objects.filter(name="Nordlys AS").exists()


def test_an_anonymous_request_is_answered_in_json_not_sent_to_the_sign_in_page(db):
    response = Api(None).get(CUSTOMERS)

    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"


def test_refusals_are_in_the_language_of_accept_language(api_for, manager):
    customer = CustomerFactory()
    dutch = api_for(manager, language="nl")

    unauthenticated = Api(None, language="nl").get(CUSTOMERS)
    missing = dutch.post(CUSTOMERS, {})
    precondition = dutch.patch(f"{CUSTOMERS}{customer.pk}/", {"name": "X"})

    assert unauthenticated.json()["errors"][0]["message"].startswith("Stuur je")
    assert codes(missing) == [("name", "required")]
    assert missing.json()["errors"][0]["message"] == "Dit veld is verplicht."
    assert precondition.json()["errors"][0]["message"].startswith("Stuur de ETag")
    assert unauthenticated["Content-Language"] == "nl"


def test_a_body_that_is_not_json_is_refused(api_for, manager):
    api = api_for(manager)

    form = api.client.post(CUSTOMERS, {"name": "X"}, headers=api.headers)
    broken = api.client.post(
        CUSTOMERS, "{", content_type="application/json", headers=api.headers
    )

    assert form.status_code == 415
    assert codes(form) == [(None, "unsupported_media_type")]
    assert broken.status_code == 400
    assert codes(broken) == [(None, "parse_error")]
    assert not Customer.objects.exists()


def test_a_method_a_resource_does_not_take_is_refused_in_json(api_for, manager):
    customer = CustomerFactory()

    response = api_for(manager).request("PUT", f"{CUSTOMERS}{customer.pk}/", {})

    assert response.status_code == 405
    assert codes(response) == [(None, "method_not_allowed")]
    assert "PUT" in response.json()["errors"][0]["message"]


def test_an_unknown_object_is_a_404_in_json(api_for, manager):
    response = api_for(manager).get(f"{CUSTOMERS}999999/")

    assert response.status_code == 404
    assert codes(response) == [(None, "not_found")]


def test_a_control_character_in_a_parameter_is_refused_in_json_at_it(
    api_for, manager, client
):
    response = api_for(manager).get(CUSTOMERS, {"search": "Fjord\x00"})
    client.force_login(manager)
    page = client.get("/customers/", {"q": "Fjord\x00"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert codes(response) == [("search", "control_character")]
    # The pages keep their own answer: a page that says so.
    assert page.status_code == 400
    assert page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("method", ["GET", "POST", "DELETE"])
def test_an_address_under_api_that_is_no_resource_is_a_404_in_json(
    api_for, manager, method
):
    response = api_for(manager).request(method, "/api/v1/nothing\x85/here/")

    assert response.status_code == 404
    assert codes(response) == [(None, "not_found")]


def test_the_openapi_document_lists_every_resource_for_a_token_or_a_session(
    api_for, viewer, client
):
    from api.urls import router

    by_token = api_for(viewer).get("/api/schema/", {"format": "json"})
    client.force_login(viewer)
    by_session = client.get("/api/schema/", {"format": "json"})

    assert by_token.status_code == by_session.status_code == 200
    document = by_token.json()
    assert document["openapi"].startswith("3.")
    paths = set(document["paths"])
    for prefix, _resource, _basename in router.registry:
        assert {f"/api/v1/{prefix}/", f"/api/v1/{prefix}/{{id}}/"} <= paths
    assert document["components"]["securitySchemes"]["token"]["scheme"] == "bearer"
    assert Api(None).get("/api/schema/").status_code == 401
