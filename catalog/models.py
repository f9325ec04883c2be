# Oscar's models are imported last so that any model defined above replaces
# Oscar's default of the same name.
from oscar.apps.catalogue.models import *  # noqa: E402,F403
