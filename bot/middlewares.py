"""Outer update middlewares, in the order they run: chat ordering, unit of work with
de-duplication, identity, i18n. Each is small; the work itself happens in services."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject, Update, User
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.i18n import Catalogs
from services.chats.updates import claim_update
from services.common.actor import Actor
from services.common.clock import Clock
from services.common.locale import resolve_locale
from services.people.identity import Identity, Kind, resolve_identity
from storage.uow import UnitOfWork

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class UpdateDoneMiddleware(BaseMiddleware):
    """Tells an observer (tests, benchmarks) when an update has been fully handled."""

    def __init__(self, callback: Callable[[int], None]) -> None:
        self._callback = callback

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        try:
            return await handler(event, data)
        finally:
            if isinstance(event, Update):
                self._callback(event.update_id)


class ChatOrderMiddleware(BaseMiddleware):
    """Handle one chat's updates one at a time, in arrival order (polling runs them as tasks).

    asyncio.Lock wakes waiters first-come first-served, and tasks reach this point in the
    order polling created them, so a chat's updates keep their order.
    """

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        chat: Chat | None = data.get("event_chat")
        user: User | None = data.get("event_from_user")
        key = chat.id if chat else (user.id if user else None)
        if key is None:
            return await handler(event, data)
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                return await handler(event, data)
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]


class UnitOfWorkMiddleware(BaseMiddleware):
    """One unit of work per update; the update id is recorded in it, so a redelivery is ignored."""

    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        on_enqueued: Callable[[], None] | None = None,  # wakes the outbox sender after a commit
    ) -> None:
        self._sessionmaker = sessionmaker
        self._clock = clock
        self._on_enqueued = on_enqueued

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        async with UnitOfWork(self._sessionmaker) as uow:
            if isinstance(event, Update) and not await claim_update(uow, event.update_id, self._clock.now()):
                return None
            data["uow"] = uow
            result = await handler(event, data)
            await uow.commit()
            if uow.enqueued and self._on_enqueued is not None:
                self._on_enqueued()
            return result


class IdentityMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        uow: UnitOfWork = data["uow"]
        data["identity"] = await resolve_identity(uow, user.id) if user else Identity(Kind.UNKNOWN, 0)
        return await handler(event, data)


class I18nMiddleware(BaseMiddleware):
    """Pick the reader's locale by script (zh-hans vs zh-hant), not by language."""

    def __init__(self, catalogs: Catalogs, default_locale: str, timezone: str) -> None:
        self._catalogs = catalogs
        self._default = default_locale
        self._timezone = timezone

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        user: User | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        identity: Identity = data["identity"]
        uow: UnitOfWork = data["uow"]
        chat_id = chat.id if chat else (user.id if user else 0)
        saved = await uow.chats.get(chat_id)
        locale = resolve_locale(
            saved.locale if saved else None, identity.locale, user.language_code if user else None, self._default
        )
        data["tr"] = self._catalogs.get(locale)
        data["actor"] = Actor(identity=identity, chat_id=chat_id, locale=locale, timezone=self._timezone)
        return await handler(event, data)
