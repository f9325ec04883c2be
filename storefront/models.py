import json

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.images import get_image_model
from wagtail.images.blocks import ImageChooserBlock
from wagtail.models import Page, Task, TaskState

from catalog.selectors import product_list_for_households
from sellers.consent.selectors import consent_in_force
from sellers.households.selectors import (
    household_places,
    organisations_where,
    user_reviews,
)
from sellers.models import MemberRole
from sellers.plans.selectors import plan_public_get
from sellers.public import household_withheld_terms, text_names

from .page_cache import fragment_get_or_set, page_restricted_mark


class CaptionedImageBlock(blocks.StructBlock):
    image = ImageChooserBlock(label=_("Image"))
    alt = blocks.CharBlock(
        label=_("Alternative text"),
        max_length=200,
        help_text=_("What the photo shows, for people who cannot see it."),
    )
    caption = blocks.CharBlock(label=_("Caption"), required=False, max_length=200)

    class Meta:
        icon = "image"
        template = "storefront/blocks/captioned_image.html"


class StoryBlock(blocks.StreamBlock):
    heading = blocks.CharBlock(
        label=_("Heading"), form_classname="title", max_length=80
    )
    paragraph = blocks.RichTextBlock(
        label=_("Paragraph"), features=["bold", "italic", "link", "ol", "ul"]
    )
    image = CaptionedImageBlock(label=_("Image"))
    quote = blocks.BlockQuoteBlock(label=_("Quote"))


class RoutedPage:
    """Our pages route a request in one query a level, not two: a page the
    path passes through is routed as its specific class without loading its own
    fields (its children are found by its path alone). The page served reads
    its view restrictions (and its ancestors') from the public pages' cache,
    which a changed restriction, page or move invalidates; a restricted page is
    never shared from that cache."""

    def route(self, request, path_components):
        if not path_components:
            # Wagtail's on_serve_page hook asks the served page for its
            # restrictions without the request; the cache is per request.
            self._routed_request = request
            return super().route(request, path_components)
        child_slug, *remaining = path_components
        try:
            subpage = self.get_children().get(slug=child_slug)
        except Page.DoesNotExist:
            raise Http404 from None
        subpage._cached_parent_obj = self
        subpage = subpage.specific_deferred if remaining else subpage.specific
        return subpage.route(request, remaining)

    def get_view_restrictions(self):
        find = super().get_view_restrictions
        request = getattr(self, "_routed_request", None)
        if request is None:
            return find()
        restrictions = fragment_get_or_set(
            request, f"view-restrictions:{self.pk}", lambda: list(find())
        )
        if restrictions:
            page_restricted_mark(request)
        return restrictions


