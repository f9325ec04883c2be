"""Numbers, and the codes the local SMS sink received."""

import re

from sellers.models import SmsMessage
from storefront.accounts.phones import mainland_mobile

NUMBER = mainland_mobile("13812345678")
# Another number with the same mask (138****5678).
OTHER_NUMBER = mainland_mobile("13800005678")


def texts(phone=NUMBER) -> list[str]:
    """What the sink took for the number, oldest first."""
    return list(
        SmsMessage.objects.filter(phone=phone.as_e164)
        .order_by("created_at", "pk")
        .values_list("text", flat=True)
    )


def last_code(phone=NUMBER) -> str:
    return re.search(r"\d{6}", texts(phone)[-1]).group(0)
