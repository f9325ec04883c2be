"""The bureau's long export: every sale and refund of a period, off the request."""

import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.module_loading import import_string

from sellers.households.services import bureau_officer_grant
from sellers.models import ReportExport
from sellers.reporting.tasks import report_export_run
from tests.sellers.months import NOVEMBER_QUERY

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("stripe_settings")]


def test_every_sale_and_refund_is_exported_off_the_request(
    client, months, bureau_officer, django_capture_on_commit_callbacks
):
    from openpyxl import load_workbook

    client.force_login(bureau_officer)
    page = client.get("/workspace/bureau/sales/" + NOVEMBER_QUERY)
    assert "准备工作簿" in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/workspace/bureau/sales/" + NOVEMBER_QUERY)

    export = ReportExport.objects.get()
    assert response["Location"] == f"/workspace/bureau/exports/{export.pk}/"
    assert (export.status, export.rows_total, export.rows_done) == ("done", 4, 4)
    detail = client.get(response["Location"]).content.decode()
    assert "下载 4 行（Excel）" in detail and 'http-equiv="refresh"' not in detail
    download = client.get(f"/workspace/bureau/exports/{export.pk}/download/")
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=4)]
    assert [(r[1], r[5], r[7]) for r in rows] == [
        ("销售", "luo", 25),
        ("销售", "chen", 120),
        ("退款", "chen", -120),
        ("销售", "wang", 135),
    ]
    assert rows[3][8] == "西新村鸡蛋群"
    assert sum(r[7] for r in rows) == 160  # the report's income, bar corrections
    assert "罗某" not in str(rows)
    # Another officer cannot fetch it.
    other = get_user_model().objects.create_user(username="o2@mca.example")
    bureau_officer_grant(user=other)
    client.force_login(other)
    assert client.get(response["Location"]).status_code == 404


def test_a_long_export_shows_its_progress(client, bureau_officer):
    export = ReportExport.objects.create(
        requested_by=bureau_officer,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 11, 30),
        status="running",
        rows_total=12000,
        rows_done=5000,
    )
    client.force_login(bureau_officer)

    html = client.get(f"/workspace/bureau/exports/{export.pk}/").content.decode()

    assert '<meta http-equiv="refresh" content="2">' in html
    assert (
        '<progress id="export-progress" max="12000" value="5000">41%</progress>' in html
    )
    assert (
        client.get(f"/workspace/bureau/exports/{export.pk}/download/").status_code
        == 404
    )


def test_an_export_whose_worker_died_is_shown_as_failed(client, bureau_officer):
    export = ReportExport.objects.create(
        requested_by=bureau_officer,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 11, 30),
        status="running",
    )
    ReportExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - datetime.timedelta(hours=2)
    )
    client.force_login(bureau_officer)

    html = client.get(f"/workspace/bureau/exports/{export.pk}/").content.decode()

    assert 'http-equiv="refresh"' not in html
    assert "工作簿未能生成" in html


def test_an_export_queued_under_the_tasks_old_path_still_finds_it():
    # A queued task is stored by its dotted path: rows queued before the task
    # moved to sellers.reporting.tasks name sellers.tasks.
    assert import_string("sellers.tasks.report_export_run") is report_export_run
    assert report_export_run.module_path == "sellers.reporting.tasks.report_export_run"
