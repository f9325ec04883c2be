"""Signals the sellers domain sends; storefront acts on them (pages live there)."""

from django.dispatch import Signal

# Sent inside the transaction that withdraws a household's consent: its story
# goes offline in the same transaction. Arguments: household, acting_user.
consent_withdrawn = Signal()
