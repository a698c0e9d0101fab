"""Which locale a person reads: their /language choice, else Telegram's language_code, else default."""

from __future__ import annotations

DEFAULT_LOCALE = "zh_Hans_CN"
SUPPORTED_LOCALES: tuple[str, ...] = ("zh_Hans_CN", "zh_Hant_HK", "zh_Hant_TW", "en")

# Each language's own name, shown on the /language buttons (never translated).
LANGUAGE_NAMES: dict[str, str] = {
    "zh_Hans_CN": "简体中文",
    "zh_Hant_HK": "繁體中文（香港）",
    "zh_Hant_TW": "繁體中文（台灣）",
    "en": "English",
}

_SIMPLIFIED = {"zh", "zh-hans", "zh-cn", "zh-sg", "zh-hans-cn", "zh-hans-sg", "zh-my"}
_HONG_KONG = {"zh-hk", "zh-mo", "zh-hant-hk", "zh-hant-mo", "yue", "yue-hk"}
_TAIWAN = {"zh-hant", "zh-tw", "zh-hant-tw"}


def locale_from_language_code(language_code: str | None) -> str | None:
    """Map Telegram's IETF tag by script, not by language: zh-hans and zh-hant differ."""
    if not language_code:
        return None
    tag = language_code.strip().lower().replace("_", "-")
    if tag in _SIMPLIFIED:
        return "zh_Hans_CN"
    if tag in _HONG_KONG:
        return "zh_Hant_HK"
    if tag in _TAIWAN:
        return "zh_Hant_TW"
    if tag.startswith("zh-hant"):
        return "zh_Hant_TW"
    if tag.startswith("zh"):
        return "zh_Hans_CN"
    if tag.startswith("en"):
        return "en"
    return None


def resolve_locale(
    chosen: str | None, stored: str | None, language_code: str | None, default: str = DEFAULT_LOCALE
) -> str:
    for candidate in (chosen, stored, locale_from_language_code(language_code)):
        if candidate in SUPPORTED_LOCALES:
            return candidate
    return default if default in SUPPORTED_LOCALES else DEFAULT_LOCALE
