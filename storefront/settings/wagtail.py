"""Wagtail: the stories' admin, its uploads and its review workflow."""

from .environment import env

WAGTAIL_SITE_NAME = "帮扶集市"
# Wagtail's upload form refuses what the photo cleaner (sellers/uploads.py)
# would refuse, with its own message, before the image is saved.
WAGTAILIMAGES_MAX_IMAGE_PIXELS = 50_000_000
WAGTAILIMAGES_MAX_UPLOAD_SIZE = 10 * 1024 * 1024
WAGTAILADMIN_BASE_URL = env("SITE_URL", "http://127.0.0.1:8000")
WAGTAIL_I18N_ENABLED = False
# No Gravatar pictures in Wagtail admin: unreachable from mainland China, and
# they would tell Gravatar who uses the admin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
# Approving a story publishes it (reviewers hold no publish permission).
WAGTAIL_FINISH_WORKFLOW_ACTION = "storefront.workflow_actions.publish_workflow_state"
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
WAGTAILIMAGES_EXTENSIONS = ["jpg", "jpeg", "png", "webp"]
WAGTAILDOCS_EXTENSIONS = ["csv", "pdf", "xlsx", "jpg", "png"]
