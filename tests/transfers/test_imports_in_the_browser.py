"""Import in the browser: upload, a preview naming every refused line, nothing
written before Confirm, then the import in the background, its progress and its
report."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contacts.models import Contact
from tests.contacts.csv_helpers import CONTACTS_HEADER, customer_with_billing_country
from tests.factories import UserFactory
from transfers.models import ImportJob
from transfers.services import import_job_run

pytestmark = pytest.mark.django_db

GOOD = "C00001,Anna,Berg,anna@example.com,06 12345678,,,primary\n"
BAD = "C00001,Piet,,not an email,,,,\n"
UNKNOWN = "C99999,Kees,,,,,,\n"


@pytest.fixture
def dutch():
    return customer_with_billing_country("C00001", "NL", name="Dutch BV")


def upload(client, text: str | bytes, *, kind="contacts", name="contacts.csv"):
    content = text.encode() if isinstance(text, str) else text
    return client.post(
        reverse("transfers:new"),
        {"kind": kind, "file": SimpleUploadedFile(name, content, "text/csv")},
    )


def test_the_preview_names_every_refused_line_and_writes_nothing(
    client_for, editor, dutch
):
    client = client_for(editor)

    response = upload(client, CONTACTS_HEADER + GOOD + BAD + UNKNOWN)

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("transfers:job", args=[job.pk])
    page = client.get(response["Location"]).content.decode()
    assert "3 lines read: 1 to add, 0 to update, 0 unchanged, 2 refused." in page
    assert [line for line, _ in job.refused] == [3, 4]
    assert "email" in job.refused[0][1]
    assert "C99999" in job.refused[1][1]
    assert "<td>3</td>" in page and "<td>4</td>" in page
    assert not Contact.objects.exists()


def test_confirm_queues_the_import_and_the_worker_writes_the_valid_rows(
    client_for, editor, dutch, django_capture_on_commit_callbacks
):
    client = client_for(editor)
    upload(client, CONTACTS_HEADER + GOOD + BAD)
    job = ImportJob.objects.get()

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("transfers:confirm", args=[job.pk]))

    job.refresh_from_db()
    assert response.status_code == 302
    assert job.status == ImportJob.Status.QUEUED
    assert len(callbacks) == 1  # the task, enqueued once committed
    assert not Contact.objects.exists()
    progress = client.get(reverse("transfers:job", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in progress
    assert "0 of 2 lines imported" in progress

    import_job_run(job_id=job.pk)

    job.refresh_from_db()
    assert job.status == ImportJob.Status.DONE
    assert list(Contact.objects.values_list("first_name", flat=True)) == ["Anna"]
    assert bytes(job.content) == b""
    done = client.get(reverse("transfers:job", args=[job.pk])).content.decode()
    assert "http-equiv" not in done
    assert "2 lines read: 1 added, 0 updated, 0 unchanged, 1 refused." in done
    report = client.get(reverse("transfers:report", args=[job.pk]))
    rows = list(csv.reader(io.StringIO(report.content.decode())))
    assert rows[0] == ["line", "outcome", "message"]
    assert [row[:2] for row in rows[1:]] == [["2", "added"], ["3", "refused"]]


def test_a_second_confirm_or_run_changes_nothing(client_for, editor, dutch):
    client = client_for(editor)
    upload(client, CONTACTS_HEADER + GOOD)
    job = ImportJob.objects.get()
    client.post(reverse("transfers:confirm", args=[job.pk]))
    import_job_run(job_id=job.pk)

    client.post(reverse("transfers:confirm", args=[job.pk]))
    import_job_run(job_id=job.pk)

    assert Contact.objects.count() == 1
    assert ImportJob.objects.get().status == ImportJob.Status.DONE


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty"),
        (b"\r\n", "The file is empty"),
        (b"customer_number,first_name\r\nC00001,Caf\xe9\r\n", "not UTF-8"),
        (b"name,city\r\nAnna,Delft\r\n", "customer_number"),
    ],
)
def test_an_unreadable_file_is_refused_at_the_field(
    client_for, editor, dutch, content, message
):
    response = upload(client_for(editor), content)

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_file_over_the_limit_is_refused(client_for, editor, dutch, settings):
    settings.IMPORT_MAX_BYTES = 1_000_000

    response = upload(client_for(editor), CONTACTS_HEADER + GOOD * 20_000)

    assert "larger than 1 MB" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_a_viewer_may_not_import(client_for, viewer, editor, dutch):
    upload(client_for(editor), CONTACTS_HEADER + GOOD)
    job = ImportJob.objects.get()
    client = client_for(viewer)

    assert client.get(reverse("transfers:new")).status_code == 403
    assert upload(client, CONTACTS_HEADER + GOOD).status_code == 403
    assert client.post(reverse("transfers:confirm", args=[job.pk])).status_code == 403


def test_another_users_import_is_not_found(client_for, editor, manager, dutch):
    upload(client_for(editor), CONTACTS_HEADER + GOOD)
    job = ImportJob.objects.get()
    client = client_for(manager)

    assert client.get(reverse("transfers:job", args=[job.pk])).status_code == 404
    assert client.post(reverse("transfers:confirm", args=[job.pk])).status_code == 404
    assert ImportJob.objects.get().status == ImportJob.Status.PREVIEWED


def test_the_report_is_not_found_before_the_import_is_done(client_for, editor, dutch):
    client = client_for(editor)
    upload(client, CONTACTS_HEADER + GOOD)
    job = ImportJob.objects.get()

    assert client.get(reverse("transfers:report", args=[job.pk])).status_code == 404


def test_the_pages_offer_the_import_to_those_who_may_add_contacts(
    client_for, editor, viewer, dutch
):
    tab = reverse("contacts:list", args=[dutch.pk])
    new = reverse("transfers:new")

    assert new in client_for(editor).get(tab).content.decode()
    assert new in client_for(editor).get(reverse("customers:list")).content.decode()
    assert new not in client_for(viewer).get(tab).content.decode()


def workbook(rows) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_an_xlsx_workbook_previews_and_imports_like_its_csv(client_for, editor, dutch):
    header = next(csv.reader([CONTACTS_HEADER]))
    rows = [
        header,
        # A phone number typed as a number, without its leading zero (the country
        # reads it); a cell left empty.
        [
            "C00001",
            "Anna",
            "Berg",
            "anna@example.com",
            612345678,
            None,
            None,
            "primary",
        ],
        ["C00001", "Piet", None, "not an email"],
    ]
    client = client_for(editor)

    response = upload(client, workbook(rows), name="contacts.xlsx")

    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert [line for line, _ in job.refused] == [3]
    assert "email" in job.refused[0][1]
    assert not Contact.objects.exists()
    client.post(reverse("transfers:confirm", args=[job.pk]))
    import_job_run(job_id=job.pk)
    anna = Contact.objects.get()
    assert (anna.first_name, anna.phone) == ("Anna", "+31612345678")


def test_a_damaged_workbook_is_refused_at_the_file_field(client_for, editor, dutch):
    client = client_for(editor)

    response = upload(client, b"PK\x03\x04 not really a workbook", name="c.xlsx")

    assert response.status_code == 200
    assert "This is not an XLSX workbook that can be read" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_confirm_asks_again_for_the_permissions_the_import_needs(client, dutch):
    user = UserFactory(username="clerk")
    change = Permission.objects.get(codename="change_contact")
    user.user_permissions.add(Permission.objects.get(codename="add_contact"), change)
    client.force_login(user)
    content = (CONTACTS_HEADER + GOOD).encode()
    client.post(
        reverse("transfers:new"),
        {
            "kind": "contacts",
            "update": "on",
            "file": SimpleUploadedFile("contacts.csv", content, "text/csv"),
        },
    )
    job = ImportJob.objects.get()
    # Changing contacts is taken away between the preview and Confirm.
    user.user_permissions.remove(change)

    response = client.post(reverse("transfers:confirm", args=[job.pk]))

    job.refresh_from_db()
    assert response.status_code == 403
    assert job.status == ImportJob.Status.PREVIEWED


def test_from_a_customers_contacts_tab_a_line_for_another_customer_is_refused(
    client_for, editor, dutch
):
    other = customer_with_billing_country("C00002", "NL", name="Other BV")
    client = client_for(editor)
    page = client.get(reverse("contacts:list", args=[dutch.pk])).content.decode()
    assert f"?kind=contacts&amp;customer={dutch.pk}" in page
    form = client.get(reverse("transfers:new"), {"customer": dutch.pk})
    assert "Into Dutch BV (C00001) only" in form.content.decode()

    response = client.post(
        f"{reverse('transfers:new')}?customer={dutch.pk}",
        {
            "kind": "contacts",
            "file": SimpleUploadedFile(
                "c.csv",
                (CONTACTS_HEADER + GOOD + "C00002,Piet,,,,,,\n").encode(),
                "text/csv",
            ),
        },
    )

    assert response.status_code == 302
    job = ImportJob.objects.get()
    assert job.customer == dutch
    assert [line for line, _ in job.refused] == [3]
    assert "into customer C00001; this row is for C00002" in job.refused[0][1]
    client.post(reverse("transfers:confirm", args=[job.pk]))
    import_job_run(job_id=job.pk)
    assert list(Contact.objects.values_list("customer", flat=True)) == [dutch.pk]
    assert not other.contacts.exists()


@pytest.mark.parametrize("key", ["abc", "0", "99999999999999999999", "-1"])
def test_an_unknown_customer_to_import_into_is_not_found(client_for, editor, key):
    response = client_for(editor).get(reverse("transfers:new"), {"customer": key})

    assert response.status_code == 404


def test_a_workbook_whose_text_passes_the_size_limit_is_refused(
    client_for, editor, dutch, settings
):
    header = next(csv.reader([CONTACTS_HEADER]))
    rows = [header] + [["C00001", f"Name{n}", "x" * 50] for n in range(400)]
    content = workbook(rows)
    # The workbook itself is under the limit; its text is not.
    settings.IMPORT_MAX_BYTES = len(content) + 1

    response = upload(client_for(editor), content, name="contacts.xlsx")

    assert response.status_code == 200
    assert "The file is larger than" in response.content.decode()
    assert not ImportJob.objects.exists()
