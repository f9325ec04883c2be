"""Malformed input to Wagtail's admin gets a 400 with a message, never a 500:
as a superuser and as a social worker (admin access through his role)."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from sellers.models import Household
from storefront import stories
from tests import factories
from tests.sellers.helpers import social_worker

User = get_user_model()
pytestmark = pytest.mark.django_db


@pytest.fixture(params=["superuser", "social worker"])
def admin_user(request, pages):
    worker = social_worker("a@agency.example", factories.household_create(slug="luo"))
    if request.param == "superuser":
        return User.objects.create_superuser(
            username="root", email="root@bangfu.example", password="x"
        )
    return worker


@pytest.fixture
def story(admin_user):
    """罗's story, as the social worker's story editor link makes it."""
    return stories.story_page_get_or_create(
        household=Household.objects.get(slug="luo"), acting_user=admin_user
    )


def edit_form(page, **fields):
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": "",
            "comments": inline_formset([]),
            **fields,
        }
    )


@pytest.mark.parametrize(
    "path",
    [
        "/cms/api/main/pages/?search=%00",
        "/cms/api/main/images/?search=%00",
        "/cms/api/main/pages/?search=fish%00&type=wagtailcore.Page",
        "/cms/pages/search/?q=%00",
        "/cms/images/?q=%00",
    ],
)
def test_a_nul_in_an_admin_search_is_a_400(client, admin_user, path):
    client.force_login(admin_user)

    response = client.get(path)

    assert response.status_code == 400
    assert response.content.decode() == "请求中含有不允许的字符（NUL）。"


def test_the_story_editor_without_its_streamfield_counters_is_a_400(
    client, admin_user, story
):
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:edit", args=[story.pk])

    response = client.post(url, edit_form(story))  # no body-count, body-0-type…

    assert response.status_code == 400
    assert response.content.decode() == "表单提交不完整：请刷新页面后重试。"
    assert client.post(url, edit_form(story, body=streamfield([]))).status_code == 302


def test_a_nul_in_the_story_editors_post_is_a_400(client, admin_user, story):
    client.force_login(admin_user)
    url = reverse("wagtailadmin_pages:edit", args=[story.pk])

    response = client.post(url, edit_form(story, body=streamfield([]), summary="a\x00"))

    assert response.status_code == 400
    assert response.content.decode() == "请求中含有不允许的字符（NUL）。"
    story.refresh_from_db()
    assert story.get_latest_revision_as_object().summary == ""
