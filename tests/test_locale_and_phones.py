"""Locale resolution by script, phone normalisation and masking, and rendering for a locale."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.i18n import Catalogs
from dialogs.phones import display_phone, mask_phone, normalize_phone
from dialogs.text import DateText, DateTimeText, Field, Lines, Msg, Plain, Plural
from services.common.locale import locale_from_language_code, resolve_locale


@pytest.mark.parametrize(
    ("code", "locale"),
    [
        ("zh-hans", "zh_Hans_CN"), ("zh-CN", "zh_Hans_CN"), ("zh-sg", "zh_Hans_CN"), ("zh", "zh_Hans_CN"),
        ("zh-hant", "zh_Hant_TW"), ("zh-TW", "zh_Hant_TW"), ("zh-hk", "zh_Hant_HK"), ("zh-mo", "zh_Hant_HK"),
        ("en", "en"), ("en-GB", "en"), ("fr", None), (None, None), ("", None),
    ],
)
def test_language_code_maps_by_script(code: str | None, locale: str | None) -> None:
    assert locale_from_language_code(code) == locale


def test_choice_beats_roster_beats_telegram_beats_default() -> None:
    assert resolve_locale("en", "zh_Hant_HK", "zh-hans") == "en"
    assert resolve_locale(None, "zh_Hant_HK", "zh-hans") == "zh_Hant_HK"
    assert resolve_locale(None, None, "zh-tw") == "zh_Hant_TW"
    assert resolve_locale(None, None, "de", default="en") == "en"
    assert resolve_locale("xx", None, None) == "zh_Hans_CN"


@pytest.mark.parametrize(
    ("raw", "e164"),
    [
        ("13812341234", "+8613812341234"),
        ("+86 138-1234-1234", "+8613812341234"),
        ("008613812341234", "+8613812341234"),
        ("１３８１２３４１２３４", "+8613812341234"),  # full-width digits from a Chinese IME
        ("+852 9123 4567", "+85291234567"),
        ("91234567", "+85291234567"),
        ("+853 6612 3456", "+85366123456"),
        ("0912345678", "+886912345678"),
        ("+1 202 555 0100", "+12025550100"),  # abroad: any country with its code
        ("001 202 555 0100", "+12025550100"),
        ("12025550100", "+12025550100"),  # a shared contact's digits: valid in no served region
        ("202 555 0100", "+862025550100"),  # without a country code: the served regions (a Beijing landline)
        ("+1 202 555", None),
        ("12345", None),
        ("", None),
        ("1" * 40, None),
    ],
)
def test_phone_normalisation(raw: str, e164: str | None) -> None:
    assert normalize_phone(raw) == e164


def test_phone_masking_and_display() -> None:
    assert mask_phone("+8613812341234") == "138****1234"
    assert mask_phone("+85291234567") == "9***4567"
    assert display_phone("+8613812341234") == "13812341234"
    assert display_phone("+85291234567") == "+852 9123 4567"
    assert display_phone("+14155550100") == "+1 415-555-0100"
    assert mask_phone("+14155550100") == "41****0100"


@pytest.fixture(scope="module")
def catalogs() -> Catalogs:
    return Catalogs()


def test_rendering_escapes_plain_text_and_formats_for_locale(catalogs: Catalogs) -> None:
    zh, hk, en = catalogs.get("zh_Hans_CN"), catalogs.get("zh_Hant_HK"), catalogs.get("en")
    text = Lines((Field(Msg("Name"), Plain("<b>王</b> & co")), Msg("Use {phone}", {"phone": "<x>"})))
    assert zh.render(text) == "<b>姓名</b>：&lt;b&gt;王&lt;/b&gt; &amp; co\n使用 &lt;x&gt;"
    assert zh.label(text) == "姓名：<b>王</b> & co\n使用 <x>"
    day = DateText(date(2026, 10, 1))
    assert zh.render(day) == "2026年10月1日"
    assert hk.render(day) == "2026年10月1日"
    assert en.render(day) == "October 1, 2026"
    moment = DateTimeText(datetime(2026, 11, 23, 2, 5, tzinfo=UTC), "Asia/Shanghai", "short")
    assert en.render(moment) == "11/23/26, 10:05\u202fAM"
    assert zh.render(moment) == "2026/11/23 10:05"
    assert en.render(Plural("{n} file", "{n} files", 1)) == "1 file"
    assert en.render(Plural("{n} file", "{n} files", 1200)) == "1,200 files"
    assert zh.render(Plural("{n} file", "{n} files", 3)) == "3 个文件"
    assert catalogs.get("zh_Hant_TW").render(Plural("{n} file", "{n} files", 3)) == "3 個檔案"
