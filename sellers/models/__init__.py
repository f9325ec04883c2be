"""The sellers app's models, one module per job; all importable from here
(migrations and older imports use sellers.models.X)."""

from .audit import *  # noqa: F403
from .base import *  # noqa: F403
from .campaigns import *  # noqa: F403
from .consent import *  # noqa: F403
from .exports import *  # noqa: F403
from .fulfilment import *  # noqa: F403
from .households import *  # noqa: F403
from .ledger import *  # noqa: F403
from .notifications import *  # noqa: F403
from .plans import *  # noqa: F403
from .preorders import *  # noqa: F403
from .summaries import *  # noqa: F403
