"""The test page where the buyer authorises or fails a wallet payment, and its QR.

Stripe's test mode sends a WeChat Pay or Alipay buyer to a page with two
buttons, "Authorize Test Payment" and "Fail Test Payment"; this is that page,
in the store's language. GET shows it; POST (action=authorize|fail) answers,
so a test drives it without a browser.
"""

import html
import io

import segno
from aiohttp import web
from localstripe.errors import UserError
from localstripe.resources import PaymentIntent

from . import wallets

WALLET_NAMES = {"wechat_pay": "微信支付", "alipay": "支付宝"}

PAGE = """<!doctype html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 26rem; margin: 2rem auto;
  padding: 0 1rem; text-align: center; color: #1a1a1a; }}
.note {{ color: #555; font-size: .9rem; }}
img {{ width: 12rem; height: 12rem; image-rendering: pixelated; }}
button {{ display: block; width: 100%; margin: .75rem 0; padding: .9rem;
  font-size: 1rem; border-radius: .4rem; border: 1px solid #333; }}
button[value=authorize] {{ background: #1a7f37; color: #fff; border-color: #1a7f37; }}
</style>
</head>
<body>
<p class="note">测试模式 · Stripe test mode (devstripe)</p>
<h1>{title}</h1>
{body}
</body>
</html>
"""


def _page(title: str, body: str, status: int = 200) -> web.Response:
    return web.Response(
        text=PAGE.format(title=html.escape(title), body=body),
        status=status,
        content_type="text/html",
    )


def _intent(request) -> PaymentIntent:
    try:
        return PaymentIntent._api_retrieve(request.match_info["id"])
    except UserError as missing:
        raise web.HTTPNotFound(text="No such PaymentIntent") from missing


async def authorize_page(request) -> web.Response:
    intent = _intent(request)
    wallet = wallets.wallet_waiting(intent)
    if intent.status != "requires_action" or wallet is None:
        return _page("这笔付款不在等待授权", f"<p>status: {intent.status}</p>", 409)
    amount = f"{intent.amount / 100:.2f} {intent.currency.upper()}"
    qr = ""
    if intent.next_action["type"] == "wechat_pay_display_qr_code":
        image = intent.next_action["wechat_pay_display_qr_code"]["image_data_url"]
        qr = (
            f'<p><img src="{html.escape(image)}" alt="微信支付二维码"></p>'
            '<p class="note">用微信扫一扫，或在本页直接选择结果</p>'
        )
    body = (
        f"<p>{WALLET_NAMES[wallet]} · {html.escape(amount)}</p>{qr}"
        '<form method="post">'
        '<button type="submit" name="action" value="authorize">授权测试付款</button>'
        '<button type="submit" name="action" value="fail">使付款失败</button>'
        "</form>"
    )
    return _page(f"{WALLET_NAMES[wallet]}测试付款", body)


async def authorize_answer(request) -> web.Response:
    intent = _intent(request)
    action = (await request.post()).get("action")
    if action not in ("authorize", "fail"):
        return _page("请选择授权或失败", "", 400)
    if intent.status != "requires_action" or wallets.wallet_waiting(intent) is None:
        return _page("这笔付款不在等待授权", f"<p>status: {intent.status}</p>", 409)
    return_url = wallets.intent_authorize(intent, success=action == "authorize")
    if return_url:
        raise web.HTTPSeeOther(return_url)
    if action == "authorize":
        return _page("测试付款已授权", "<p>可以回到商店页面了。</p>")
    return _page("测试付款已失败", "<p>可以回到商店页面了。</p>")


async def qr_image(request) -> web.Response:
    intent = _intent(request)
    action = intent.next_action or {}
    if action.get("type") != "wechat_pay_display_qr_code":
        raise web.HTTPNotFound(text="No QR code for this PaymentIntent")
    qr = segno.make_qr(action["wechat_pay_display_qr_code"]["data"])
    kind = request.match_info["kind"]
    buffer = io.BytesIO()
    qr.save(buffer, kind=kind, scale=5, border=2)
    content_type = {"png": "image/png", "svg": "image/svg+xml"}[kind]
    return web.Response(body=buffer.getvalue(), content_type=content_type)


def add_routes(router) -> None:
    router.add_get(wallets.AUTHORIZE_PATH + "{id}", authorize_page)
    router.add_post(wallets.AUTHORIZE_PATH + "{id}", authorize_answer)
    router.add_get("/devstripe/qr/{id}.{kind:png|svg}", qr_image)
