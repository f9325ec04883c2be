"""Real Chromium (Debian's package) driven by Playwright against the live server."""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    if not shutil.which(CHROMIUM):
        message = f"no Chromium at {CHROMIUM}: apt-get install chromium"
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop; Django must allow ORM calls
    # from the test thread meanwhile.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(chromium):
    """A page in a phone-sized viewport, as most buyers see the store."""
    context = chromium.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True
    )
    page = context.new_page()
    yield page
    context.close()


# WeChat's in-app browser on an iPhone, as most of the store's buyers arrive.
WECHAT_USER_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) "
    "NetType/WIFI Language/zh_CN"
)


@pytest.fixture
def wechat(chromium):
    """A page in WeChat's browser on a phone: its size, touch and user agent."""
    context = chromium.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        user_agent=WECHAT_USER_AGENT,
    )
    page = context.new_page()
    yield page
    context.close()


def axe_violations(page, exclude: list[str] | None = None):
    """Every axe-core violation on the page, whatever its impact, as
    (rule, impact, targets)."""
    from axe_playwright_python.sync_playwright import Axe

    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    response = Axe().run(page, context=context).response
    return [
        (
            violation["id"],
            violation["impact"],
            [node["target"] for node in violation["nodes"]],
        )
        for violation in response["violations"]
    ]


def serious_violations(page, exclude: list[str] | None = None):
    """axe-core's serious and critical violations on the page, as (rule, targets)."""
    from axe_playwright_python.sync_playwright import Axe

    context = {"exclude": [[selector] for selector in exclude]} if exclude else None
    response = Axe().run(page, context=context).response
    return [
        (violation["id"], [node["target"] for node in violation["nodes"]])
        for violation in response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
