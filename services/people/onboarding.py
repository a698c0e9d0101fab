"""Binding a chat account to the roster: by the owner's own phone contact or a one-time code."""

from __future__ import annotations

import hashlib
import logging
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from dialogs.engine import Reply
from dialogs.phones import normalize_phone
from dialogs.text import N_, Msg, Plain
from services.care import consent
from services.common.actor import Actor, Completion
from storage.models import InvitationCode, Owner, Staff
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read aloud over the phone
CODE_LENGTH = 8
OWNER_CODE_TTL = timedelta(days=14)
STAFF_CODE_TTL = timedelta(days=3)


class BindResult(StrEnum):
    BOUND = "bound"
    ALREADY_BOUND = "already_bound"  # this account is bound already
    NOT_OWN_CONTACT = "not_own_contact"
    INVALID_PHONE = "invalid_phone"
    NOT_FOUND = "not_found"
    TAKEN = "taken"  # the roster record is bound to another account


class RedeemResult(StrEnum):
    OWNER = "owner"
    STAFF = "staff"
    INVALID = "invalid"  # unknown, used or expired: one answer, so codes cannot be probed
    ALREADY_BOUND = "already_bound"
    LOCKED = "locked"  # too many wrong codes lately: no code is tried, right or wrong


# Guessing a code: 31^8 codes, so a handful of tries per account and a few dozen overall per
# ten minutes make it hopeless, while a person who mistypes a few times is let through.
ATTEMPTS_PER_ACCOUNT = 5
ACCOUNT_WINDOW = timedelta(hours=1)
ATTEMPTS_OVERALL = 50
OVERALL_WINDOW = timedelta(minutes=10)
KEEP_ATTEMPTS = timedelta(days=1)


@dataclass(frozen=True)
class BindOutcome:
    result: BindResult | RedeemResult
    name: str | None = None


async def bind_by_contact(
    uow: UnitOfWork,
    *,
    user_id: int,
    chat_id: int,
    contact_phone: str,
    contact_user_id: int | None,
    locale: str,
    now: datetime,
) -> BindOutcome:
    """Telegram marks a shared contact with the sharer's user id only when it is their own."""
    if contact_user_id != user_id:
        return BindOutcome(BindResult.NOT_OWN_CONTACT)
    if await uow.owners.by_telegram_user(user_id) or await uow.staff.by_telegram_user(user_id):
        return BindOutcome(BindResult.ALREADY_BOUND)
    phone = normalize_phone(contact_phone)
    if phone is None:
        return BindOutcome(BindResult.INVALID_PHONE)
    owner = await uow.owners.by_phone(phone)
    if owner is None:
        return BindOutcome(BindResult.NOT_FOUND)
    if owner.telegram_user_id is not None and owner.telegram_user_id != user_id:
        return BindOutcome(BindResult.TAKEN)
    _bind_owner(owner, user_id, chat_id, locale, now)
    return BindOutcome(BindResult.BOUND, owner.name)


def normalize_code(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw).upper()
    return "".join(ch for ch in text if ch.isalnum())


def hash_code(code: str) -> str:
    return hashlib.sha256(normalize_code(code).encode()).hexdigest()


def _new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


async def issue_owner_code(uow: UnitOfWork, owner_id: int, now: datetime) -> str:
    return _issue(uow, InvitationCode(kind="owner", owner_id=owner_id, created_at=now, expires_at=now + OWNER_CODE_TTL))


async def issue_staff_code(uow: UnitOfWork, staff_id: int, now: datetime) -> str:
    return _issue(uow, InvitationCode(kind="staff", staff_id=staff_id, created_at=now, expires_at=now + STAFF_CODE_TTL))


def _issue(uow: UnitOfWork, invitation: InvitationCode) -> str:
    code = _new_code()
    invitation.code_hash = hash_code(code)
    uow.invitations.add(invitation)
    return code


async def redeem_code(
    uow: UnitOfWork, *, code: str, user_id: int, chat_id: int, locale: str, now: datetime
) -> BindOutcome:
    """Bind the account by a one-time code. Wrong codes are counted (in the caller's unit of
    work); after too many, for the account or overall, no code is tried until the window passes."""
    if await uow.invitations.failed_attempts(now - ACCOUNT_WINDOW, user_id=user_id) >= ATTEMPTS_PER_ACCOUNT:
        log.warning("codes: account %s is locked out after %d wrong codes", user_id, ATTEMPTS_PER_ACCOUNT)
        return BindOutcome(RedeemResult.LOCKED)
    if await uow.invitations.failed_attempts(now - OVERALL_WINDOW) >= ATTEMPTS_OVERALL:
        log.warning("codes: %d wrong codes in %s; no code is accepted for now", ATTEMPTS_OVERALL, OVERALL_WINDOW)
        return BindOutcome(RedeemResult.LOCKED)
    outcome = await _redeem(uow, code=code, user_id=user_id, chat_id=chat_id, locale=locale, now=now)
    if outcome.result is RedeemResult.INVALID:
        uow.invitations.add_failed_attempt(user_id, now)
    return outcome


