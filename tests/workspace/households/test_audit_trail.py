"""The audit trail: who changed what of a household, read by the reviewer."""

import pytest
from django.urls import reverse

from sellers.audit import audit_record
from sellers.households.services import household_record_update
from sellers.models import AuditAction, AuditEvent, MemberRole
from tests import factories
from tests.workspace.households.helpers import member, record_post

pytestmark = pytest.mark.django_db


def test_reviewer_reads_his_organisations_trail_only(client, world):
    luo, _chen, worker_a, _b = world
    household_record_update(household=luo, acting_user=worker_a, phone="13800138000")
    elsewhere = factories.household_create(slug="far")
    household_record_update(
        household=elsewhere, acting_user=worker_a, phone="13900139000"
    )
    reviewer = member("rev@agency.example", luo.organisation, MemberRole.REVIEWER)

    client.force_login(reviewer)
    page = client.get(reverse("workspace:audit"))

    assert [
        (e.household.slug, e.action)
        for e in page.context["page"]
        if e.action != AuditAction.CONSENT_RECORDED
    ] == [("luo", AuditAction.RECORD_CHANGED)]
    assert "13800138000" not in page.content.decode()
    client.force_login(worker_a)
    assert client.get(reverse("workspace:audit")).status_code == 403


def test_the_trail_names_fields_in_the_readers_language(client, world):
    luo, _chen, worker_a, _b = world
    household_record_update(household=luo, acting_user=worker_a, illness="x")
    audit_record(
        actor=worker_a,
        household=luo,
        action=AuditAction.PRODUCT_CHANGED,
        subject="草鱼",
        changes={"price": ["15.00", "16.00"]},
    )
    client.force_login(
        member("rev@agency.example", luo.organisation, MemberRole.REVIEWER)
    )

    html = client.get(reverse("workspace:audit")).content.decode()

    assert "<div>单价（元）: 15.00 → 16.00</div>" in html
    assert "<div>疾病情况</div>" in html


def test_a_worker_names_a_household_for_staff_and_only_staff_read_it(client, world):
    # given: three anonymous households all read "一户农户" in public
    luo, _chen, worker_a, _b = world
    client.force_login(worker_a)

    # when
    response = client.post(
        reverse("workspace:household-record", args=["luo"]),
        record_post(nickname="鱼塘罗"),
    )

    # then: the workspace tells him apart; the trail shows old and new
    assert response.status_code == 302
    luo.refresh_from_db()
    assert luo.label == "鱼塘罗 · luo"
    statement = client.get("/workspace/households/luo/statement/").content.decode()
    assert "鱼塘罗 · luo" in statement
    nickname = AuditEvent.objects.get(
        action=AuditAction.RECORD_CHANGED, changes__has_key="nickname"
    )
    assert nickname.changes == {"nickname": ["luo", "鱼塘罗"]}
    # and no public page of his says it
    client.logout()
    for product in luo.partner.stockrecords.all():
        page = client.get(product.product.get_absolute_url()).content.decode()
        assert "鱼塘罗" not in page


@pytest.mark.parametrize(
    ("language", "lines"),
    [
        (
            "zh-hans",
            [
                "<div>同意的公开程度: 仅显示村名 → 匿名</div>",
                "<div>同意范围: 故事文字、农户所在的村 → —</div>",
            ],
        ),
        (
            "en",
            [
                "<div>consented display level: Village only → Anonymous</div>",
                "<div>scope: Story text, The household&#x27;s village → —</div>",
            ],
        ),
    ],
)
def test_the_trail_shows_consent_codes_by_their_labels(
    client, world, settings, language, lines
):
    # given: a consent narrowed from the village to anonymity
    luo, _chen, worker_a, _b = world
    audit_record(
        actor=worker_a,
        household=luo,
        action=AuditAction.CONSENT_RECORDED,
        changes={
            "display_level": ["village", "anonymous"],
            "scope": ["story,village", ""],
        },
    )
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(
        member("rev@agency.example", luo.organisation, MemberRole.REVIEWER)
    )

    # when
    html = client.get(reverse("workspace:audit")).content.decode()

    # then (in either order: PostgreSQL's jsonb orders the keys)
    assert [line in html for line in lines] == [True, True]
    assert "anonymous" not in html
    assert "story,village" not in html
