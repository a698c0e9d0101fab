"""A person's settings: the language they read."""

from __future__ import annotations

from datetime import datetime

from services.common.actor import Actor
from services.common.locale import SUPPORTED_LOCALES
from storage.uow import UnitOfWork


async def set_locale(uow: UnitOfWork, actor: Actor, locale: str, now: datetime) -> bool:
    """Remember the choice for the chat and on the roster record (pushes render with it)."""
    if locale not in SUPPORTED_LOCALES:
        return False
    chat = await uow.chats.get_or_create(actor.chat_id, now)
    chat.locale = locale
    chat.updated_at = now
    if actor.identity.owner_id:
        owner = await uow.owners.get(actor.identity.owner_id)
        if owner is not None:
            owner.locale = locale
    if actor.identity.staff_id:
        staff = await uow.staff.get(actor.identity.staff_id)
        if staff is not None:
            staff.locale = locale
    return True
