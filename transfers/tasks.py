"""The import confirmed in the browser, run by the worker (`manage.py worker`)."""

from django_tasks import task

from transfers.services import import_job_run


@task()
def run_import(job_id: int) -> None:
    """Import the confirmed job's file (transfers.services.import_job_run)."""
    import_job_run(job_id=job_id)
