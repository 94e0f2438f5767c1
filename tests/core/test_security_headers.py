"""The headers every page carries (docs/security.md): Content-Security-Policy,
Permissions-Policy and `Cache-Control: private, no-store`; and templates that need no
inline script or style, so the policy can forbid them."""

import re
from pathlib import Path

import pytest
import simple_history
from django.conf import settings
from django.urls import reverse
from freezegun import freeze_time

from config.settings.base import csp_hash
from tests.contacts.factories import ContactFactory
from tests.customers.factories import CustomerFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def directives(response) -> dict[str, list[str]]:
    policy = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in policy.split(";") if part)
    }


@pytest.fixture
def pages(client, manager, viewer):
    """Pages of every kind: signed out, signed in with customer data, an error, the
    admin."""
    customer = CustomerFactory()
    ContactFactory(customer=customer)
    admin = UserFactory(username="root", is_staff=True, is_superuser=True)
    anonymous = {
        "sign-in": client.get(reverse("login")),
        "not found": client.get("/no-such-page/"),
    }
    client.force_login(manager)
    signed_in = {
        "customer list": client.get(reverse("customers:list")),
        "overview": client.get(customer.get_absolute_url()),
        "contacts": client.get(reverse("contacts:list", args=[customer.pk])),
    }
    client.force_login(viewer)
    signed_in["forbidden"] = client.get(reverse("customers:create"))
    client.force_login(admin)
    in_admin = {
        "admin": client.get(
            reverse("admin:customers_customer_change", args=[customer.pk])
        )
    }
    assert signed_in["forbidden"].status_code == 403
    assert anonymous["not found"].status_code == 404
    return anonymous | signed_in | in_admin


def test_every_page_forbids_inline_and_foreign_scripts_and_styles(pages):
    for name, response in pages.items():
        policy = directives(response)
        assert policy["default-src"] == ["'self'"], name
        assert policy["script-src"] == ["'self'"], name
        assert policy["style-src"] == ["'self'"], name
        assert policy["object-src"] == ["'none'"], name
        assert policy["frame-ancestors"] == ["'none'"], name
        assert policy["base-uri"] == ["'none'"], name


def test_every_page_switches_off_the_browser_features_nobody_uses(pages):
    for name, response in pages.items():
        policy = response["Permissions-Policy"]
        for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
            assert f"{feature}=()" in policy, name


def test_no_page_may_be_kept_by_a_cache(pages):
    for name, response in pages.items():
        directives_ = {d.strip() for d in response["Cache-Control"].split(",")}
        assert {"private", "no-store"} <= directives_, name
        assert "public" not in directives_, name


def test_static_files_keep_their_own_caching(client):
    response = client.get(settings.STATIC_URL + "css/app.css")
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_the_pages_render_no_inline_script_or_style(pages):
    for name, response in pages.items():
        if name == "admin":
            continue  # Django's own markup, checked in the browser test
        html = response.content.decode()
        assert not re.search(r"\sstyle=", html), name
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html), name
        assert not re.search(r"\son[a-z]+=", html), name


@pytest.mark.parametrize(
    "template",
    # The emails' templates (*/emails/) are read in mail clients, not served under
    # the site's policy: their look is a style element, as mail clients want.
    sorted(path for path in TEMPLATES.rglob("*.html") if path.parent.name != "emails"),
    ids=lambda path: str(path.relative_to(TEMPLATES)),
)
def test_no_template_needs_inline_script_or_style(template):
    """A template with an inline script, a style attribute or an on…= handler would
    be blocked by the policy: move it to static/js/app.js or static/css/app.css."""
    source = template.read_text()
    assert not re.search(r"\sstyle=", source)
    assert not re.search(r"<style", source)
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", source)
    assert not re.search(r"\son[a-z]+=", source)
    assert "javascript:" not in source


def test_a_sign_in_lasts_a_working_day_by_default(client):
    UserFactory(username="vera", password="a-long-password")
    with freeze_time("2026-03-09 08:00:00+00:00"):  # no time passes during the sign-in
        response = client.post(
            reverse("login"), {"username": "vera", "password": "a-long-password"}
        )
    assert response.status_code == 302
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 9 * 60 * 60
    # In the database, which every worker reads.
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_the_one_inline_style_allowed_is_the_admin_history_pages():
    """django-simple-history's history list has `style="border-top: 0"`; the policy
    allows that exact attribute by its hash and no other inline style."""
    template = (
        Path(simple_history.__file__).parent
        / "templates/simple_history/object_history_list.html"
    )
    assert 'style="border-top: 0"' in template.read_text()
    allowed = settings.CONTENT_SECURITY_POLICY["DIRECTIVES"]["style-src-attr"]
    assert allowed == ["'unsafe-hashes'", csp_hash("border-top: 0")]
    assert csp_hash("border-top: 0") == (
        "'sha256-XMXSevYjgSjXgRafBFDvtjwX+yyWLrxfso9DcNZ9UXM='"
    )
