"""The API's tests call it as a program does: a bearer token of a persona's user,
JSON in and out."""

import json

import pytest
from django.test import Client

from api.services import api_token_create


class Api:
    """A client of the API with one token."""

    def __init__(self, secret: str | None, language: str = "en"):
        self.client = Client()
        self.headers = {"Accept-Language": language}
        if secret is not None:
            self.headers["Authorization"] = f"Bearer {secret}"

    def request(self, method: str, path: str, body=None, *, if_match=None, **headers):
        headers = {**self.headers, **headers}
        if if_match is not None:
            headers["If-Match"] = if_match
        kwargs = {}
        if body is not None:
            kwargs = {"data": json.dumps(body), "content_type": "application/json"}
        return self.client.generic(method, path, headers=headers, **kwargs)

    def get(self, path, params=None, **headers):
        if params:
            from urllib.parse import urlencode

            path = f"{path}?{urlencode(params)}"
        return self.request("GET", path, **headers)

    def post(self, path, body=None, **kwargs):
        return self.request("POST", path, body, **kwargs)

    def patch(self, path, body=None, **kwargs):
        return self.request("PATCH", path, body, **kwargs)

    def delete(self, path, **kwargs):
        return self.request("DELETE", path, **kwargs)


@pytest.fixture
def api_for(db):
    """`api_for(user, read_only=False)`: a client with a new token of the user."""

    def make(user, *, read_only: bool = False, language: str = "en") -> Api:
        secret = api_token_create(user=user, read_only=read_only).secret
        return Api(secret, language=language)

    return make


def codes(response) -> list[tuple[str | None, str]]:
    """(field, code) of each error of a refusal."""
    return [(item["field"], item["code"]) for item in response.json()["errors"]]
