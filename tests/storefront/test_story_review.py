"""Stories: each social worker edits his own households' stories; a reviewer of
the household's organisation approves them; none goes live without consent,
and withdrawing consent takes it down at once."""

import re
import threading
import time

import pytest
from django.contrib.auth import get_user_model
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.db import close_old_connections, connection
from django.test import Client
from django.urls import reverse
from wagtail.models import TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, streamfield

from sellers.consent.services import consent_withdraw
from sellers.households.services import membership_grant
from sellers.models import AuditAction, AuditEvent, DisplayLevel, MemberRole
from storefront import stories
from storefront.models import HouseholdStoryPage
from tests import factories
from tests.sellers.helpers import two_caseloads

User = get_user_model()
pytestmark = pytest.mark.django_db


@pytest.fixture
def world(pages):
    _home, index = pages
    _products, (luo, wang, chen), (worker_a, worker_b) = two_caseloads()
    organisation = luo.organisation
    reviewer = User.objects.create_user(
        username="rev", email="rev@agency.example", password="pw"
    )
    membership_grant(user=reviewer, organisation=organisation, role=MemberRole.REVIEWER)
    stranger = User.objects.create_user(
        username="rev2", email="rev2@other.example", password="pw"
    )
    membership_grant(
        user=stranger,
        organisation=factories.OrganisationFactory(),
        role=MemberRole.REVIEWER,
    )
    return {
        "index": index,
        "luo": luo,
        "chen": chen,
        "a": worker_a,
        "b": worker_b,
        "reviewer": reviewer,
        "stranger": stranger,
    }


def fresh(user):
    # Wagtail caches page permissions on the user object.
    return User.objects.get(pk=user.pk)


def draft(world, household="luo", by="a"):
    return stories.story_page_get_or_create(
        household=world[household], acting_user=world[by]
    )


def test_a_social_worker_edits_his_households_stories_only_and_cannot_publish(world):
    luo_page, chen_page = draft(world, "luo", "a"), draft(world, "chen", "b")

    a_on_luo = luo_page.permissions_for_user(fresh(world["a"]))
    a_on_chen = chen_page.permissions_for_user(fresh(world["a"]))

    assert (a_on_luo.can_edit(), a_on_luo.can_publish()) == (True, False)
    assert (a_on_chen.can_edit(), a_on_chen.can_publish()) == (False, False)
    assert not luo_page.permissions_for_user(fresh(world["b"])).can_edit()


def test_wagtail_admin_edit_view_follows_the_caseload(client, world):
    luo_page, chen_page = draft(world, "luo", "a"), draft(world, "chen", "b")
    client.force_login(world["a"])

    own = client.get(reverse("wagtailadmin_pages:edit", args=[luo_page.pk]))
    other = client.get(reverse("wagtailadmin_pages:edit", args=[chen_page.pk]))

    assert own.status_code == 200
    assert other.status_code == 302  # Wagtail: "Sorry, you do not have permission"
    assert other["Location"] == reverse("wagtailadmin_home")


def test_story_edit_link_makes_one_draft_and_opens_the_editor(client, world):
    client.force_login(world["a"])

    first = client.get(reverse("story-edit", args=["luo"]))
    second = client.get(reverse("story-edit", args=["luo"]))
    others = client.get(reverse("story-edit", args=["chen"]))

    page = HouseholdStoryPage.objects.get(household=world["luo"])
    assert (
        first["Location"]
        == second["Location"]
        == reverse("wagtailadmin_pages:edit", args=[page.pk])
    )
    assert not page.live
    assert others.status_code == 404
    assert not HouseholdStoryPage.objects.filter(household=world["chen"]).exists()


def no_consent(world, household="luo"):
    """The household withdraws the consent it gave when registered."""
    consent_withdraw(household=world[household], acting_user=world["a"])


def test_no_consent_no_publishing_by_any_path(world):
    no_consent(world)
    page = draft(world)

    with pytest.raises(ValidationError) as error:
        page.get_latest_revision().publish(skip_permission_checks=True)

    assert error.value.messages == [
        "这户人家尚未同意公开其故事：请先登记知情同意，再发布。"
    ]
    page = HouseholdStoryPage.objects.get(pk=page.pk)
    assert not page.live


def submit(world, page):
    page.save_revision(user=world["a"])
    return page.get_workflow().start(page, world["a"])


