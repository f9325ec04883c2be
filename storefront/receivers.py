"""Uploaded photos lose their metadata; changes to anything public pages show
invalidate the cached pages."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.dispatch import receiver
from oscar.core.loading import get_model
from wagtail.images import get_image_model
from wagtail.models import Page, PageLogEntry, PageViewRestriction
from wagtail.signals import page_published, page_unpublished, post_page_move

from sellers import uploads
from sellers.audit import audit_record
from sellers.models import (
    AuditAction,
    HarvestOffer,
    Household,
    Organisation,
    PickupPoint,
)
from sellers.signals import consent_narrowed, preorder_changed

from . import page_cache, stories
from .models import HouseholdIndexPage, HouseholdStoryPage

SHOWN_ON_PUBLIC_PAGES = [
    get_model("catalogue", "Product"),
    get_model("catalogue", "ProductImage"),
    get_model("catalogue", "ProductCategory"),
    get_model("catalogue", "Category"),
    get_model("catalogue", "ProductAttributeValue"),
    get_model("partner", "StockRecord"),
    Household,
    Organisation,  # its service contact, on product pages
    HarvestOffer,  # 预售: window, price per jin
    get_image_model(),
    get_model("catalogue", "ProductCertificate"),
    PageViewRestriction,  # cached with the pages they restrict
    PickupPoint,  # cached for the basket and checkout (storefront.shipping)
    # What the offers applied on a guest's cached basket page are made of
    # (storefront.page_cache.basket_cache_key); an order using an offer saves
    # its count of uses.
    get_model("offer", "ConditionalOffer"),
    get_model("offer", "Condition"),
    get_model("offer", "Benefit"),
    get_model("offer", "Range"),
    get_model("offer", "RangeProduct"),
]


# Every model with an uploaded photo, and its field: photos of rural households
# and their ponds carry GPS positions in their EXIF.
PHOTO_FIELDS = {
    get_image_model(): "file",
    get_model("catalogue", "ProductImage"): "original",
}


def strip_photo_metadata(sender, instance, **kwargs):
    field = PHOTO_FIELDS[sender]
    cleaned = uploads.photo_clean(getattr(instance, field))
    if cleaned is None:
        return
    setattr(instance, field, cleaned)
    if hasattr(instance, "_set_image_file_metadata"):
        instance._set_image_file_metadata()  # Wagtail's size and hash, anew


for model in PHOTO_FIELDS:
    pre_save.connect(strip_photo_metadata, sender=model, dispatch_uid=f"ps-{model}")


def invalidate_public_pages(sender, **kwargs):
    page_cache.version_bump()


for model in SHOWN_ON_PUBLIC_PAGES:
    post_save.connect(invalidate_public_pages, sender=model, dispatch_uid=f"pc-{model}")
    post_delete.connect(
        invalidate_public_pages, sender=model, dispatch_uid=f"pd-{model}"
    )


def invalidate_on_range_change(sender, **kwargs):
    if kwargs["action"].startswith("post_"):
        page_cache.version_bump()


# A range's classes and categories are many-to-many: no save of the range.
for field in get_model("offer", "Range")._meta.many_to_many:
    m2m_changed.connect(
        invalidate_on_range_change,
        sender=field.remote_field.through,
        dispatch_uid=f"pc-range-{field.name}",
    )


@receiver(preorder_changed, dispatch_uid="pc-preorder")
@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete, sender=Page)
def invalidate_on_page_change(sender, **kwargs):
    page_cache.version_bump()


# Household stories: permissions, review workflow, consent (storefront/stories.py).


@receiver(post_save, sender=HouseholdIndexPage, dispatch_uid="story-workflow")
def attach_story_workflow(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        stories.story_workflow_attach(instance)


@receiver(post_save, sender=HouseholdStoryPage, dispatch_uid="story-editors")
def grant_story_editors(sender, instance, raw=False, **kwargs):
    if not raw:
        stories.story_permissions_grant(instance)


@receiver(consent_narrowed, dispatch_uid="story-take-down")
def take_story_down(sender, household, acting_user, **kwargs):
    stories.story_take_down(household=household, acting_user=acting_user)


STORY_LOG_ACTIONS = {
    "wagtail.workflow.start": AuditAction.STORY_SUBMITTED,
    "wagtail.publish": AuditAction.STORY_PUBLISHED,
    "wagtail.unpublish": AuditAction.STORY_UNPUBLISHED,
}


@receiver(post_save, sender=PageLogEntry, dispatch_uid="story-audit")
def audit_story_log(sender, instance, created, raw=False, **kwargs):
    """Wagtail logs who submitted, published or unpublished a page: stories'
    entries join the household's audit trail."""
    action = STORY_LOG_ACTIONS.get(instance.action)
    if not created or raw or action is None:
        return
    story = HouseholdStoryPage.objects.filter(pk=instance.page_id).first()
    if story is None:
        return
    audit_record(
        actor=instance.user,
        household=story.household,
        action=action,
        subject=story.title,
    )
