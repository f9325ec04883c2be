"""The old home of the sellers' tasks. A task is queued by its dotted path:
rows queued before sellers.reporting.tasks took it still name this one."""

from sellers.reporting.tasks import report_export_run  # noqa: F401
