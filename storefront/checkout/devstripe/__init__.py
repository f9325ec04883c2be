"""localstripe on 127.0.0.1, with WeChat Pay and Alipay in Stripe's own shapes.

    python -m storefront.checkout.devstripe --port 8420 --state-dir DIR \
        [--webhook-url URL --webhook-secret whsec_…]
    python -m storefront.checkout.devstripe --wait --port 8420

localstripe itself listens on every interface, keeps its state in
/tmp/localstripe.pickle and knows only cards; this wrapper keeps it on
loopback, with its state in DIR, registers the store's webhook at start, and
adds the methods a Chinese buyer pays with, in Stripe's own shapes, so that
the store's code runs unchanged against Stripe with real keys. Used by
`make run` and the tests; never in production.

What it adds, patched into localstripe's classes by `patches.py` (`server.py`
puts its routes before localstripe's): PaymentMethods and cards in
`methods.py`, PaymentIntents in `intents.py`, the wallets' wait for the buyer in
`wallets.py` and its test page in `authorize.py`, refunds in `refunds.py`:

PaymentMethods
    POST /v1/payment_methods type=wechat_pay | alipay → {"type": "wechat_pay",
    "wechat_pay": {}, "billing_details": …} (likewise "alipay": {}).
    Cards get their brand from the number: 6200000000000005 is
    card.brand "unionpay" (legacy tokens: "UnionPay"), 4242… "visa",
    5555… "mastercard". localstripe still takes 16-digit numbers only.

PaymentIntents
    create: payment_method_types (card, wechat_pay, alipay; default ["card"]),
    payment_method_options[wechat_pay][client] = web | android | ios and
    [app_id] (required for android and ios), payment_method_options[card]
    [capture_method]=manual (cards captured later while wallets capture at
    once), payment_method_data[type]=… (makes the PaymentMethod), return_url
    (only with confirm=true). The intent shows payment_method_types,
    payment_method_options and amount_received.
    capture_method=manual with wechat_pay or alipay among the types → 400
    {"error": {"type": "invalid_request_error", "code":
    "payment_intent_invalid_parameter", "param": "capture_method", …}}, as
    Stripe refuses manual capture for them (the message wording is ours).
    A PaymentMethod whose type is not among the types → 400
    "payment_intent_incompatible_payment_method".
    confirm: payment_method, payment_method_data, payment_method_options,
    return_url, off_session. Cards behave as in localstripe (3-D Secure by
    test number, declines 402), and may now be confirmed again after a decline.
    wechat_pay needs payment_method_options[wechat_pay][client]; alipay needs
    return_url (400 "parameter_missing" / param "return_url" otherwise). Both
    answer status "requires_action" with, for client=web:
        {"type": "wechat_pay_display_qr_code", "wechat_pay_display_qr_code": {
         "data": PAGE, "hosted_instructions_url": PAGE,
         "image_data_url": "data:image/png;base64,…",
         "image_url_png": ORIGIN/devstripe/qr/<pi>.png,
         "image_url_svg": ORIGIN/devstripe/qr/<pi>.svg}}
    for client=android "wechat_pay_redirect_to_android_app" {app_id,
    nonce_str, package, partner_id, prepay_id, sign, timestamp}, for
    client=ios "wechat_pay_redirect_to_ios_app" {native_url: weixin://…};
    and for alipay:
        {"type": "alipay_handle_redirect", "alipay_handle_redirect": {
         "native_data": null, "native_url": null, "return_url": RETURN_URL,
         "url": PAGE}}
    where PAGE is ORIGIN/devstripe/authorize/<pi> and ORIGIN the address the
    API was called on. Stripe's `client` takes only web, android and ios
    (there is no "mobile"): a web store uses client=web everywhere — the QR
    on a desktop, and on a phone or inside WeChat's own browser the
    hosted_instructions_url page, where the buyer long-presses or scans the
    code — which is what this stand-in implements fully; the app shapes are
    there so that a wrong client shows up locally.
    cancel (cancellation_reason optional) sets canceled_at and
    cancellation_reason; capture of anything but requires_capture, and cancel
    of a succeeded or canceled intent → 400 "payment_intent_unexpected_state".

The buyer's test page, ORIGIN/devstripe/authorize/<pi> (no key needed)
    GET shows the amount, the QR for WeChat Pay and two buttons, 授权测试付款
    ("Authorize Test Payment") and 使付款失败 ("Fail Test Payment"). POST
    action=authorize → the intent "succeeded" with a captured latest_charge
    (payment_method_details {"type": "wechat_pay", "wechat_pay":
    {"transaction_id": …}} or alipay's), a balance transaction, and a
    payment_intent.succeeded event. POST action=fail → "requires_payment_method",
    payment_method null, last_payment_error {"code":
    "payment_intent_authentication_failure", "type": "invalid_request_error",
    "payment_method": {…}, …} and a payment_intent.payment_failed event.
    With a return_url the answer is 303 to it with payment_intent,
    payment_intent_client_secret and redirect_status=succeeded|failed added,
    as Stripe's redirect does; without one, a page saying what happened.

Refunds
    On a succeeded wallet or card intent, as localstripe does for cards (at
    once "succeeded"; Stripe settles wallet refunds later, with
    charge.refund.updated); nothing to refund → 400 "charge_not_refundable",
    more than is left → 400 (param "amount"), nothing left → 400
    "charge_already_refunded".

Webhooks
    Through localstripe's machinery (one second later, signed with the
    registered secret as Stripe signs: t=…,v1=HMAC-SHA256): besides
    payment_intent.succeeded and payment_intent.payment_failed, the wallets'
    payment_intent.requires_action and every cancel's payment_intent.canceled.
    POST /_config/webhooks/<id> url=…&secret=…[&events[]=…] registers one and
    DELETE /_config/webhooks/<id> forgets it.
"""
