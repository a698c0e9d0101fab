"""Gettext catalogs and the renderer that turns locale-free text into HTML for one locale."""

from __future__ import annotations

import gettext
import html
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

from babel import Locale
from babel.dates import format_date, format_datetime
from babel.lists import format_list
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import format_currency, format_decimal, format_percent
from babel.support import Translations

from dialogs.text import (
    DateText,
    DateTimeText,
    Field,
    Lines,
    ListText,
    Localized,
    Money,
    Msg,
    Percent,
    Plain,
    Plural,
    Template,
    Text,
)
from services.common.locale import SUPPORTED_LOCALES

DOMAIN = "messages"
LOCALES_DIR = Path(__file__).resolve().parent.parent / "locales"


def load_translations(locale: str, locales_dir: Path = LOCALES_DIR) -> gettext.NullTranslations:
    """The compiled catalog; compiled in memory from the .po when the .mo is missing or stale."""
    folder = locales_dir / locale / "LC_MESSAGES"
    po_path, mo_path = folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"
    if mo_path.exists() and (not po_path.exists() or mo_path.stat().st_mtime >= po_path.stat().st_mtime):
        with mo_path.open("rb") as fp:
            return Translations(fp, domain=DOMAIN)
    if po_path.exists():
        with po_path.open("rb") as fp:
            catalog = read_po(fp, locale=locale)
        buffer = BytesIO()
        write_mo(buffer, catalog)
        buffer.seek(0)
        return Translations(buffer, domain=DOMAIN)
    return gettext.NullTranslations()


class Translator:
    """Everything one locale needs: gettext plus Babel's formatters."""

    def __init__(self, locale: str, translations: gettext.NullTranslations) -> None:
        self.locale = locale
        self.babel_locale = Locale.parse(locale)
        self._translations = translations
        # Chinese text writes a full-width colon with no space after it; other languages ": ".
        self.field_separator = "：" if self.babel_locale.language == "zh" else ": "

    def gettext(self, message: str) -> str:
        return self._translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self._translations.ngettext(singular, plural, n)

    def render(self, text: Text) -> str:
        """HTML for a message body: user and database text escaped, markup from msgids kept."""
        return self._render(text, markup=True)

    def label(self, text: Text) -> str:
        """Plain text for a button label (Telegram shows it literally)."""
        return self._render(text, markup=False)

    def date(self, value: DateText) -> str:
        return format_date(value.value, format=value.format, locale=self.babel_locale)

    def _render(self, text: Text, markup: bool) -> str:
        if isinstance(text, Msg):
            params = {key: self._render(value, markup) for key, value in text.params.items()}
            return self.gettext(text.msgid).format(**params)
        if isinstance(text, Plural):
            params = {key: self._render(value, markup) for key, value in text.params.items()}
            params.setdefault("n", format_decimal(text.n, locale=self.babel_locale))
            return self.ngettext(text.singular, text.plural, text.n).format(**params)
        if isinstance(text, Plain):
            return html.escape(text.text, quote=False) if markup else text.text
        if isinstance(text, Localized):
            # Typed by an administrator: the reader's locale, else the same language and script
            # (zh_Hant_TW ↔ zh_Hant_HK), else Simplified Chinese, else the first; escaped like Plain.
            def script(locale: str) -> list[str]:
                return [part for i, part in enumerate(locale.split("_")) if i == 0 or len(part) == 4]

            literal = (
                text.texts.get(self.locale)
                or next((v for k, v in text.texts.items() if script(k) == script(self.locale)), None)
                or text.texts.get("zh_Hans_CN")
                or next(iter(text.texts.values()))
            )
            return html.escape(literal, quote=False) if markup else literal
        if isinstance(text, Template):
            params = {key: self._render(value, markup) for key, value in text.params.items()}
            written = text.texts.get(self.locale)
            if written is None:
                return self.gettext(text.default).format(**params)
            # An administrator's text: escaped like Plain, then filled (escaping leaves braces alone).
            return (html.escape(written, quote=False) if markup else written).format(**params)
        if isinstance(text, DateText):
            return self.date(text)
        if isinstance(text, DateTimeText):
            return format_datetime(
                text.value, format=text.format, tzinfo=ZoneInfo(text.timezone), locale=self.babel_locale
            )
        if isinstance(text, Money):
            return format_currency(Decimal(text.amount), text.currency, locale=self.babel_locale)
        if isinstance(text, Percent):
            pattern = "#,##0" + ("." + "0" * text.decimals if text.decimals > 0 else "") + "%"
            return format_percent(Decimal(text.value), format=pattern, locale=self.babel_locale)
        if isinstance(text, ListText):
            return format_list([self._render(item, markup) for item in text.items], locale=self.babel_locale)
        if isinstance(text, Field):
            label, value = self._render(text.label, markup), self._render(text.value, markup)
            return f"<b>{label}</b>{self.field_separator}{value}" if markup else f"{label}{self.field_separator}{value}"
        if isinstance(text, Lines):
            return "\n".join(self._render(item, markup) for item in text.items)
        if isinstance(text, bool):
            return str(text)
        if isinstance(text, int):
            return format_decimal(text, locale=self.babel_locale)
        return html.escape(str(text), quote=False) if markup else str(text)


class Catalogs:
    """All supported locales, loaded once per process."""

    def __init__(self, locales_dir: Path = LOCALES_DIR) -> None:
        self._translators = {
            locale: Translator(locale, load_translations(locale, locales_dir)) for locale in SUPPORTED_LOCALES
        }

    def get(self, locale: str) -> Translator:
        return self._translators.get(locale) or self._translators[SUPPORTED_LOCALES[0]]
