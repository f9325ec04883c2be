"""Every read of the sellers domain, gathered from its jobs' modules.

Callers may import a selector from here or from its job's module
(sellers.households.selectors, .fulfilment.selectors, .ledger.selectors,
.ledger.reconcile, .campaigns.selectors, .consent.selectors, sellers.audit).
"""

from .audit import AUDIT_READERS, audit_event_list  # noqa: F401
from .campaigns.selectors import (  # noqa: F401
    campaign_get,
    campaign_get_running,
    campaign_list,
)
from .consent.selectors import (  # noqa: F401
    consent_in_force,
    consent_list,
)
from .fulfilment.selectors import (  # noqa: F401
    basket_parcels,
    household_parcels_to_pack,
    order_household_shares,
    parcel_counts,
    parcel_get,
    parcel_list,
    pickup_point_list,
)
from .households.selectors import (  # noqa: F401
    caseload_table,
    household_caseload,
    household_for_login,
    household_for_partner_ids,
    household_list,
    household_places,
    organisation_list_for_member,
    organisations_where,
    social_worker_list,
    statement_households,
    user_reviews,
)
from .ledger.reconcile import (  # noqa: F401
    LedgerReconciliation,
    ledger_reconcile,
)
from .ledger.selectors import (  # noqa: F401
    ledger_balance,
    ledger_page,
    ledger_rows,
    ledger_summary,
    payout_get,
)
