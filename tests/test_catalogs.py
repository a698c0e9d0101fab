"""Every catalog is complete, compiles, and keeps each message's placeholders."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from services.common.locale import SUPPORTED_LOCALES

ROOT = Path(__file__).resolve().parent.parent
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _catalog(locale: str):  # type: ignore[no-untyped-def]
    with (ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po").open("rb") as fp:
        return read_po(fp, locale=locale)


def _source_messages() -> set[str | tuple[str, str]]:
    found: set[str | tuple[str, str]] = set()
    for folder in ("bot", "handlers", "dialogs", "services"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, keywords={"N_": None, "Plural": (1, 2)}, comment_tags=()
        ):
            found.add(message if isinstance(message, str) else (message[0], message[1]))
    return found


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_catalog_has_every_source_message_translated(locale: str) -> None:
    catalog = _catalog(locale)
    missing, untranslated, fuzzy = [], [], []
    for message in _source_messages():
        msgid = message if isinstance(message, str) else message[0]
        entry = catalog.get(msgid)
        if entry is None:
            missing.append(msgid)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings):
            untranslated.append(msgid)
        if entry.fuzzy:
            fuzzy.append(msgid)
    assert not missing, f"{locale}: not in the catalog (run `make extract-messages`): {missing}"
    assert not untranslated, f"{locale}: untranslated: {untranslated}"
    assert not fuzzy, f"{locale}: fuzzy: {fuzzy}"


@pytest.mark.parametrize("locale", SUPPORTED_LOCALES)
def test_translations_keep_placeholders(locale: str) -> None:
    for entry in _catalog(locale):
        if not entry.id:
            continue
        source = entry.id if isinstance(entry.id, str) else entry.id[0]
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = set(PLACEHOLDER.findall(source))
        for string in strings:
            assert set(PLACEHOLDER.findall(string)) == expected, f"{locale}: {source!r} -> {string!r}"


def test_catalogs_compile(tmp_path: Path) -> None:
    for locale in SUPPORTED_LOCALES:
        output = tmp_path / f"{locale}.mo"
        result = subprocess.run(
            [sys.executable, "-m", "babel.messages.frontend", "compile", "-i",
             str(ROOT / "locales" / locale / "LC_MESSAGES" / "messages.po"), "-o", str(output), "-l", locale],
            capture_output=True, text=True, check=False,
        )
        assert result.returncode == 0, result.stderr
        assert output.stat().st_size > 0


# A converter's slips that a Hong Kong or Taiwan reader sees at once. Each pattern is wrong in
# both variants whatever the context, so the check has no false positives:
# - 隻 (the measure word) for 只 (only): 隻能, 隻有, 隻需, 隻要, 隻可;
# - 稽核 (audit) for 審核 (review);
# - 透過 (by means of) where 通過 (passed) is meant: 審批透過, 透過驗收;
# - 籤 (a slip of bamboo, a lot) for 簽 (to sign): 會籤, 籤名, 籤字, 籤收, 籤署, 籤核;
# - 通過 for "via", left as the mainland writes it, where both write 透過: 通過 /my, 通過機器人;
# - mainland words a converter keeps: 視頻 (影片), 默認 (預設), 鏈接 (連結), 短信 (短訊/簡訊),
#   信息 (資料/訊息/資訊);
# - 设备 converted as 裝置 (a device) where building equipment is meant: 裝置安裝, 設施裝置.
CONVERTER_SLIPS = re.compile(
    r"隻(能|有|需|要|可)|稽核|(審批|審核|驗收|核准)透過|透過(驗收|審批|審核|核准)"
    r"|會籤|籤(名|字|收|署|核)|通過\s*/|通過(機器人|機械人)"
    r"|視頻|默認|鏈接|短信|信息|裝置安裝|設施裝置"
)

# Each region's own forms of the characters that differ: Hong Kong writes 裏, Taiwan 裡, 線, 說,
# 衛, 脫 (the forms of 國字標準字體); a form of the other region is a converter's choice.
OTHER_REGIONS_FORMS = {
    "zh_Hant_HK": re.compile(r"裡"),
    "zh_Hant_TW": re.compile(r"裏|綫|説|衞|脱"),
}


def _strings(message) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    return message.string if isinstance(message.string, tuple) else (message.string,)


@pytest.mark.parametrize("locale", ["zh_Hant_HK", "zh_Hant_TW"])
def test_traditional_catalogs_carry_no_converter_slips(locale: str) -> None:
    slips = [(message.id, string) for message in _catalog(locale) if message.id
             for string in _strings(message) if CONVERTER_SLIPS.search(string)]
    assert slips == []


@pytest.mark.parametrize("locale", ["zh_Hant_HK", "zh_Hant_TW"])
def test_traditional_catalogs_use_their_regions_character_forms(locale: str) -> None:
    foreign = [(message.id, string) for message in _catalog(locale) if message.id
               for string in _strings(message) if OTHER_REGIONS_FORMS[locale].search(string)]
    assert foreign == []


def test_the_slip_check_catches_the_known_slips() -> None:
    for slip in ("最多隻能上傳", "隻需一分鐘", "已稽核透過", "費用審批透過後", "已完工並透過驗收",
                 "《現場勘察會籤表》", "請會籤", "您可以通過 /my 查看進展", "暫無人員可通過機器人接收此投訴",
                 "觀看視頻", "默認語言", "點擊鏈接", "補充信息", "裝置安裝", "設施裝置"):
        assert CONVERTER_SLIPS.search(slip), slip
    for right in ("您可以透過 /my 查看進度", "已通過驗收", "費用審批通過後", "最多只能上傳", "《現場勘察會簽表》",
                  "抽籤", "標籤", "已審核通過", "設施設備", "補充資料", "最新訊息", "更新資訊", "一隻貓"):
        assert not CONVERTER_SLIPS.search(right), right
    assert OTHER_REGIONS_FORMS["zh_Hant_TW"].search("在這裏報修")
    assert not OTHER_REGIONS_FORMS["zh_Hant_TW"].search("在這裡報修")
    assert OTHER_REGIONS_FORMS["zh_Hant_HK"].search("在這裡報修")
    assert not OTHER_REGIONS_FORMS["zh_Hant_HK"].search("在這裏報修")


# Placeholders that hold a person's or a department's name: CJK text in a Chinese catalog, so no
# space between them and a CJK character ("维修队的{name}将负责", not "维修队的 {name} 将负责").
# Spaces next to case numbers, amounts, dates and Latin text stay.
NAME_PLACEHOLDERS = r"\{(?:name|person|worker|staff|department|from_department|to|by|who|party)\}"
CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
SPACED_NAME = re.compile(rf"{CJK} +{NAME_PLACEHOLDERS}|{NAME_PLACEHOLDERS} +{CJK}")


@pytest.mark.parametrize("locale", ["zh_Hans_CN", "zh_Hant_HK", "zh_Hant_TW"])
def test_chinese_catalogs_put_no_space_around_names(locale: str) -> None:
    spaced = [(message.id, string) for message in _catalog(locale) if message.id
              for string in _strings(message) if SPACED_NAME.search(string)]
    assert spaced == []


def test_the_name_spacing_check() -> None:
    for wrong in ("维修队的 {name} 将负责", "🔧 {name} 已接单 {order}", "{name} 将 {number} 转派", "从 {department}"):
        assert SPACED_NAME.search(wrong), wrong
    for right in ("维修队的{name}将负责您的报修 {number}", "🔧 {name}已接单 {order}", "{name}（{department}）",
                  "您的投诉 {number} 已登记", "{when} · {what} · {who}"):
        assert not SPACED_NAME.search(right), right
