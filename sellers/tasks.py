"""Background work of the sellers app (django-tasks, as catalog.tasks)."""

from django_tasks import task

from . import exports


@task()
def report_export_run(export_id: int) -> None:
    exports.export_run(export_id)
