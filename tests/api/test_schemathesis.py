"""schemathesis over every operation of the OpenAPI document: generated requests
(valid and invalid) never get a server error, and every answer conforms to the
document: its status, content type, headers and body.

The requests go to the application in this process (WSGI), with a manager's
token, on a few seeded objects; writes succeed only with a current ETag, which
generated data rarely has, so most writes are refused (412, 428, 400): what is
checked is that every refusal is one the document describes."""

import pytest
import schemathesis
from django.contrib.auth.models import Permission
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import api_token_create
from contacts.services.card import contact_detail_create
from sales.models import DOCUMENT_KINDS
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory, billing_address
from tests.sales.factories import make_document

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Examples per operation: enough to reach each refusal, few enough for `make test`.
EXAMPLES = 25

document = SchemaGenerator().get_schema(request=None, public=True)
schema = schemathesis.openapi.from_dict(document)
schema.app = get_wsgi_application()


@pytest.fixture
def token(db, manager):
    for number in range(3):
        customer = CustomerFactory()
        billing_address(customer)
        contact_detail_create(
            customer=customer, kind="mobile", value=f"06 1234567{number}"
        )
        contact = ContactFactory(customer=customer, roles=["invoice", "order"])
        for kind in DOCUMENT_KINDS:
            make_document(kind, customer, contact)
    return api_token_create(user=manager).secret


@pytest.fixture(autouse=True)
def _no_rate_limit(settings):
    settings.API_RATE_LIMIT = 1_000_000


@pytest.fixture(autouse=True)
def _connection_kept_between_requests():
    """The WSGI handler closes the database connection around each request; the
    test's transaction must outlive them (as Django's test client arranges)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_every_operation_answers_as_its_document_says(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


def test_a_contact_written_with_a_warning_answers_as_its_document_says(token):
    """Generated bodies rarely make a valid contact with a current ETag: the
    answers of a successful create and change, warnings included, are checked
    here."""
    customer = CustomerFactory()
    ContactFactory(customer=customer, email="shared@example.com")
    headers = {"Authorization": f"Bearer {token}"}
    create = schema["/api/v1/contacts/"]["POST"]
    detail = schema["/api/v1/contacts/{id}/"]

    created = create.Case(
        body={
            "customer": customer.pk,
            "first_name": "Anna",
            "email": "shared@example.com",
            "roles": ["invoice"],
        },
        media_type="application/json",
    ).call(headers=headers)
    assert created.status_code == 201, created.text
    assert created.json()["warnings"]
    create.validate_response(created)
    path = {"id": created.json()["id"]}
    read = detail["GET"].Case(path_parameters=path).call(headers=headers)
    detail["GET"].validate_response(read)
    changed = (
        detail["PATCH"]
        .Case(
            path_parameters=path,
            body={"phone": "+31612345678", "roles": []},
            media_type="application/json",
        )
        .call(headers={**headers, "If-Match": read.headers["etag"][0]})
    )
    assert changed.status_code == 200, changed.text
    detail["PATCH"].validate_response(changed)


def test_a_person_changed_and_replaced_answers_as_its_document_says(manager):
    """A person's PATCH and PUT with a current ETag, and a contact linking an
    existing person: answers generated data rarely reaches."""
    manager.user_permissions.add(Permission.objects.get(codename="change_person"))
    headers = {"Authorization": f"Bearer {api_token_create(user=manager).secret}"}
    contact = ContactFactory(roles=["order"])
    detail = schema["/api/v1/persons/{id}/"]
    path = {"id": contact.person_id}

    read = detail["GET"].Case(path_parameters=path).call(headers=headers)
    detail["GET"].validate_response(read)
    for method, body in [
        ("PATCH", {"personal_phone": "+31 6 12345678"}),
        ("PUT", {"first_name": "Anna", "personal_email": "anna@example.com"}),
    ]:
        changed = (
            detail[method]
            .Case(path_parameters=path, body=body, media_type="application/json")
            .call(headers={**headers, "If-Match": read.headers["etag"][0]})
        )
        assert changed.status_code == 200, changed.text
        detail[method].validate_response(changed)
        read = changed
    linked = (
        schema["/api/v1/contacts/"]["POST"]
        .Case(
            body={"customer": CustomerFactory().pk, "person": contact.person_id},
            media_type="application/json",
        )
        .call(headers=headers)
    )
    assert linked.status_code == 201, linked.text
    schema["/api/v1/contacts/"]["POST"].validate_response(linked)
