"""Every write to the sellers domain, gathered from its jobs' modules.

Callers may import a service from here or from its job's module
(sellers.households.services, .consent.services, .fulfilment.services,
.ledger.services, .campaigns.services, sellers.audit).
"""

from .audit import audit_record, changes_between  # noqa: F401
from .campaigns.services import (  # noqa: F401
    CAMPAIGN_CODE_ALPHABET,
    campaign_create,
    order_campaign_record,
)
from .consent.services import (  # noqa: F401
    CONSENT_MIRROR,
    consent_record,
    consent_withdraw,
    household_scope,
)
from .fulfilment.services import (  # noqa: F401
    PARCEL_TRANSITIONS,
    ParcelStateError,
    order_route_to_households,
    parcel_cancel,
    parcel_mark_delivered,
    parcel_mark_shipped,
    refund_backend,
)
from .households.services import (  # noqa: F401
    CODE_ALPHABET,
    bureau_officer_grant,
    caseload_assign,
    caseload_remove,
    household_code_new,
    household_create,
    household_deactivate,
    household_record_update,
    membership_grant,
    story_editors_name,
)
from .ledger.services import (  # noqa: F401
    PayoutExceedsBalance,
    ledger_append,
    ledger_correct,
    order_credit_households,
    payout_date_check,
    payout_record,
)
