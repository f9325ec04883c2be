"""Background work of the catalogue (django-tasks: a database queue and its
worker in production and `make run`, run at once in the tests)."""

from django_tasks import task

from . import imports


@task()
def product_import_check(job_id: int, language: str) -> None:
    imports.import_check(job_id, language)


@task()
def product_import_run(job_id: int) -> None:
    imports.import_run(job_id)
