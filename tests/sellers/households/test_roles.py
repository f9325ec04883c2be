"""Roles are permission groups made by migration; granting a role joins its group."""

import pytest
from django.contrib.auth.models import Group

from sellers.households.services import (
    bureau_officer_grant,
    caseload_assign,
    membership_grant,
)
from sellers.models import MemberRole, Membership
from tests import factories


def permissions(group_name):
    group = Group.objects.get(name=group_name)
    return sorted(
        f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()
    )


def test_the_migration_makes_the_four_roles_with_their_permissions(db):
    assert {
        name: permissions(name)
        for name in (
            "Social workers",
            "Organisation reviewers",
            "Bureau officers",
            "Organisation administrators",
        )
    } == {
        "Social workers": ["partner.dashboard_access", "wagtailadmin.access_admin"],
        "Organisation reviewers": ["wagtailadmin.access_admin"],
        "Bureau officers": ["wagtailadmin.access_admin"],
        "Organisation administrators": [
            "partner.dashboard_access",
            "wagtailadmin.access_admin",
        ],
    }


@pytest.mark.parametrize(
    "role,group",
    [
        (MemberRole.SOCIAL_WORKER, "Social workers"),
        (MemberRole.REVIEWER, "Organisation reviewers"),
        (MemberRole.ADMINISTRATOR, "Organisation administrators"),
    ],
)
def test_granting_a_role_records_the_membership_and_joins_the_group(
    django_user_model, organisation, role, group
):
    user = django_user_model.objects.create_user(
        username="w@example.com", email="w@example.com", password="x-pass-2026"
    )

    membership_grant(user=user, organisation=organisation, role=role)
    membership_grant(user=user, organisation=organisation, role=role)

    assert list(Membership.objects.values_list("user", "organisation", "role")) == [
        (user.pk, organisation.pk, role)
    ]
    assert list(user.groups.values_list("name", flat=True)) == [group]


def test_a_caseload_makes_a_social_worker_with_dashboard_access(django_user_model):
    household = factories.household_create()
    user = django_user_model.objects.create_user(
        username="s@example.com", email="s@example.com", password="x-pass-2026"
    )

    caseload_assign(household=household, social_worker=user)

    user = django_user_model.objects.get(pk=user.pk)  # fresh permission cache
    assert user.has_perm("partner.dashboard_access")
    assert not user.has_perm("sellers.change_household")
    assert list(household.partner.users.all()) == [user]


def test_a_bureau_officer_may_open_the_admin_and_change_nothing(django_user_model):
    user = django_user_model.objects.create_user(
        username="b@example.com", email="b@example.com", password="x-pass-2026"
    )

    bureau_officer_grant(user=user)

    user = django_user_model.objects.get(pk=user.pk)
    assert user.get_all_permissions() == {"wagtailadmin.access_admin"}