class HomePage(RoutedPage, Page):
    """The front page: featured households and their produce."""

    intro = models.CharField(_("introduction"), max_length=250, blank=True)
    body = StreamField(StoryBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        stories = list(
            HouseholdStoryPage.objects.live()
            .public()
            .select_related("household", "household__photo")
            .order_by("path")[:6]
        )
        context["stories"] = stories
        context["products"] = product_list_for_households(
            households=[story.household for story in stories], limit=8
        )
        context["household_index_url"] = fragment_get_or_set(
            request, "household-index-url", household_index_url
        )
        return context


def household_index_url() -> str:
    """Where the households' stories are listed ('' while unpublished)."""
    index = HouseholdIndexPage.objects.live().first()
    return (index.get_url() or "") if index is not None else ""


# The story card's photo ({% image %} in templates/includes/story_card.html).
STORY_CARD_PHOTO = "fill-480x320|format-webp"


def story_card_renditions() -> Prefetch:
    """The card photos' renditions, in one query for a list of stories of any
    length: Wagtail otherwise looks each up in the cache, and in the database
    (a query a card) whenever the cache has lost them (a restarted worker)."""
    return Prefetch(
        "household__photo__renditions",
        queryset=get_image_model()
        .get_rendition_model()
        .objects.filter(filter_spec=STORY_CARD_PHOTO),
    )


class HouseholdIndexPage(RoutedPage, Page):
    """All households' stories, filterable by town and village."""

    intro = models.CharField(_("introduction"), max_length=250, blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["storefront.HomePage"]
    subpage_types = ["storefront.HouseholdStoryPage"]
    max_count = 1

    class Meta:
        verbose_name = _("household index page")

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        # Its children are stories: one query finds the story, its household
        # and the household's photo.
        child_slug, *remaining = path_components
        story = (
            HouseholdStoryPage.objects.child_of(self)
            .select_related("household", "household__photo")
            .filter(slug=child_slug)
            .first()
        )
        if story is None:
            raise Http404
        story._cached_parent_obj = self
        return story.route(request, remaining)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        town = request.GET.get("town") or None
        village = request.GET.get("village") or None
        stories = (
            HouseholdStoryPage.objects.child_of(self)
            .live()
            .public()
            .filter(household__is_active=True)
            .select_related("household", "household__photo")
            .prefetch_related(story_card_renditions())
            .order_by("path")
        )
        if town:
            stories = stories.filter(
                household__town=town, household__shows_village=True
            )
        if village:
            stories = stories.filter(
                household__village=village, household__shows_village=True
            )
        context.update(
            stories=stories,
            places=household_places(),
            selected_town=town,
            selected_village=village,
        )
        return context


class HouseholdStoryPage(RoutedPage, Page):
    """One household's story, beside its live products from the catalogue."""

    household = models.OneToOneField(
        "sellers.Household",
        on_delete=models.PROTECT,
        related_name="story_page",
        verbose_name=_("household"),
    )
    summary = models.CharField(_("summary"), max_length=250, blank=True)
    body = StreamField(StoryBlock(), blank=True, verbose_name=_("story"))

    content_panels = [
        *Page.content_panels,
        # Set when the page is made (storefront.stories.story_page_get_or_create)
        # and never moved to another household from the editor.
        FieldPanel("household", read_only=True),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    parent_page_types = ["storefront.HouseholdIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("household story page")

    def clean(self):
        """No story goes live without the household's consent to its story.

        Every way of publishing (the publish button, a workflow's approval,
        a scheduled publication, code) saves the live page through here.
        """
        super().clean()
        if self.live and self.household_id:
            consent = consent_in_force(household=self.household)
            if consent is None or "story" not in consent.scope:
                raise ValidationError(
                    _(
                        "This household has not consented to its story being "
                        "shown: record its consent before publishing."
                    )
                )
            found = text_names(
                self.public_text(), household_withheld_terms(self.household)
            )
            if found:
                raise ValidationError(
                    _(
                        "The story names what the household has not agreed to "
                        "show (“%(words)s”): take it out before publishing."
                    )
                    % {"words": "”、“".join(found)}
                )

    def public_text(self) -> str:
        """Every text of the page a visitor can read or a crawler index."""
        body = json.dumps(self.body.get_prep_value(), ensure_ascii=False)
        return "\n".join(
            [self.title, self.seo_title, self.search_description, self.summary, body]
        )

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["products"] = product_list_for_households(households=[self.household])
        # Cached with the page's other fragments, under the public version:
        # each order placed (its stock held) bumps it. {} when there is no
        # plan to show, which the cache keeps (it takes None for a miss).
        context["plan"] = fragment_get_or_set(
            request,
            f"story-plan:{self.household_id}",
            lambda: (
                plan_public_get(household=self.household, today=timezone.localdate())
                or {}
            ),
        )
        return context


class StandardPage(RoutedPage, Page):
    """A plain page: about us, how the money flows, contact."""

    body = StreamField(StoryBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["storefront.HomePage", "storefront.StandardPage"]

    class Meta:
        verbose_name = _("standard page")


class AfterSalesPage(RoutedPage, Page):
    """The store's after-sales policy (returns, spoiled produce, whom to ask),
    linked from the footer, product pages and order pages."""

    body = StreamField(StoryBlock(), blank=True, verbose_name=_("body"))

    content_panels = [*Page.content_panels, FieldPanel("body")]
    parent_page_types = ["storefront.HomePage"]
    subpage_types: list[str] = []
    # One policy, so that every link finds it whatever its title or slug.
    max_count = 1
    template = "storefront/standard_page.html"

    class Meta:
        verbose_name = _("after-sales policy page")


class PublicVersion(models.Model):
    """A counter that changes whenever anything public pages show has changed.

    Cached public pages are keyed by it; one row, read once per cached request.
    """

    value = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("public pages version")

    def __str__(self) -> str:
        return str(self.value)


class StoryReviewTask(Task):
    """A story's review by a reviewer of the household's own organisation.

    Approve is offered only while the household's consent is in force; the
    approval publishes the story (storefront.workflow_actions.publish_workflow_state).
    """

    admin_form_fields = Task.admin_form_fields

    class Meta:
        verbose_name = _("organisation review")
        verbose_name_plural = _("organisation reviews")

    @staticmethod
    def _household(obj):
        page = getattr(obj, "specific", obj)
        return getattr(page, "household", None)

    def _reviews(self, obj, user) -> bool:
        if user.is_superuser:
            return True
        household = self._household(obj)
        return household is not None and user_reviews(
            user=user, organisation_id=household.organisation_id
        )

    def user_can_access_editor(self, obj, user):
        return self._reviews(obj, user)

    def locked_for_user(self, obj, user):
        return not self._reviews(obj, user)

    def user_can_lock(self, obj, user):
        return self._reviews(obj, user)

    def get_actions(self, obj, user):
        if not self._reviews(obj, user):
            return []
        actions = [("reject", _("Request changes"), True)]
        consent = consent_in_force(household=self._household(obj))
        if consent is not None and "story" in consent.scope:
            actions += [
                ("approve", _("Approve and publish"), False),
                ("approve", _("Approve and publish with comment"), True),
            ]
        return actions

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser:
            return states
        pages = HouseholdStoryPage.objects.filter(
            household__organisation__in=organisations_where(
                user=user, roles=[MemberRole.REVIEWER]
            )
        ).values_list("pk", flat=True)
        return states.filter(workflow_state__object_id__in=[str(pk) for pk in pages])

    @classmethod
    def get_description(cls):
        return _("A reviewer of the household's organisation approves the story.")
