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


# A converter's slips that a Hong Kong or Taiwan reader sees at once: 隻 (the measure word) for
# 只 (only), 稽核 (audit) for 審核 (review), 透過 (by means of) where 通過 (passed) is meant.
CONVERTER_SLIPS = re.compile(r"隻能|稽核|(審批|審核|驗收|稽核)透過|透過(驗收|審批|審核)")


@pytest.mark.parametrize("locale", ["zh_Hant_HK", "zh_Hant_TW"])
def test_traditional_catalogs_carry_no_converter_slips(locale: str) -> None:
    slips = [(message.id, message.string) for message in _catalog(locale)
             if message.id and CONVERTER_SLIPS.search(str(message.string))]
    assert slips == []


def test_the_slip_check_catches_the_known_slips() -> None:
    for slip in ("最多隻能上傳", "已稽核透過", "費用審批透過後", "已完工並透過驗收"):
        assert CONVERTER_SLIPS.search(slip), slip
    assert not CONVERTER_SLIPS.search("您可以透過 /my 查看進展")  # 透過 as "through" is right
