"""An import job whose file, report or refused lines name the person goes with the
erasure; another stays."""

from privacy.services import find_subject, person_erase
from tests.privacy.helpers import EMAIL, arrange_person
from transfers.models import ImportJob


def job(user, content: bytes, **fields) -> ImportJob:
    return ImportJob.objects.create(
        created_by=user, kind="contacts", file_name="c.csv", content=content, **fields
    )


def test_the_import_jobs_that_name_the_person_are_erased(manager):
    arrange_person(manager)
    in_file = job(manager, f"C00001,Zebulon,,{EMAIL.upper()}\n".encode())
    in_refused = job(manager, b"", refused=[[2, f"{EMAIL} is refused"]])
    other = job(manager, b"C00001,Anna,,anna@example.nl\n")

    log = person_erase(subject=find_subject(email=EMAIL), user=manager)

    assert list(ImportJob.objects.values_list("pk", flat=True)) == [other.pk]
    assert not ImportJob.objects.filter(pk__in=[in_file.pk, in_refused.pk]).exists()
    assert log.counts["import files"] == 2
