"""A household's protected record, consent, caseload assignment and the audit
trail, through the workspace."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from PIL import Image

from sellers.audit import audit_record
from sellers.households.services import household_record_update, membership_grant
from sellers.models import AuditAction, AuditEvent, Consent, DisplayLevel, MemberRole
from tests import factories
from tests.sellers.helpers import photo_with_gps, two_caseloads, upload

User = get_user_model()
pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    _products, (luo, wang, chen), (worker_a, worker_b) = two_caseloads()
    return luo, chen, worker_a, worker_b


def member(email, organisation, role):
    user = User.objects.create_user(username=email, email=email, password="pw")
    membership_grant(user=user, organisation=organisation, role=role)
    return user


# --- Protected record --------------------------------------------------------


def record_post(**overrides):
    data = {
        "legal_name": "罗某银",
        "id_number": "50011219650101123X",
        "phone": "13800138000",
        "address": "统景镇西新村3组",
        "members": "4",
        "assistance_category": "dibao",
        "disability": "",
        "illness": "高血压",
        "bank_name": "农商行",
        "bank_account": "6228480000000000",
        "notes": "",
    }
    data.update(overrides)
    return data


def test_social_worker_updates_the_record_and_the_trail_names_fields_only(
    client, world
):
    luo, _chen, worker_a, _b = world
    client.force_login(worker_a)

    response = client.post(
        reverse("workspace:household-record", args=["luo"]), record_post()
    )

    assert response.status_code == 302
    luo.record.refresh_from_db()
    assert (luo.record.id_number, luo.record.illness, luo.record.members) == (
        "50011219650101123X",
        "高血压",
        4,
    )
    event = AuditEvent.objects.get(action=AuditAction.RECORD_CHANGED)
    assert event.changes == {
        "id_number": [None, None],
        "phone": [None, None],
        "address": [None, None],
        "members": [None, None],
        "assistance_category": [None, None],
        "illness": [None, None],
        "bank_name": [None, None],
        "bank_account": [None, None],
    }
    assert "高血压" not in str(event.changes) and "罗某银" not in event.subject


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", "12345", "身份证号为 18 位：17 位数字加一位数字或 X。"),
        ("phone", "12345", "请输入手机或座机号码。"),
        ("members", "-1", "确保该值大于或等于0。"),
    ],
)
def test_bad_record_input_is_refused_and_changes_nothing(
    client, world, field, value, message
):
    luo, _chen, worker_a, _b = world
    client.force_login(worker_a)

    response = client.post(
        reverse("workspace:household-record", args=["luo"]),
        record_post(**{field: value}),
    )

    assert response.context["form"].errors[field] == [message]
    luo.record.refresh_from_db()
    assert luo.record.id_number == ""
    assert not AuditEvent.objects.filter(action=AuditAction.RECORD_CHANGED).exists()


def test_record_of_another_caseload_is_not_found_and_not_shown(client, world):
    luo, chen, worker_a, worker_b = world
    household_record_update(household=chen, acting_user=worker_b, illness="糖尿病")
    client.force_login(worker_a)

    assert (
        client.get(reverse("workspace:household-record", args=["chen"])).status_code
        == 404
    )
    assert (
        client.post(
            reverse("workspace:household-record", args=["chen"]), record_post()
        ).status_code
        == 404
    )
    chen.record.refresh_from_db()
    assert chen.record.illness == "糖尿病"


# --- Consent -----------------------------------------------------------------


def consent_post(**overrides):
    data = {
        "display_level": DisplayLevel.FULL_STORY,
        "scope": ["story", "village", "name", "photos"],
        "given_on": "2026-11-20",
        "signed_form": upload(photo_with_gps(), name="罗某银-同意书.jpg"),
        "witness": "村主任",
    }
    data.update(overrides)
    return data


def test_consent_is_recorded_with_a_cleaned_scan_and_sets_the_display_level(
    client, world
):
    luo, _chen, worker_a, worker_b = world
    client.force_login(worker_a)

    response = client.post(reverse("workspace:consent", args=["luo"]), consent_post())

    assert response.status_code == 302
    consent = Consent.objects.get(household=luo, withdrawn_at=None)
    assert (consent.display_level, consent.scope, consent.witness) == (
        DisplayLevel.FULL_STORY,
        ["name", "photos", "story", "village"],
        "村主任",
    )
    assert "罗某银" not in consent.signed_form.name
    with Image.open(consent.signed_form.path) as scan:
        assert scan.getexif() == {}
    luo.refresh_from_db()
    assert luo.display_level == DisplayLevel.FULL_STORY
    scan_url = reverse("workspace:consent-scan", args=[consent.pk, "signed"])
    assert client.get(scan_url).status_code == 200
    client.force_login(worker_b)
    assert client.get(scan_url).status_code == 404


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"minors_appear": "on"}, "guardian_name", "有未成年人出现：请填写其监护人。"),
        (
            {"minors_appear": "on", "guardian_name": "罗某"},
            "guardian_form",
            "有未成年人出现：请上传监护人签字的同意书。",
        ),
        (
            {"scope": ["story"]},
            "scope",
            "这个公开程度需要农户同意：农户的名字、农户所在的村。",
        ),
        ({"given_on": "2099-01-01"}, "given_on", "日期不能晚于今天。"),
        ({"signed_form": ""}, "signed_form", "必需字段"),
    ],
)
def test_incomplete_consent_is_refused_with_its_message(
    client, world, overrides, field, message
):
    luo, _chen, worker_a, _b = world
    client.force_login(worker_a)

    response = client.post(
        reverse("workspace:consent", args=["luo"]), consent_post(**overrides)
    )

    assert response.context["form"].errors[field] == [message]
    # only the consent 罗大哥 gave when registered (tests.factories)
    assert Consent.objects.filter(household=luo).count() == 1
    luo.refresh_from_db()
    assert luo.display_level == DisplayLevel.GIVEN_NAME


def test_a_new_consent_replaces_the_one_in_force(world):
    luo, _chen, worker_a, _b = world
    first = factories.consent_create(luo)
    second = factories.consent_create(
        luo, level=DisplayLevel.ANONYMOUS, scope=("story",)
    )

    first.refresh_from_db()
    assert first.withdrawn_at is not None
    assert Consent.objects.filter(household=luo, withdrawn_at=None).get() == second


def test_withdraw_through_the_workspace(client, world):
    luo, _chen, worker_a, worker_b = world
    factories.consent_create(luo)
    client.force_login(worker_b)
    assert (
        client.post(reverse("workspace:consent-withdraw", args=["luo"])).status_code
        == 404
    )
    client.force_login(worker_a)

    client.post(reverse("workspace:consent-withdraw", args=["luo"]))

    luo.refresh_from_db()
    assert luo.display_level == DisplayLevel.ANONYMOUS
    assert not Consent.objects.filter(household=luo, withdrawn_at=None).exists()


# --- Caseloads ---------------------------------------------------------------


def test_organisation_administrator_assigns_and_unassigns(client, world):
    luo, chen, worker_a, worker_b = world
    admin = member("boss@agency.example", luo.organisation, MemberRole.ADMINISTRATOR)
    client.force_login(admin)

    response = client.post(
        reverse("workspace:caseloads"),
        {"household": chen.pk, "social_worker": worker_a.pk},
    )

    assert response.status_code == 302
    assert set(chen.partner.users.all()) == {worker_a, worker_b}
    assert worker_a.groups.filter(pk=chen.story_editors_id).exists()
    client.post(reverse("workspace:caseload-remove", args=["chen", worker_b.pk]))
    assert list(chen.partner.users.all()) == [worker_a]
    assert not worker_b.groups.filter(pk=chen.story_editors_id).exists()
    assert list(
        AuditEvent.objects.exclude(action=AuditAction.CONSENT_RECORDED)
        .order_by("id")
        .values_list("action", "actor", "household")
    ) == [
        (AuditAction.CASELOAD_ASSIGNED, admin.pk, chen.pk),
        (AuditAction.CASELOAD_REMOVED, admin.pk, chen.pk),
    ]


def test_caseloads_are_the_administrators_only(client, world):
    luo, chen, worker_a, _b = world
    outsider_org = factories.OrganisationFactory()
    outsider = member("x@other.example", outsider_org, MemberRole.SOCIAL_WORKER)
    admin = member("boss@agency.example", luo.organisation, MemberRole.ADMINISTRATOR)
    other_admin = member("boss@other.example", outsider_org, MemberRole.ADMINISTRATOR)

    client.force_login(worker_a)
    assert client.get(reverse("workspace:caseloads")).status_code == 403
    client.force_login(other_admin)
    assert (
        client.post(
            reverse("workspace:caseload-remove", args=["chen", worker_a.pk])
        ).status_code
        == 404
    )
    client.force_login(admin)
    refused = client.post(
        reverse("workspace:caseloads"),
        {"household": chen.pk, "social_worker": outsider.pk},
    )

    assert refused.context["form"].errors["social_worker"] == [
        "选择一个有效的选项： 该选择不在可用的选项中。"
    ]
    assert outsider not in chen.partner.users.all()


# --- Audit trail ---------------------------------------------------------------


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
