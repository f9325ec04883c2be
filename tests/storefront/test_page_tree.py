from storefront.models import (
    HomePage,
    HouseholdIndexPage,
    HouseholdStoryPage,
    StandardPage,
)


def test_story_pages_live_only_under_the_households_index(pages):
    # given
    home, index = pages

    # then
    assert HouseholdStoryPage.allowed_parent_page_models() == [HouseholdIndexPage]
    assert HouseholdStoryPage.can_create_at(index) is True
    assert HouseholdStoryPage.can_create_at(home) is False
    assert HouseholdStoryPage.allowed_subpage_models() == []


def test_households_index_lives_under_home_only_once(pages):
    # given
    home, index = pages

    # then
    assert HouseholdIndexPage.allowed_parent_page_models() == [HomePage]
    assert HouseholdIndexPage.allowed_subpage_models() == [HouseholdStoryPage]
    # max_count = 1: a second index cannot be added.
    assert HouseholdIndexPage.can_create_at(home) is False


def test_home_page_is_the_single_root_of_the_site(pages):
    home, _index = pages

    assert HomePage.can_create_at(home.get_parent()) is False
    assert set(StandardPage.allowed_parent_page_models()) == {HomePage, StandardPage}
