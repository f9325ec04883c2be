"""SMS: the local sink (texts kept in the database, listed at /dev/sms/ when
DEBUG) unless BANGFU_SMS_BACKEND names a provider; Alibaba Cloud sends the
template approved for each event (ALIBABA_SMS_TEMPLATE_<EVENT>)."""

from .environment import env

BANGFU_SMS_BACKEND = env("BANGFU_SMS_BACKEND", "sellers.notifications.SmsSink")
BANGFU_SMS_SIGN_NAME = env("BANGFU_SMS_SIGN_NAME", "帮扶集市")
BANGFU_SMS_TIMEOUT = float(env("BANGFU_SMS_TIMEOUT", "5"))
BANGFU_SMS_TEMPLATES = {
    event: env(f"ALIBABA_SMS_TEMPLATE_{event.upper()}", "")
    for event in (
        "sms_code",
        "parcel_new",
        "parcel_shipped",
        "parcel_delivered",
        "parcel_cancelled",
        "parcel_refunded",
        "order_receipt",
        "preorder_settled",
        "preorder_delayed",
    )
}
ALIBABA_SMS_ACCESS_KEY_ID = env("ALIBABA_SMS_ACCESS_KEY_ID", "")
ALIBABA_SMS_ACCESS_KEY_SECRET = env("ALIBABA_SMS_ACCESS_KEY_SECRET", "")
ALIBABA_SMS_ENDPOINT = env("ALIBABA_SMS_ENDPOINT", "dysmsapi.aliyuncs.com")
# Sign-in codes asked for from one address in an hour (each number has its own
# limits: storefront.accounts.services). Mobile networks put many phones
# behind one address: raise it rather than lock them out.
BANGFU_SMS_CODES_PER_IP_HOUR = int(env("BANGFU_SMS_CODES_PER_IP_HOUR", "20"))
