"""Tasks the worker's tests queue (a task must live at a module path the worker can
import)."""

from django.contrib.auth.models import Group
from django_tasks import task


@task()
def make_group(name: str) -> str:
    Group.objects.create(name=name)
    return name


@task()
def fail(message: str) -> None:
    raise RuntimeError(message)
