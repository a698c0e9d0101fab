"""A dialog ended from outside a chat turn — by a rule, say, when what it answers has expired. Its
open question's buttons then answer why (``notice``) rather than only "no longer valid".

Only the open question's revision has live buttons (an answered question loses them), and a later
dialog starts above every revision the chat has seen, so the revision alone names those buttons.
The note lives in the chat's dialog column, where a dialog's state would be: the next dialog
started in the chat replaces it."""

from __future__ import annotations

from datetime import datetime

from services.chats.conversations import active_state
from storage.uow import UnitOfWork

_ENDED = "ended"


async def end_from_outside(uow: UnitOfWork, chat_id: int, dialog_name: str, now: datetime, *, notice: str) -> bool:
    """End the chat's dialog ``dialog_name`` if it is the one in progress; its open question's
    buttons will answer ``notice`` (a msgid). False: another dialog, or none, was in progress."""
    state = await active_state(uow, chat_id, lock=True)
    if state is None or state.dialog != dialog_name:
        return False
    await uow.chats.save_dialog(chat_id, {_ENDED: {"rev": state.rev, "notice": notice}}, now)
    return True


async def ended_notice(uow: UnitOfWork, chat_id: int, rev: int) -> str | None:
    """What a button of revision ``rev`` answers when its dialog was ended from outside; None otherwise."""
    chat = await uow.chats.state(chat_id)
    ended = chat.dialog.get(_ENDED) if chat is not None and isinstance(chat.dialog, dict) else None
    if isinstance(ended, dict) and ended.get("rev") == rev and isinstance(ended.get("notice"), str):
        return str(ended["notice"])
    return None