def test_reviewer_of_the_organisation_approves_and_the_story_goes_live(world):
    factories.consent_create(world["luo"])
    page = draft(world)
    submit(world, page)
    page.refresh_from_db()
    task_state = page.current_workflow_task_state
    task = task_state.task.specific

    assert [name for name, *_ in task.get_actions(page, world["reviewer"])] == [
        "reject",
        "approve",
        "approve",
    ]
    assert task.get_actions(page, world["stranger"]) == []
    assert task.get_actions(page, world["a"]) == []
    assert list(TaskState.objects.reviewable_by(world["reviewer"])) == [task_state]
    assert list(TaskState.objects.reviewable_by(world["stranger"])) == []

    task.on_action(task_state, world["reviewer"], "approve")

    page = HouseholdStoryPage.objects.get(pk=page.pk)
    assert page.live
    trail = list(
        AuditEvent.objects.filter(household=world["luo"])
        .order_by("id")
        .values_list("action", "actor__email")
    )
    assert trail[-2:] == [
        (AuditAction.STORY_SUBMITTED, "a@agency.example"),
        (AuditAction.STORY_PUBLISHED, "rev@agency.example"),
    ]


def test_without_consent_the_reviewer_can_only_ask_for_changes(world):
    no_consent(world)
    page = draft(world)
    submit(world, page)
    page.refresh_from_db()
    task = page.current_workflow_task_state.task.specific

    assert [name for name, *_ in task.get_actions(page, world["reviewer"])] == [
        "reject"
    ]


def test_withdrawing_consent_takes_the_story_down_at_once(
    client, world, django_capture_on_commit_callbacks
):
    luo = world["luo"]
    story = factories.story_create(index=world["index"], household=luo)
    assert client.get(story.url).status_code == 200
    # A review in progress would put it back on approval: it is cancelled.
    story.save_revision(user=world["a"])
    story.get_workflow().start(story, world["a"])

    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(household=luo, acting_user=world["a"])

    story = HouseholdStoryPage.objects.get(pk=story.pk)
    luo.refresh_from_db()
    assert not story.live
    assert luo.display_level == DisplayLevel.ANONYMOUS
    assert str(luo.public.name) == "一户农户"
    assert client.get(story.url).status_code == 404
    assert WorkflowState.objects.get(object_id=str(story.pk)).status == "cancelled"
    assert list(
        AuditEvent.objects.filter(household=luo)
        .order_by("id")
        .values_list("action", flat=True)
    )[-2:] == [AuditAction.CONSENT_WITHDRAWN, AuditAction.STORY_UNPUBLISHED]


def test_withdrawing_without_a_consent_in_force_changes_nothing(world):
    no_consent(world)
    events = AuditEvent.objects.count()

    with pytest.raises(ValidationError) as error:
        consent_withdraw(household=world["luo"], acting_user=world["a"])

    assert error.value.messages == ["这户人家没有生效中的知情同意。"]
    world["luo"].refresh_from_db()
    assert world["luo"].display_level == DisplayLevel.ANONYMOUS
    assert AuditEvent.objects.count() == events


def edit_form(page, action="approve"):
    """The editor's POST of a workflow action, with the page as it stands."""
    data = nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "summary": page.summary,
            "body": streamfield([]),
            "comments": inline_formset([]),
        }
    )
    data.update({"action-workflow-action": "true", "workflow-action-name": action})
    return data


def awaiting_review(world):
    factories.consent_create(world["luo"])
    page = draft(world)
    submit(world, page)
    return page


def test_the_social_worker_submits_to_the_review_by_its_chinese_name(client, world):
    page = draft(world)
    client.force_login(world["a"])

    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    html = client.get(url).content.decode()

    assert "提交给故事审核" in html
    assert "Story review" not in html
    # Submitting is his main button, not hidden under "more actions".
    actions = html[html.index('class="w-dropdown-button') :]
    assert actions.index('name="action-submit"') < actions.index("更多动作")


