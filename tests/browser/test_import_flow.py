"""Import in the browser, in English and in Dutch: upload, a preview naming the
refused line, Confirm, the progress page refreshing itself, the report."""

import pytest
from playwright.sync_api import expect

from contacts.models import Contact
from tests.contacts.csv_helpers import customer_with_billing_country
from transfers.models import ImportJob
from transfers.services import import_job_run

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WORDS = {
    "en": {
        "locale": "en-GB",
        "username": "Username",
        "password": "Password",
        "sign_in": "Sign in",
        "import": "Import contacts",
        "kind": "What the file holds",
        "file": "CSV or XLSX file",
        "check": "Check the file",
        "preview": "2 lines read: 1 to add, 0 to update, 0 unchanged, 1 refused.",
        "confirm": "Confirm",
        "progress": "0 of 2 lines imported",
        "done": "2 lines read: 1 added, 0 updated, 0 unchanged, 1 refused.",
        "report": "Download the report (CSV)",
    },
    "nl": {
        "locale": "nl-NL",
        "username": "Gebruikersnaam",
        "password": "Wachtwoord",
        "sign_in": "Inloggen",
        "import": "Contactpersonen importeren",
        "kind": "Wat het bestand bevat",
        "file": "CSV- of XLSX-bestand",
        "check": "Bestand controleren",
        "preview": "2 regels gelezen: 1 toe te voegen, 0 bij te werken, 0 ongewijzigd, "
        "1 geweigerd.",
        "confirm": "Bevestigen",
        "progress": "0 van 2 regels geïmporteerd",
        "done": "2 regels gelezen: 1 toegevoegd, 0 bijgewerkt, 0 ongewijzigd, "
        "1 geweigerd.",
        "report": "Verslag downloaden (CSV)",
    },
}


@pytest.mark.parametrize("language", ["en", "nl"])
def test_upload_preview_confirm_progress_report(
    chromium, live_server, editor, tmp_path, language
):
    words = WORDS[language]
    customer_with_billing_country("C00001", "NL", name="Dutch BV")
    path = tmp_path / "contacts.csv"
    path.write_text(
        "customer_number,first_name,email\nC00001,Anna,anna@example.com\n"
        "C00001,Piet,not an email\n"
    )
    context = chromium.new_context(base_url=live_server.url, locale=words["locale"])
    context.set_default_timeout(10_000)
    page = context.new_page()
    try:
        page.goto("/accounts/login/")
        page.get_by_label(words["username"]).fill("editor")
        page.get_by_label(words["password"]).fill("secret-password")
        page.get_by_role("button", name=words["sign_in"]).click()
        page.wait_for_url("**/customers/")

        page.get_by_role("link", name=words["import"]).click()
        page.get_by_label(words["kind"]).select_option("contacts")
        page.get_by_label(words["file"]).set_input_files(path)
        page.get_by_role("button", name=words["check"]).click()

        expect(page.get_by_text(words["preview"])).to_be_visible()
        expect(page.get_by_role("cell", name="3", exact=True)).to_be_visible()
        assert not Contact.objects.exists()
        page.get_by_role("button", name=words["confirm"]).click()
        expect(page.get_by_text(words["progress"])).to_be_visible()

        import_job_run(job_id=ImportJob.objects.get().pk)  # as the worker does

        # The page refreshes itself (no script: a meta refresh) until done.
        expect(page.get_by_text(words["done"])).to_be_visible(timeout=8_000)
        with page.expect_download() as download:
            page.get_by_role("link", name=words["report"]).click()
        report = download.value.path().read_text()
        lines = report.splitlines()
        assert lines[1] == "2,added,"
        assert lines[2].startswith("3,refused,")
        assert list(Contact.objects.values_list("first_name", flat=True)) == ["Anna"]
    finally:
        context.close()
