"""Phone numbers of owners and staff: one normal form (E.164) and a masked form for staff eyes."""

from __future__ import annotations

import phonenumbers

# Regions the company serves; a number typed without a country code is tried in this order.
SERVED_REGIONS: tuple[str, ...] = ("CN", "HK", "MO", "TW")


def normalize_phone(raw: str, default_region: str = "CN") -> str | None:
    """Return the E.164 form of a valid number from a served region, else ``None``.

    Accepts what people type: spaces, dashes, brackets, full-width digits, a leading
    ``00`` or ``+``, and mainland numbers without the country code.
    """
    text = _ascii_digits(raw).strip()
    if not text or len(text) > 32:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    regions = [default_region, *[r for r in SERVED_REGIONS if r != default_region]]
    candidates = [None] if text.startswith("+") else regions
    for region in candidates:
        try:
            number = phonenumbers.parse(text, region)
        except phonenumbers.NumberParseException:
            continue
        if not phonenumbers.is_valid_number(number):
            continue
        if phonenumbers.region_code_for_number(number) not in SERVED_REGIONS:
            continue
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
    return None


def mask_phone(e164: str) -> str:
    """Hide the middle of a number for staff notifications: +8613812341234 -> 138****1234."""
    national = _national_digits(e164)
    if len(national) <= 4:
        return "*" * len(national)
    keep_head = 3 if len(national) >= 11 else max(1, len(national) - 8)
    return national[:keep_head] + "*" * (len(national) - keep_head - 4) + national[-4:]


def display_phone(e164: str) -> str:
    """The owner's own number as they know it (no country code for the mainland)."""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code == 86:
        return str(number.national_number)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def _national_digits(e164: str) -> str:
    try:
        return str(phonenumbers.parse(e164, None).national_number)
    except phonenumbers.NumberParseException:
        return "".join(ch for ch in e164 if ch.isdigit())


def _ascii_digits(text: str) -> str:
    # Full-width digits (０-９) and plus sign are common from Chinese input methods.
    table = {0xFF10 + i: ord("0") + i for i in range(10)}
    table[0xFF0B] = ord("+")
    return text.translate(table)
