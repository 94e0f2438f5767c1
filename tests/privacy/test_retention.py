"""Issued documents keep an erased person's copy for the retention period from
their date; the daily job erases it after, under a controlled clock."""

import datetime

import pytest

from core.worker import periodic_jobs
from privacy.models import RetainedCopy
from privacy.services import erase_expired_copies, find_subject, person_erase
from tests.privacy.helpers import EMAIL, arrange_person

pytestmark = pytest.mark.django_db

ISSUED = datetime.date(2019, 3, 1)


@pytest.fixture
def erased(manager, settings):
    settings.PRIVACY_RETENTION_YEARS = 7
    arranged = arrange_person(manager, invoice_date=ISSUED)
    person_erase(subject=find_subject(email=EMAIL), user=manager)
    return arranged


def test_the_copy_is_kept_until_the_retention_period_ends(erased):
    assert erase_expired_copies(today=datetime.date(2026, 3, 1)) == 0

    erased.invoice.refresh_from_db()
    assert erased.invoice.contact_email == EMAIL
    assert RetainedCopy.objects.count() == 2


def test_the_job_erases_the_copy_and_its_history_once_the_period_is_over(erased):
    assert erase_expired_copies(today=datetime.date(2026, 3, 2)) == 2

    for document in (erased.invoice, erased.shipment):
        document.refresh_from_db()
        assert (
            document.contact_name,
            document.contact_email,
            document.contact_phone,
        ) == ("", "", "")
        assert set(document.history.values_list("contact_email", flat=True)) == {""}
    assert not RetainedCopy.objects.exists()


def test_the_period_is_a_setting(erased, settings):
    settings.PRIVACY_RETENTION_YEARS = 10

    assert erase_expired_copies(today=datetime.date(2026, 3, 2)) == 0


def test_the_job_runs_daily_in_the_worker():
    (job,) = [job for job in periodic_jobs() if job.name == "privacy-retention"]
    assert job.every == datetime.timedelta(days=1)
    assert job.function is erase_expired_copies
