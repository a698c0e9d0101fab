"""Phone numbers of owners and staff: one normal form (E.164) and a masked form for staff eyes."""

from __future__ import annotations

import phonenumbers

# Regions the company serves; a number typed without a country code is tried in this order.
SERVED_REGIONS: tuple[str, ...] = ("CN", "HK", "MO", "TW")


def normalize_phone(raw: str, default_region: str = "CN") -> str | None:
    """Return the E.164 form of a valid number, else ``None``.

    Accepts what people type: spaces, dashes, brackets, full-width digits, a leading ``00`` or
    ``+``, and mainland numbers without the country code. A number without a country code is
    read as one of the served regions (mainland China, Hong Kong, Macau, Taiwan); a number of any
    other country needs its code (``+1 415 555 0100``, ``001 415 555 0100``) — owners abroad give
    those. Telegram's shared contacts carry the country code without the ``+``
    (``14155550100``): a run of digits valid in no served region is read that way too.
    """
    text = _ascii_digits(raw).strip()
    if not text or len(text) > 32:
        return None
    if text.startswith("00"):
        text = "+" + text[2:]
    if text.startswith("+"):
        return _valid(text, None)
    regions = [default_region, *[r for r in SERVED_REGIONS if r != default_region]]
    for region in regions:
        found = _valid(text, region)
        if found is not None and phonenumbers.region_code_for_number(phonenumbers.parse(found, None)) in SERVED_REGIONS:
            return found
    digits = "".join(ch for ch in text if ch.isdigit())
    if digits == text.replace(" ", "").replace("-", "") and len(digits) >= 8:
        return _valid("+" + digits, None)
    return None


def _valid(text: str, region: str | None) -> str | None:
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


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
