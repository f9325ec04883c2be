"""A household's consent, recorded through the service: a neutral code at the
start, a level that needs its scope, stories following the level (issue 12)."""

import re

import pytest
from django.core.exceptions import ValidationError

from sellers.households.services import household_create
from sellers.models import DisplayLevel
from tests import factories


def test_a_new_household_gets_a_neutral_random_code(db):
    # when
    households = [
        household_create(
            organisation=factories.OrganisationFactory(),
            nickname="tang-beans",
            legal_name="唐某珍",
            public_name="唐奶奶",
            district="渝北区",
            town="统景镇",
            village="西新村",
        )
        for _ in range(2)
    ]

    # then
    for household in households:
        assert re.fullmatch(r"h[23456789abcdefghjkmnpqrstuvwxyz]{7}", household.slug)
        assert household.partner.name == household.slug
        assert household.nickname == "tang-beans"
        assert household.display_level == DisplayLevel.ANONYMOUS
        assert (household.shows_village, household.shows_photo) == (False, False)
    assert households[0].slug != households[1].slug


def test_lowering_the_level_takes_the_story_down_and_raising_keeps_it(
    pages, django_capture_on_commit_callbacks
):
    # given: a live story at the full-story level
    _home, index = pages
    household = factories.household_create(display_level=DisplayLevel.FULL_STORY)
    story = factories.story_create(index=index, household=household)
    story.save_revision().publish()

    # when: a new consent adds nothing and drops the photos
    with django_capture_on_commit_callbacks(execute=True):
        factories.consent_create(
            household,
            level=DisplayLevel.FULL_STORY,
            scope=("name", "story", "village"),
        )

    # then
    story.refresh_from_db()
    household.refresh_from_db()
    assert (story.live, household.shows_photo) == (False, False)

    # when: it is published again, and then consent grows to include photos
    story.save_revision().publish()
    factories.consent_create(household, level=DisplayLevel.FULL_STORY)

    # then
    story.refresh_from_db()
    household.refresh_from_db()
    assert (story.live, household.shows_photo) == (True, True)
    assert [
        (event.action, event.changes)
        for event in household.audit_events.filter(action="consent_recorded").order_by(
            "id"
        )
    ][-2:] == [
        (
            "consent_recorded",
            {
                "display_level": ["full_story", "full_story"],
                "scope": ["name,photos,story,village", "name,story,village"],
            },
        ),
        (
            "consent_recorded",
            {
                "display_level": ["full_story", "full_story"],
                "scope": ["name,story,village", "name,photos,story,village"],
            },
        ),
    ]


def test_a_consent_missing_what_its_level_needs_is_refused_by_the_service(db):
    household = factories.household_create(display_level=DisplayLevel.ANONYMOUS)

    with pytest.raises(ValidationError) as error:
        factories.consent_create(
            household, level=DisplayLevel.GIVEN_NAME, scope=("story",)
        )

    assert error.value.messages == [
        "这个公开程度需要农户同意：农户的名字、农户所在的村。"
    ]
    household.refresh_from_db()
    assert household.display_level == DisplayLevel.ANONYMOUS
    assert household.consents.count() == 0