@pytest.mark.parametrize(
    ("language", "labels"),
    [
        ("zh-hans", ["退回修改", "通过并发布", "通过并发布（附留言）"]),
        (
            "en",
            [
                "Request changes",
                "Approve and publish",
                "Approve and publish with comment",
            ],
        ),
    ],
)
def test_the_approve_buttons_say_publish_once(
    client, world, settings, language, labels
):
    page = awaiting_review(world)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    client.force_login(world["reviewer"])

    html = client.get(reverse("wagtailadmin_pages:edit", args=[page.pk])).content

    buttons = re.findall(
        r'data-workflow-action-name="\w+"[^>]*>\s*(?:<svg.*?</svg>)?\s*(.*?)\s*</button>',
        html.decode(),
        flags=re.S,
    )
    assert buttons == labels


def test_approving_twice_publishes_once_and_says_the_review_is_over(client, world):
    # given: the reviewer approved the story
    page = awaiting_review(world)
    client.force_login(world["reviewer"])
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    first = client.post(url, edit_form(page))
    landed = client.get(first["Location"])  # shows (and so clears) its messages

    # when: the same approval arrives again (a double tap)
    second = client.post(url, edit_form(page))

    # then
    # He may not explore the households index: he lands on his dashboard,
    # told the page was updated, and nothing else.
    assert (first.status_code, first["Location"]) == (
        302,
        reverse("wagtailadmin_home"),
    )
    assert landed.status_code == 200
    assert [m.level_tag for m in landed.context["messages"]] == ["success"]
    assert (second.status_code, second["Location"]) == (
        302,
        reverse("wagtailadmin_home"),
    )
    assert [str(m) for m in get_messages(second.wsgi_request)] == [
        f"“{page.title}”已不在等待这项审核：它已经审核过了。"
    ]
    assert HouseholdStoryPage.objects.get(pk=page.pk).live
    assert (
        AuditEvent.objects.filter(
            household=world["luo"], action=AuditAction.STORY_PUBLISHED
        ).count()
        == 1
    )


def test_the_reviewers_dashboard_search_is_in_chinese(client, world):
    client.force_login(world["reviewer"])

    html = client.get(reverse("wagtailadmin_home")).content.decode()

    assert 'placeholder="搜索所有页面…"' in html
    assert "Search all pages" not in html


# In real threads: on PostgreSQL in CI's second run, on file-based SQLite in the
# first. Without storefront.admin_guard.WorkflowActionOnceMiddleware both
# requests found the action offered; the second approved while the first was
# validating its form, and the first then took its action on the finished
# workflow: AttributeError ('NoneType' object has no attribute 'on_action'), an
# HTTP 500.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("migrated_data")
def test_a_second_approve_during_the_first_is_told_the_review_is_over(
    world, monkeypatch
):
    # given: a story awaiting review; the first approval pauses as its form is
    # validated, after Wagtail checked that approving is offered
    page = awaiting_review(world)
    url = reverse("wagtailadmin_pages:edit", args=[page.pk])
    data = edit_form(page)
    validating, release = threading.Event(), threading.Event()
    clean = HouseholdStoryPage.clean

    def pausing_clean(self):
        if threading.current_thread().name == "first" and not validating.is_set():
            validating.set()
            release.wait(timeout=30)
        clean(self)

    monkeypatch.setattr(HouseholdStoryPage, "clean", pausing_clean)
    clients = {"first": Client(), "second": Client()}
    for client in clients.values():
        client.force_login(world["reviewer"])
    answers = {}

    def approve():
        name = threading.current_thread().name
        try:
            response = clients[name].post(url, data)
            answers[name] = (response.status_code, response.get("Location"))
        except Exception as error:  # the test client re-raises a view's error
            answers[name] = (500, type(error).__name__)
        finally:
            close_old_connections()
            connection.close()

    # when: the second tap arrives while the first is under way
    first = threading.Thread(target=approve, name="first")
    second = threading.Thread(target=approve, name="second")
    first.start()
    try:
        assert validating.wait(timeout=60)
        second.start()
        time.sleep(1)  # the second request approves, or waits for the first
    finally:
        release.set()
    first.join(timeout=60)
    second.join(timeout=60)

    # then: the first approves and publishes; the second lands on the dashboard
    assert answers == {
        "first": (302, reverse("wagtailadmin_home")),
        "second": (302, reverse("wagtailadmin_home")),
    }
    assert HouseholdStoryPage.objects.get(pk=page.pk).live
    assert (
        AuditEvent.objects.filter(
            household=world["luo"], action=AuditAction.STORY_PUBLISHED
        ).count()
        == 1
    )
