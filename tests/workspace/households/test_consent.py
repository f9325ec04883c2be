"""A household's consent, recorded and withdrawn through the workspace."""

import pytest
from django.urls import reverse
from PIL import Image

from sellers.models import Consent, DisplayLevel
from tests import factories
from tests.sellers.helpers import photo_with_gps, upload

pytestmark = pytest.mark.django_db


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
