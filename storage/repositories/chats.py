"""Per-chat settings, saved conversations, processed update ids and invitation codes."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from storage.models import Chat, CodeAttempt, InvitationCode, ProcessedUpdate
from storage.repositories.base import Repository, sqlite_time


@dataclass(frozen=True)
class ChatState:
    """What every update reads of its chat: the /language choice and the conversation in progress."""

    locale: str | None
    dialog: dict[str, Any] | None


class ChatRepository(Repository):
    """Chats. The state every update reads and writes goes through Core statements (``state``,
    ``save_dialog``), remembered for the rest of the unit of work so it is read once."""

    def __init__(self, session: AsyncSession) -> None:
        super().__init__(session)
        self._states: dict[int, tuple[ChatState | None, bool]] = {}  # chat id → (state, locked)

    async def get(self, chat_id: int) -> Chat | None:
        self._states.pop(chat_id, None)  # the caller may change it through the ORM
        return await self.session.get(Chat, chat_id)

    async def get_or_create(self, chat_id: int, now: datetime) -> Chat:
        chat = await self.get(chat_id)
        if chat is None:
            chat = Chat(chat_id=chat_id, updated_at=now)
            self.session.add(chat)
        return chat

    async def state(self, chat_id: int, *, lock: bool = False) -> ChatState | None:
        """``lock``: hold the row (PostgreSQL) until the transaction ends, so two instances cannot
        advance one conversation at once."""
        lock = lock and self.dialect == "postgresql"
        known = self._states.get(chat_id)
        if known is not None and (known[1] or not lock):
            return known[0]
        await self.flush_pending()  # a chat the ORM just added or changed
        if (raw := await self.sqlite3()) is not None:
            found = raw.execute("SELECT locale, dialog FROM chats WHERE chat_id = ?", (chat_id,)).fetchone()
            state = ChatState(found[0], json.loads(found[1]) if found[1] is not None else None) if found else None
        else:
            row = (await self.core(_CHAT_STATE_LOCKED if lock else _CHAT_STATE, {"chat": chat_id})).first()
            state = ChatState(row.locale, row.dialog) if row is not None else None
        self._states[chat_id] = (state, lock)
        return state

    async def save_dialog(self, chat_id: int, dialog: dict[str, Any] | None, now: datetime) -> None:
        await self.flush_pending()  # an ORM change to the same row goes first
        if (raw := await self.sqlite3()) is not None:
            raw.execute("INSERT INTO chats (chat_id, dialog, updated_at) VALUES (?, ?, ?) ON CONFLICT (chat_id) "
                        "DO UPDATE SET dialog = excluded.dialog, updated_at = excluded.updated_at",
                        (chat_id, json.dumps(dialog) if dialog is not None else None, sqlite_time(now)))
        else:
            await self.core(_SAVE_DIALOG, {"chat_id": chat_id, "dialog": dialog, "updated_at": now})
        known = self._states.get(chat_id)
        locale = known[0].locale if known is not None and known[0] is not None else None
        self._states[chat_id] = (ChatState(locale, dialog), known[1] if known is not None else False)


# Built once (every update runs them); on SQLite the same statements go to sqlite3 directly.
_CHATS = cast(Table, Chat.__table__)
_CHAT_STATE = select(_CHATS.c.locale, _CHATS.c.dialog).where(_CHATS.c.chat_id == bindparam("chat"))
_CHAT_STATE_LOCKED = _CHAT_STATE.with_for_update()


_SAVE_DIALOG_INSERT = pg_insert(_CHATS)
_SAVE_DIALOG = _SAVE_DIALOG_INSERT.on_conflict_do_update(
    index_elements=["chat_id"],
    set_={"dialog": _SAVE_DIALOG_INSERT.excluded.dialog, "updated_at": _SAVE_DIALOG_INSERT.excluded.updated_at},
)
_CLAIM_UPDATE = pg_insert(cast(Table, ProcessedUpdate.__table__)).on_conflict_do_nothing(index_elements=["update_id"])


class UpdateRepository(Repository):
    async def claim(self, update_id: int, now: datetime) -> bool:
        """Record an update id; False if it was recorded before (a redelivery)."""
        if (raw := await self.sqlite3()) is not None:
            return raw.execute("INSERT INTO processed_updates (update_id, processed_at) VALUES (?, ?) "
                               "ON CONFLICT (update_id) DO NOTHING", (update_id, sqlite_time(now))).rowcount == 1
        result = await self.core(_CLAIM_UPDATE, {"update_id": update_id, "processed_at": now})
        return bool(result.rowcount)

    async def highest(self) -> int:
        """The highest update id recorded (0 when none is)."""
        return int(await self.session.scalar(select(func.max(ProcessedUpdate.update_id))) or 0)

    async def prune(self, before: datetime) -> int:
        result = await self.session.execute(delete(ProcessedUpdate).where(ProcessedUpdate.processed_at < before))
        return int(getattr(result, "rowcount", 0) or 0)


class InvitationRepository(Repository):
    async def by_hash(self, code_hash: str) -> InvitationCode | None:
        query = select(InvitationCode).where(InvitationCode.code_hash == code_hash)
        if self.dialect == "postgresql":
            query = query.with_for_update()
        return await self.session.scalar(query)

    def add(self, code: InvitationCode) -> None:
        self.session.add(code)

    def add_failed_attempt(self, user_id: int, now: datetime) -> None:
        self.session.add(CodeAttempt(telegram_user_id=user_id, at=now))

    async def failed_attempts(self, since: datetime, *, user_id: int | None = None) -> int:
        """Wrong codes typed since ``since``: by one account, or by everyone."""
        query = select(func.count()).select_from(CodeAttempt).where(CodeAttempt.at >= since)
        if user_id is not None:
            query = query.where(CodeAttempt.telegram_user_id == user_id)
        return int(await self.session.scalar(query) or 0)

    async def prune_attempts(self, before: datetime) -> int:
        result = await self.session.execute(delete(CodeAttempt).where(CodeAttempt.at < before))
        return int(getattr(result, "rowcount", 0) or 0)
