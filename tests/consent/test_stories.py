"""A story naming what its household withholds cannot go live (issue 12)."""

import pytest
from django.core.exceptions import ValidationError

from sellers.models import DisplayLevel
from storefront.models import HouseholdStoryPage
from tests import factories


def test_a_story_naming_what_is_withheld_cannot_go_live(pages):
    # given: a household that shows its village but not its name
    _home, index = pages
    household = factories.household_create(
        public_name="陈家", display_level=DisplayLevel.VILLAGE
    )

    # when: every way of publishing saves the live page through clean()
    with pytest.raises(ValidationError) as error:
        factories.story_create(
            index=index,
            household=household,
            body=[("paragraph", "<p>陈家种了三亩菜地。</p>")],
        )

    # then
    assert error.value.messages == [
        "故事里写了农户未同意公开的内容（“陈家”）：请删去后再发布。"
    ]
    assert not HouseholdStoryPage.objects.filter(household=household).exists()
