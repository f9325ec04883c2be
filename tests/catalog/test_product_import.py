"""Bulk import of products and stock: every row checked before anything is
saved, then applied by a task, with its progress."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from catalog.models import ImportStatus, ProductImport
from sellers.models import AuditAction, AuditEvent
from tests.sellers.helpers import two_caseloads

Product = get_model("catalogue", "Product")
StockRecord = get_model("partner", "StockRecord")

HEADER = ["名称", "分类", "单位", "单价", "可售数量", "采收日期", "描述"]


@pytest.fixture
def caseloads(db):
    create_from_breadcrumbs("禽蛋")
    return two_caseloads()


def csv_file(rows, encoding="utf-8-sig", name="货品.csv"):
    text = "\n".join(",".join(row) for row in [HEADER, *rows]) + "\n"
    return SimpleUploadedFile(name, text.encode(encoding), content_type="text/csv")


def xlsx_file(rows, name="货品.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    for row in [HEADER, *rows]:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return SimpleUploadedFile(name, out.getvalue())


GOOD = [
    ["鲜活鲫鱼", "鲜鱼", "斤", "22.50", "30", "2026-11-28", "现捞"],
    ["草鱼", "鲜鱼", "斤", "16.00", "50", "", ""],  # 罗大哥's existing product
    ["土鸡蛋礼盒", "禽蛋", "盒", "68", "12", "", ""],
]


def test_preview_checks_every_row_and_saves_nothing(client, caseloads):
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)
    products = Product.objects.count()
    rows = [
        *GOOD,
        ["", "鲜鱼", "斤", "10", "5", "", ""],
        ["腊鸭", "腊味", "只", "-3", "x", "", ""],
        ["鲜活鲫鱼", "鲜鱼", "斤", "20", "1", "", ""],
    ]

    response = client.post(
        reverse("listing:import-upload", args=["luo"]), {"file": csv_file(rows)}
    )

    job = ProductImport.objects.get()
    assert response["Location"] == reverse("listing:import", args=[job.pk])
    assert [(r["row"], r["action"], r["errors"]) for r in job.preview] == [
        (2, "create", []),
        (3, "update", []),
        (4, "create", []),
        (5, "create", ["商品名称: 必需字段"]),
        (
            6,
            "create",
            [
                "分类: 未知分类“腊味”。",
                "单价（元）: 确保该值大于或等于0.01。",
                "可售数量: 输入整数。",
            ],
        ),
        (7, "create", ["这个商品名称在文件中出现了两次。"]),
    ]
    assert Product.objects.count() == products
    page = client.get(reverse("listing:import", args=[job.pk])).content.decode()
    assert "3 行有错误" in page
    # Confirming a file with errors is refused and changes nothing.
    client.post(reverse("listing:import", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED
    assert Product.objects.count() == products


@pytest.mark.parametrize("make_file", [csv_file, xlsx_file])
def test_import_lists_new_products_and_updates_existing_stock(
    client, caseloads, make_file, django_capture_on_commit_callbacks
):
    (fish, _eggs, _bacon), (luo, _wang, _chen), (worker_a, _b) = caseloads
    client.force_login(worker_a)
    client.post(
        reverse("listing:import-upload", args=["luo"]), {"file": make_file(GOOD)}
    )
    job = ProductImport.objects.get()

    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("listing:import", args=[job.pk]))
        client.post(reverse("listing:import", args=[job.pk]))  # a second tap

    job.refresh_from_db()
    assert (job.status, job.rows_done, job.created_count, job.updated_count) == (
        ImportStatus.DONE,
        3,
        2,
        1,
    )
    fish_stock = StockRecord.objects.get(product=fish)
    assert (str(fish_stock.price), fish_stock.num_in_stock) == ("16.00", 50)
    crucian = Product.objects.get(title="鲜活鲫鱼")
    assert crucian.stockrecords.get().partner == luo.partner
    assert str(crucian.stockrecords.get().price) == "22.50"
    assert Product.objects.filter(title="土鸡蛋礼盒").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.PRODUCT_CREATED).count() == 2
    page = client.get(reverse("listing:import", args=[job.pk])).content.decode()
    assert "新上架 2 件商品，更新 1 件。" in page


def test_a_gbk_csv_from_excel_reads_right(client, caseloads):
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)

    client.post(
        reverse("listing:import-upload", args=["luo"]),
        {"file": csv_file(GOOD[:1], encoding="gb18030")},
    )

    assert ProductImport.objects.get().preview[0]["values"]["title"] == "鲜活鲫鱼"


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("a.txt", b"hello"), "请上传 .csv 或 .xlsx 文件。"),
        (SimpleUploadedFile("a.xlsx", b"not a zip"), "无法读取这个 Excel 文件。"),
        (
            SimpleUploadedFile("a.csv", "名称,单价\n鱼,3\n".encode()),
            "第一行须为列名；缺少：分类、单位、可售数量。",
        ),
        (
            SimpleUploadedFile("a.csv", ",".join(HEADER).encode()),
            "表头下面没有任何数据行。",
        ),
    ],
)
def test_unreadable_files_are_refused_with_a_message(
    client, caseloads, upload, message
):
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)

    response = client.post(
        reverse("listing:import-upload", args=["luo"]), {"file": upload}
    )

    assert response.context["form"].errors["file"] == [message]
    assert not ProductImport.objects.exists()


def test_too_many_rows_are_refused(client, caseloads, monkeypatch):
    from catalog import imports

    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)

    response = client.post(
        reverse("listing:import-upload", args=["luo"]), {"file": csv_file(GOOD)}
    )

    assert response.context["form"].errors["file"] == [
        "文件超过 2 行，请拆分后再上传。"
    ]


def test_another_caseloads_import_is_not_found(client, caseloads):
    _products, _households, (worker_a, worker_b) = caseloads
    client.force_login(worker_b)
    client.post(
        reverse("listing:import-upload", args=["chen"]), {"file": csv_file(GOOD[:1])}
    )
    job = ProductImport.objects.get()
    client.force_login(worker_a)

    assert client.get(reverse("listing:import", args=[job.pk])).status_code == 404
    assert client.post(reverse("listing:import", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.status == ImportStatus.PREVIEWED


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("migrated_data")
def test_the_queued_import_runs_in_the_database_worker_with_progress(client, settings):
    """The real path: the task waits in the database queue until a worker
    takes it; meanwhile the page shows the progress bar and refreshes."""
    create_from_breadcrumbs("禽蛋")
    _products, _households, (worker_a, _b) = two_caseloads()
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(worker_a)
    client.post(
        reverse("listing:import-upload", args=["luo"]), {"file": csv_file(GOOD)}
    )
    job = ProductImport.objects.get()

    client.post(reverse("listing:import", args=[job.pk]))
    waiting = client.get(reverse("listing:import", args=[job.pk])).content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    job.refresh_from_db()
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert '<progress id="import-progress" max="3" value="0">' in waiting
    assert (job.status, job.rows_done) == (ImportStatus.DONE, 3)
    assert Product.objects.filter(title="鲜活鲫鱼").exists()
