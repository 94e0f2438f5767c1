"""The API's reference in Chromium with the site's Content-Security-Policy: Swagger
UI from this site's static files shows every resource's operations, the browser
reports no CSP violation, and the page passes axe-core like every page."""

import pytest
from axe_playwright_python.base import AXE_SCRIPT
from django.urls import reverse

from tests.browser.test_every_page import check

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT_CSP_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(event.violatedDirective + " " + event.blockedURI);
});
"""


def test_the_reference_shows_every_operation_within_the_csp(page, live_server):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("reader", password="secret-password")
    page.add_init_script(REPORT_CSP_VIOLATIONS)
    page.add_init_script(AXE_SCRIPT)
    page.goto(reverse("login"))
    page.get_by_label("Username").fill("reader")
    page.get_by_label("Password").fill("secret-password")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/customers/")
    errors, outside = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on(
        "response", lambda r: r.status >= 400 and errors.append(f"{r.status} {r.url}")
    )
    page.on(
        "request",
        lambda r: not r.url.startswith(live_server.url) and outside.append(r.url),
    )

    response = page.goto(reverse("api:docs"))

    assert "script-src 'self'" in response.headers["content-security-policy"]
    page.get_by_text("Customer Contacts API").first.wait_for()
    for tag in ("customers", "contact-details", "orders", "invoices", "shipments"):
        page.locator(f"#operations-tag-{tag}").wait_for()
    summaries = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/customers/{id}/" in [
        text.replace("\u200b", "") for text in summaries
    ]
    assert page.evaluate("window.cspViolations") == []
    assert errors == []
    assert outside == []
    problems = check(page)
    assert not problems, "\n".join(problems)
