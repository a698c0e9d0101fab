"""Per-chat settings, saved conversations, processed update ids and invitation codes."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.models import Chat, CodeAttempt, InvitationCode, ProcessedUpdate
from storage.repositories.base import Repository


class ChatRepository(Repository):
    async def get(self, chat_id: int, *, lock: bool = False) -> Chat | None:
        """``lock``: hold the row (PostgreSQL), so two instances cannot advance one dialog at once."""
        if lock and self.dialect == "postgresql":
            return await self.session.scalar(
                select(Chat).where(Chat.chat_id == chat_id).with_for_update().execution_options(populate_existing=True)
            )
        return await self.session.get(Chat, chat_id)

    async def get_or_create(self, chat_id: int, now: datetime) -> Chat:
        chat = await self.get(chat_id)
        if chat is None:
            chat = Chat(chat_id=chat_id, updated_at=now)
            self.session.add(chat)
        return chat

    async def save_dialog(self, chat_id: int, dialog: dict[str, Any] | None, now: datetime) -> None:
        chat = await self.get_or_create(chat_id, now)
        chat.dialog = dialog
        chat.updated_at = now


class UpdateRepository(Repository):
    async def claim(self, update_id: int, now: datetime) -> bool:
        """Record an update id; False if it was recorded before (a redelivery)."""
        insert = pg_insert if self.dialect == "postgresql" else sqlite_insert
        statement = (
            insert(ProcessedUpdate)
            .values(update_id=update_id, processed_at=now)
            .on_conflict_do_nothing(index_elements=["update_id"])
        )
        result = await self.session.execute(statement)
        return bool(getattr(result, "rowcount", 0))

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
