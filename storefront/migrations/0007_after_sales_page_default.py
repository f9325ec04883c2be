import json
import uuid

from django.db import migrations
from django.db.models import F
from django.utils import timezone

# The policy as first published; editors change it in Wagtail from then on. This
# copy is frozen with the migration: a database without a home page yet (a fresh
# one) gets the page from load_demo, with the text of storefront/demo/data.py.
TITLE = "售后说明：退换货与坏果包赔"
SLUG = "after-sales"
BODY = [
    ("heading", "坏果包赔"),
    (
        "paragraph",
        "<p>鱼、蛋、菜都是农户现捕现摘后发出的。收到包裹时如有死鱼、变质、破损或腐烂，"
        "请在签收后24小时内拍照（整个包裹和有问题的商品各一张，能看到快递面单更好），"
        "连同订单号发给客服。</p>"
        "<p>核实后按您的选择补发，或退回有问题商品的货款（原路退回，几天内到账）。"
        "坏了的商品不用寄回。</p>",
    ),
    ("heading", "退换货"),
    (
        "paragraph",
        "<p>生鲜农产品容易变质，没有质量问题的，签收后不支持七天无理由退货。"
        "还没发货的包裹可以联系客服取消，货款全额原路退回。</p>"
        "<p>一个订单里各户的包裹分别发出、分别处理：一户的包裹出了问题，不影响其他包裹。</p>",
    ),
    ("heading", "联系谁"),
    (
        "paragraph",
        "<p>请联系商品页和订单页上写明的社工机构客服（电话或微信），说明订单号和情况。"
        "客服会和农户的社工一起核实，尽快答复您。</p>",
    ),
]
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
STEPLEN = 4


def _step(number: int) -> str:
    digits = ""
    while number:
        number, rest = divmod(number, len(ALPHABET))
        digits = ALPHABET[rest] + digits
    return digits.rjust(STEPLEN, "0")


def add_page(apps, schema_editor):
    # Historical models know nothing of treebeard: the path is computed here,
    # as Page.add_child would (the next step after the last child's).
    Page = apps.get_model("wagtailcore", "Page")
    HomePage = apps.get_model("storefront", "HomePage")
    AfterSalesPage = apps.get_model("storefront", "AfterSalesPage")
    ContentType = apps.get_model("contenttypes", "ContentType")
    home = HomePage.objects.order_by("path").first()
    if home is None or AfterSalesPage.objects.exists():
        return
    children = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
    if children.filter(slug=SLUG).exists():
        return
    last = children.order_by("-path").first()
    number = int(last.path[-STEPLEN:], len(ALPHABET)) + 1 if last else 1
    content_type, _created = ContentType.objects.get_or_create(
        app_label="storefront", model="aftersalespage"
    )
    now = timezone.now()
    AfterSalesPage.objects.create(
        title=TITLE,
        draft_title=TITLE,
        slug=SLUG,
        path=home.path + _step(number),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}{SLUG}/",
        content_type=content_type,
        locale_id=home.locale_id,
        live=True,
        first_published_at=now,
        last_published_at=now,
        body=json.dumps(
            [
                {"type": kind, "value": value, "id": str(uuid.uuid4())}
                for kind, value in BODY
            ]
        ),
    )
    Page.objects.filter(pk=home.pk).update(numchild=F("numchild") + 1)


def remove_page(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    AfterSalesPage = apps.get_model("storefront", "AfterSalesPage")
    for page in AfterSalesPage.objects.all():
        parent_path = page.path[:-STEPLEN]
        Page.objects.filter(pk=page.pk).delete()
        Page.objects.filter(path=parent_path).update(numchild=F("numchild") - 1)


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("storefront", "0006_after_sales_page"),
    ]

    operations = [migrations.RunPython(add_page, remove_page)]