async def prune_code_attempts(uow: UnitOfWork, now: datetime) -> int:
    """Forget wrong codes older than any window (the caller commits)."""
    return await uow.invitations.prune_attempts(now - KEEP_ATTEMPTS)


async def _redeem(
    uow: UnitOfWork, *, code: str, user_id: int, chat_id: int, locale: str, now: datetime
) -> BindOutcome:
    invitation = await uow.invitations.by_hash(hash_code(code))
    if invitation is None or invitation.used_at is not None or invitation.expires_at <= now:
        return BindOutcome(RedeemResult.INVALID)
    if invitation.kind == "staff":
        staff = await uow.staff.get(invitation.staff_id) if invitation.staff_id else None
        if staff is None or not staff.active:
            return BindOutcome(RedeemResult.INVALID)
        existing = await uow.staff.by_telegram_user(user_id)
        if existing is not None and existing.id != staff.id:
            return BindOutcome(RedeemResult.ALREADY_BOUND)
        _bind_staff(staff, user_id, chat_id, locale)
        _use(invitation, user_id, now)
        return BindOutcome(RedeemResult.STAFF, staff.name)
    owner = await uow.owners.get(invitation.owner_id) if invitation.owner_id else None
    if owner is None:
        return BindOutcome(RedeemResult.INVALID)
    current = await uow.owners.by_telegram_user(user_id)
    if (current is not None and current.id != owner.id) or await uow.staff.by_telegram_user(user_id):
        return BindOutcome(RedeemResult.ALREADY_BOUND)
    # A code is issued by staff on purpose, so it may move the record to a new account (lost phone).
    _bind_owner(owner, user_id, chat_id, locale, now)
    _use(invitation, user_id, now)
    return BindOutcome(RedeemResult.OWNER, owner.name)


def _bind_owner(owner: Owner, user_id: int, chat_id: int, locale: str, now: datetime) -> None:
    owner.telegram_user_id = user_id
    owner.chat_id = chat_id
    owner.bound_at = now
    owner.blocked = False
    owner.locale = owner.locale or locale


def _bind_staff(staff: Staff, user_id: int, chat_id: int, locale: str) -> None:
    staff.telegram_user_id = user_id
    staff.chat_id = chat_id
    staff.locale = staff.locale or locale


def _use(invitation: InvitationCode, user_id: int, now: datetime) -> None:
    invitation.used_at = now
    invitation.used_by = user_id


# ---------------------------------------------------------------- replies

def bind_reply(outcome: BindOutcome) -> Reply:
    """What the person reads after sharing a contact or typing a code."""
    result = outcome.result
    name = Plain(outcome.name or "")
    if result in (BindResult.BOUND, RedeemResult.OWNER):
        return Reply(Msg(N_("Welcome, {name}! Your account is now linked to the owner roster."), {"name": name}),
                     remove_keyboard=True)
    if result is RedeemResult.STAFF:
        return Reply(Msg(N_("Welcome, {name}! You are registered as staff."), {"name": name}), remove_keyboard=True)
    messages = {
        BindResult.ALREADY_BOUND: N_("This account is already linked. Use /menu to continue."),
        RedeemResult.ALREADY_BOUND: N_("This account is already linked to another record. Please contact customer service."),
        BindResult.NOT_OWN_CONTACT: N_("Please share your own phone number with the button below, not someone else's contact."),
        BindResult.INVALID_PHONE: N_("We could not read that phone number. Please contact customer service."),
        BindResult.NOT_FOUND: N_(
            "We could not find this phone number in the owner roster. Please ask customer service for an "
            "invitation code, or leave us a message with /menu."
        ),
        BindResult.TAKEN: N_(
            "This phone number is already linked to another account. If you changed your phone, please ask "
            "customer service for an invitation code."
        ),
        RedeemResult.INVALID: N_("That code is not valid or has expired. Please check it and type it again."),
        RedeemResult.LOCKED: N_("Too many wrong codes. Please try again in an hour, or ask customer service for help."),
    }
    return Reply(Msg(messages[result]))


async def complete_invitation(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    outcome = await redeem_code(
        uow, code=str(answers["code"]), user_id=actor.identity.user_id, chat_id=actor.chat_id,
        locale=actor.locale, now=now,
    )
    if outcome.result is RedeemResult.INVALID:
        return Completion((bind_reply(outcome),), then=("invitation", {}))
    owner = await uow.owners.by_telegram_user(actor.identity.user_id) if outcome.result is RedeemResult.OWNER else None
    told = await consent.after_binding(uow, owner.id) if owner is not None else []
    return Completion((bind_reply(outcome), *told))
