"""Caseload assignment, the organisation administrator's alone."""

import pytest
from django.urls import reverse

from sellers.models import AuditAction, AuditEvent, MemberRole
from tests import factories
from tests.workspace.households.helpers import member

pytestmark = pytest.mark.django_db


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
