import pytest

from tests import factories


@pytest.fixture
def three_villages(pages, organisation):
    _home, index = pages
    rows = [
        ("a", "统景镇", "西新村"),
        ("b", "统景镇", "西新村"),
        ("c", "统景镇", "印盒村"),
        ("d", "木耳镇", "金刚村"),
    ]
    for slug, town, village in rows:
        household = factories.household_create(
            organisation=organisation, slug=slug, town=town, village=village
        )
        factories.story_create(index=index, household=household)
    return index


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({}, ["a", "b", "c", "d"]),
        ({"town": "统景镇"}, ["a", "b", "c"]),
        ({"village": "西新村"}, ["a", "b"]),
        ({"town": "木耳镇", "village": "金刚村"}, ["d"]),
        ({"town": "木耳镇", "village": "西新村"}, []),
        ({"town": "不存在镇"}, []),
    ],
)
def test_filter_by_town_and_village(client, three_villages, query, expected):
    response = client.get(three_villages.url, query)

    assert response.status_code == 200
    assert [s.household.slug for s in response.context["stories"]] == expected


def test_filter_choices_list_towns_with_their_villages(client, three_villages):
    response = client.get(three_villages.url)

    assert response.context["places"] == [
        ("木耳镇", ["金刚村"]),
        ("统景镇", ["印盒村", "西新村"]),
    ]
