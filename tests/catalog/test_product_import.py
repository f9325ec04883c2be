"""Bulk import of products and stock: every row checked off the request before
anything is saved, then applied by a task, with its progress."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from openpyxl import Workbook
from oscar.apps.catalogue.categories import create_from_breadcrumbs
from oscar.core.loading import get_model

from catalog import import_rows
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


@pytest.fixture
def upload(client, django_capture_on_commit_callbacks):
    """Post a file to a household's import page; the check is queued as the
    request commits and, in the tests, runs at once."""

    def post(file, slug="luo"):
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(
                reverse("listing:import-upload", args=[slug]), {"file": file}
            )

    return post


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


def test_preview_checks_every_row_and_saves_nothing(client, caseloads, upload):
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)
    products = Product.objects.count()
    rows = [
        *GOOD,
        ["", "鲜鱼", "斤", "10", "5", "", ""],
        ["腊鸭", "腊味", "只", "-3", "x", "", ""],
        ["鲜活鲫鱼", "鲜鱼", "斤", "20", "1", "", ""],
    ]

    response = upload(csv_file(rows))

    job = ProductImport.objects.get()
    assert job.status == ImportStatus.PREVIEWED
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
    client, caseloads, upload, make_file, django_capture_on_commit_callbacks
):
    (fish, _eggs, _bacon), (luo, _wang, _chen), (worker_a, _b) = caseloads
    client.force_login(worker_a)
    upload(make_file(GOOD))
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


def test_a_gbk_csv_from_excel_reads_right(client, caseloads, upload):
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)

    upload(csv_file(GOOD[:1], encoding="gb18030"))

    assert ProductImport.objects.get().preview[0]["values"]["title"] == "鲜活鲫鱼"


@pytest.mark.parametrize(
    ("file", "message"),
    [
        (SimpleUploadedFile("a.txt", b"hello"), "请上传 .csv 或 .xlsx 文件。"),
        (SimpleUploadedFile("a.xlsx", b"not a zip"), "无法读取这个 Excel 文件。"),
    ],
)
def test_files_of_the_wrong_kind_are_refused_at_once(
    client, caseloads, upload, file, message
):
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)

    response = upload(file)

    assert response.context["form"].errors["file"] == [message]
    assert not ProductImport.objects.exists()


@pytest.mark.parametrize(
    ("file", "message"),
    [
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
def test_unreadable_files_are_refused_on_their_page_with_a_message(
    client, caseloads, upload, file, message
):
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)

    upload(file)

    job = ProductImport.objects.get()
    page = client.get(reverse("listing:import", args=[job.pk])).content.decode()
    assert (job.status, job.error, job.preview) == (ImportStatus.REFUSED, message, [])
    assert f'<p class="message message--error" role="alert">{message}</p>' in page
    assert "http-equiv" not in page


def test_too_many_rows_are_refused(client, caseloads, upload, monkeypatch):
    monkeypatch.setattr(import_rows, "MAX_ROWS", 2)
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)

    upload(csv_file(GOOD))

    job = ProductImport.objects.get()
    assert (job.status, job.error) == (
        ImportStatus.REFUSED,
        "文件超过 2 行，请拆分后再上传。",
    )


@pytest.fixture(scope="module")
def blank_rows_xlsx():
    """617 KB, as the file in the issue: a header, then 120,000 blank rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADER)
    for row in range(2, 120_002):
        sheet.cell(row=row, column=1).value = ""
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_blank_rows_count_toward_the_limit_and_reading_stops_past_it(
    client, caseloads, upload, blank_rows_xlsx, monkeypatch
):
    # given
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)
    read = []
    rows_from_xlsx = import_rows._rows_from_xlsx

    def counting(data):
        for row in rows_from_xlsx(data):
            read.append(row)
            yield row

    monkeypatch.setattr(import_rows, "_rows_from_xlsx", counting)

    # when
    upload(SimpleUploadedFile("空行.xlsx", blank_rows_xlsx))

    # then
    job = ProductImport.objects.get()
    assert (job.status, job.error) == (
        ImportStatus.REFUSED,
        "文件超过 5000 行，请拆分后再上传。",
    )
    assert len(read) == 1 + 5001  # the header, then the limit and one more


def bomb_xlsx(sheet_bytes: int) -> bytes:
    """A real workbook whose sheet is padded with blanks that deflate a
    thousand to one."""
    workbook = Workbook()
    workbook.active.append(HEADER)
    out = io.BytesIO()
    workbook.save(out)
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(out.getvalue())) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"<sheetData>", b"<sheetData>" + b" " * sheet_bytes)
            target.writestr(member.filename, data)
    return bomb.getvalue()


@pytest.mark.parametrize(
    "sheet_bytes",
    [
        25 * 1024 * 1024,  # more than 20 MB unpacked
        5 * 1024 * 1024,  # less, but a thousand to one
    ],
)
def test_a_workbook_that_unpacks_too_large_is_refused_before_it_is_parsed(
    client, caseloads, upload, monkeypatch, sheet_bytes
):
    # given
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)
    opened = []
    monkeypatch.setattr(import_rows, "load_workbook", lambda *a, **k: opened.append(a))
    data = bomb_xlsx(sheet_bytes)

    # when
    response = upload(SimpleUploadedFile("炸弹.xlsx", data))

    # then
    assert len(data) < 100_000
    assert response.context["form"].errors["file"] == [
        "这个 Excel 文件解压后超过 20 MB，或压缩比异常：请用 Excel 重新保存，"
        "或另存为 CSV 文件。"
    ]
    assert not ProductImport.objects.exists()
    with pytest.raises(ValidationError):
        import_rows.read_rows("炸弹.xlsx", data)  # the task refuses it too
    assert opened == []


def test_the_upload_answers_before_the_file_is_parsed(
    client, caseloads, django_capture_on_commit_callbacks
):
    # given
    _products, _households, (worker_a, _b) = caseloads
    client.force_login(worker_a)

    # when
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            reverse("listing:import-upload", args=["luo"]), {"file": csv_file(GOOD)}
        )
    job = ProductImport.objects.get()
    checking = client.get(response["Location"]).content.decode()
    queued[0]()

    # then
    assert len(queued) == 1
    assert (job.status, job.preview, job.rows_total) == (ImportStatus.CHECKING, [], 0)
    assert '<meta http-equiv="refresh" content="2">' in checking
    assert '<p class="import-status">正在检查…</p>' in checking
    assert "import-preview" not in checking
    job.refresh_from_db()
    assert (job.status, job.rows_total) == (ImportStatus.PREVIEWED, 3)
    checked = client.get(response["Location"]).content.decode()
    assert "导入 3 行" in checked
    assert "http-equiv" not in checked


def test_another_caseloads_import_is_not_found(client, caseloads, upload):
    _products, _households, (worker_a, worker_b) = caseloads
    client.force_login(worker_b)
    upload(csv_file(GOOD[:1]), slug="chen")
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
    checking = client.get(reverse("listing:import", args=[job.pk])).content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    client.post(reverse("listing:import", args=[job.pk]))
    waiting = client.get(reverse("listing:import", args=[job.pk])).content.decode()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)

    job.refresh_from_db()
    assert '<p class="import-status">正在检查…</p>' in checking
    assert '<meta http-equiv="refresh" content="2">' in waiting
    assert '<progress id="import-progress" max="3" value="0">' in waiting
    assert (job.status, job.rows_done) == (ImportStatus.DONE, 3)
    assert Product.objects.filter(title="鲜活鲫鱼").exists()
