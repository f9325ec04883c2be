"""No admin changes a household's display level around its consent (issue 12)."""

from django.urls import reverse

from sellers.models import DisplayLevel, Household
from tests import factories


def test_display_level_cannot_be_changed_in_wagtail_or_django_admin(client, db):
    # given
    from django.contrib.auth import get_user_model

    household = factories.household_create(display_level=DisplayLevel.ANONYMOUS)
    admin = get_user_model().objects.create_superuser(
        username="root", email="root@bangfu.example", password="pw"
    )
    client.force_login(admin)
    edit = reverse("households:edit", args=[household.pk])
    form = client.get(edit)
    assert form.status_code == 200

    # when
    client.post(
        edit,
        {
            "organisation": household.organisation_id,
            "slug": "tang-beans",
            "nickname": "唐",
            "display_level": DisplayLevel.FULL_STORY,
            "public_name": household.public_name,
            "district": household.district,
            "town": household.town,
            "village": household.village,
            "introduction": "",
            "ships_itself": "on",
            "is_active": "on",
        },
    )
    client.post(
        reverse("admin:sellers_household_change", args=[household.pk]),
        {"display_level": DisplayLevel.FULL_STORY, "slug": "tang-beans"},
    )

    # then
    household = Household.objects.get(pk=household.pk)
    assert (household.nickname, household.slug, household.display_level) == (
        "唐",
        household.slug,
        DisplayLevel.ANONYMOUS,
    )
    assert household.slug != "tang-beans"
