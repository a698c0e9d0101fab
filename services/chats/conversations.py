"""Running a guided conversation for a chat: load state, apply the engine, save, complete.

The new state is written in the same unit of work as whatever the finished dialog records; the
pipeline commits it before a single reply is sent (nothing lost on a crash).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogs import engine
from dialogs.engine import Dialog, DialogState, Event, Outcome, Reply
from dialogs.source import DialogSource
from services.common.actor import Actor, Completer
from storage.uow import UnitOfWork


@dataclass
class Turn:
    replies: list[Reply] = field(default_factory=list)
    state: DialogState | None = None
    status: str = "continue"
    moved: bool = True  # False when the input was refused or stale (buttons stay where they are)


async def active_state(uow: UnitOfWork, chat_id: int, *, lock: bool = False) -> DialogState | None:
    chat = await uow.chats.state(chat_id, lock=lock)
    if chat is None or not chat.dialog:
        return None
    try:
        return DialogState.from_json(chat.dialog)
    except (KeyError, TypeError, ValueError):
        return None


class Conversations:
    """Dialogs from ``source``; when one is confirmed, the use case ``completers[name]`` runs."""

    def __init__(self, source: DialogSource, completers: Mapping[str, Completer]) -> None:
        self._source = source
        self._completers = completers

    async def _dialog(self, name: str) -> Dialog:
        dialog = await self._source.resolve(name)
        if dialog is None:
            raise KeyError(name)
        return dialog

    async def begin(
        self, uow: UnitOfWork, actor: Actor, dialog_name: str, context: Mapping[str, Any], now: datetime
    ) -> Turn:
        outcome = engine.start(await self._dialog(dialog_name), context, today=_today(actor, now))
        return await self._settle(uow, actor, outcome, now)

    async def handle_event(self, uow: UnitOfWork, actor: Actor, event: Event, now: datetime) -> Turn | None:
        """Feed an event to the chat's dialog; None when no dialog is in progress."""
        # Locked: a double tap delivered to two instances must not complete a dialog twice.
        state = await active_state(uow, actor.chat_id, lock=True)
        if state is None:
            return None
        dialog = await self._source.resolve(state.dialog)
        if dialog is None:  # a dialog that no longer exists (removed questionnaire, renamed dialog)
            await uow.chats.save_dialog(actor.chat_id, None, now)
            return None
        outcome = engine.advance(dialog, state, event, today=_today(actor, now))
        turn = await self._settle(uow, actor, outcome, now)
        turn.moved = outcome.status != "continue" or (outcome.state is not None and outcome.state.rev != state.rev)
        return turn

    async def abandon(self, uow: UnitOfWork, chat_id: int, now: datetime) -> bool:
        """Drop the dialog in progress (e.g. /cancel); True if there was one."""
        if await active_state(uow, chat_id) is None:
            return False
        await uow.chats.save_dialog(chat_id, None, now)
        return True

    async def _settle(self, uow: UnitOfWork, actor: Actor, outcome: Outcome, now: datetime) -> Turn:
        turn = Turn(replies=list(outcome.replies), state=outcome.state, status=outcome.status)
        if outcome.status == "done" and outcome.state is None:
            completer = self._completers.get(outcome.dialog)
            await uow.chats.save_dialog(actor.chat_id, None, now)
            if completer is not None:
                # Answers win over the context they started from (e.g. a corrected phone number).
                completion = await completer(uow, actor, {**outcome.context, **outcome.answers}, now)
                turn.replies.extend(completion.replies)
                if completion.then is not None:
                    name, context = completion.then
                    follow = engine.start(await self._dialog(name), context, today=_today(actor, now))
                    turn.replies.extend(follow.replies)
                    turn.state = follow.state
                    await uow.chats.save_dialog(actor.chat_id, follow.state.to_json() if follow.state else None, now)
        else:
            await uow.chats.save_dialog(actor.chat_id, outcome.state.to_json() if outcome.state else None, now)
        return turn


def _today(actor: Actor, now: datetime) -> date:
    return now.astimezone(ZoneInfo(actor.timezone)).date()
