"""Every interface string is translatable and translated into Simplified Chinese."""

import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command

ZH_PO = Path(settings.BASE_DIR) / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"
OSCAR_PO = (
    Path(settings.BASE_DIR)
    / "locale"
    / "oscar"
    / "zh_Hans"
    / "LC_MESSAGES"
    / "django.po"
)


def untranslated(path: Path) -> list[str]:
    with path.open("rb") as handle:
        catalog = read_po(handle, locale="zh_Hans")
    missing = []
    for message in catalog:
        if not message.id:
            continue
        strings = (
            message.string if isinstance(message.string, tuple) else (message.string,)
        )
        if message.fuzzy or not all(strings):
            missing.append(message.id)
    return missing


@pytest.mark.parametrize("path", [ZH_PO, OSCAR_PO], ids=["ours", "oscar-completion"])
def test_every_message_in_the_catalogue_is_translated(path):
    assert untranslated(path) == []


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext")
def test_catalogue_holds_every_string_of_the_source(tmp_path, settings, monkeypatch):
    # given: a copy of the sources and of the committed catalogue
    source = tmp_path / "src"
    for package in ("storefront", "catalog", "sellers", "templates"):
        shutil.copytree(Path(settings.BASE_DIR) / package, source / package)
    target = source / "locale" / "zh_Hans" / "LC_MESSAGES"
    target.mkdir(parents=True)
    shutil.copy(ZH_PO, target / "django.po")
    settings.LOCALE_PATHS = [source / "locale"]
    monkeypatch.chdir(source)

    # when: the strings are extracted again
    call_command("makemessages", locale=["zh_Hans"], no_obsolete=True, verbosity=0)

    # then: no string is missing a translation
    assert untranslated(target / "django.po") == []


def test_pages_default_to_simplified_chinese(client, pages):
    html = client.get("/").content.decode()

    assert '<html lang="zh-hans">' in html
    assert "跳到正文" in html
    assert "帮扶集市" in html


def test_oscar_pages_speak_chinese_too(client, db):
    html = client.get("/shop/basket/").content.decode()

    assert '<html lang="zh-hans">' in html
    assert "购物车" in html


def test_visitor_can_switch_to_english(client, pages):
    response = client.post(
        "/i18n/setlang/", {"language": "en", "next": "/"}, follow=True
    )

    html = response.content.decode()
    assert '<html lang="en">' in html
    assert "Skip to content" in html
    assert "Bangfu Market" in html


def test_prices_are_in_yuan_in_both_languages(client, db):
    from tests import factories

    household = factories.household_create(slug="luo")
    product = factories.product_create(household=household)

    zh = client.get(product.get_absolute_url()).content.decode()
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    en = client.get(product.get_absolute_url()).content.decode()

    assert "¥15.00" in zh
    assert "¥15.00" in en
    assert "CN¥" not in en
