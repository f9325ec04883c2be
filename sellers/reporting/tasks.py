"""The bureau's long export queued off the request (django-tasks, as
catalog.tasks): the job is queued here and done by sellers.reporting.export."""

import datetime

from django.db import transaction
from django_tasks import task

from sellers.models import ReportExport

from . import export


@task()
def report_export_run(export_id: int) -> None:
    export.export_run(export_id)


def export_request(*, user, start: datetime.date, end: datetime.date) -> ReportExport:
    """Queue the export of a period; it starts once this transaction commits."""
    report_export = ReportExport.objects.create(requested_by=user, start=start, end=end)
    transaction.on_commit(lambda: report_export_run.enqueue(report_export.pk))
    return report_export
