"""A household's protected record, through the workspace."""

import pytest
from django.urls import reverse

from sellers.households.services import household_record_update
from sellers.models import AuditAction, AuditEvent
from tests.workspace.households.helpers import record_post

pytestmark = pytest.mark.django_db


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
