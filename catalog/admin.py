# Oscar registers the catalogue models in Django admin from the app package.
from oscar.apps.catalogue.admin import *  # noqa: F403
