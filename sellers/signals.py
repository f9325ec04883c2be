"""Signals the sellers domain sends; storefront acts on them (pages live there)."""

from django.dispatch import Signal

# Sent inside the transaction that withdraws a household's consent, or records
# one that shows less than before: its story goes offline in the same
# transaction, to be reviewed again against the new consent.
# Arguments: household, acting_user.
consent_narrowed = Signal()

# Sent when a harvest pre-order changes what public pages show of it (its
# window, its capacity left). No arguments.
preorder_changed = Signal()
