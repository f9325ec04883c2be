"""Changes to anything public pages show invalidate the cached pages."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from oscar.core.loading import get_model
from wagtail.images import get_image_model
from wagtail.models import Page
from wagtail.signals import page_published, page_unpublished, post_page_move

from sellers.models import Household

from . import page_cache

SHOWN_ON_PUBLIC_PAGES = [
    get_model("catalogue", "Product"),
    get_model("catalogue", "ProductImage"),
    get_model("catalogue", "ProductCategory"),
    get_model("catalogue", "Category"),
    get_model("catalogue", "ProductAttributeValue"),
    get_model("partner", "StockRecord"),
    Household,
    get_image_model(),
]


def invalidate_public_pages(sender, **kwargs):
    page_cache.version_bump()


for model in SHOWN_ON_PUBLIC_PAGES:
    post_save.connect(invalidate_public_pages, sender=model, dispatch_uid=f"pc-{model}")
    post_delete.connect(
        invalidate_public_pages, sender=model, dispatch_uid=f"pd-{model}"
    )


@receiver(page_published)
@receiver(page_unpublished)
@receiver(post_page_move)
@receiver(post_delete, sender=Page)
def invalidate_on_page_change(sender, **kwargs):
    page_cache.version_bump()
