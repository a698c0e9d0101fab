"""The inbound pipeline: every update from every chat framework goes through here.

In order: one chat's updates one at a time (in arrival order); what a photo or file sent really
is, by its first bytes (read before any transaction); one unit of work per update with its update
id recorded in it (a redelivered update is ignored); who is writing; which locale they read; the
feature that handles it; the commit; then the delivery of the response (the button's answer, the
earlier messages it redraws — an answered question —, the replies).

The response is delivered only after the commit (a step the person sees is a step that was
saved), and its replies are durable: with an outbound path (the outbox drain), they are written as
outbox rows of the highest priority in the update's own transaction and sent at once after the
commit (``send_now``), so a crash or a failed send after the commit still delivers them — the
drain retries them, and after a restart sends what is left. ``on_committed`` tells the runtime
that other outbox rows were added (the drain is woken after the answers).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import datetime
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dialogs.engine import Reply
from dialogs.files import HEAD_BYTES, sniff
from dialogs.text import N_, Msg, Text
from handlers.inbound import Context, Inbound, Response
from handlers.router import Router
from services.chats.updates import claim_update
from services.common.actor import Actor
from services.common.clock import Clock
from services.common.locale import resolve_locale
from services.people.identity import Identity, Kind, resolve_identity
from services.pushes import outbox
from services.pushes.outbox import WrittenAnswer
from services.pushes.transport import Transport, TransportError
from storage.db import connection_lost
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)

SOMETHING_WENT_WRONG = Msg(N_("Sorry, something went wrong. Please try again."))
PRIVATE_ONLY = N_("To keep your details private, I only help in a private chat. Please write to me directly.")


class AnswerSender(Protocol):
    def answer_lease(self, now: datetime) -> datetime | None:
        """The lease an answer row is written with (held by the fast path from the start); None:
        this process does not send now, the rows are left to the drain."""

    async def send_now(self, chat_id: int, rows: list[WrittenAnswer]) -> int:
        """Send these leased answer rows of one chat at once (what fails stays for the drain)."""


class ChatOrder:
    """One chat's updates one at a time, in arrival order (polling runs them as tasks).

    asyncio.Lock wakes waiters first-come first-served, and tasks reach this point in the
    order polling created them, so a chat's updates keep their order.
    """

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    @contextlib.asynccontextmanager
    async def hold(self, chat_id: int) -> AsyncIterator[None]:
        lock = self._locks.setdefault(chat_id, asyncio.Lock())
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[chat_id] -= 1
            if not self._users[chat_id]:
                del self._users[chat_id], self._locks[chat_id]


class Pipeline:
    def __init__(
        self,
        sessionmaker: async_sessionmaker[AsyncSession],
        clock: Clock,
        router: Router,
        *,
        default_locale: str,
        timezone: str,
        on_committed: Callable[[], None] | None = None,  # outbox rows were added: wake the drain
        outbound: Callable[[], AnswerSender | None] | None = None,  # durable answers; None: sent directly
        labels: Callable[[str], Callable[[Text], str]] | None = None,  # a locale's button labels as shown
    ) -> None:
        self._sessionmaker = sessionmaker
        self.clock = clock
        self._router = router
        self._default_locale = default_locale
        self._timezone = timezone
        self._on_committed = on_committed
        self._outbound = outbound
        self._labels = labels
        self._order = ChatOrder()

    async def handle(self, inbound: Inbound, transport: Transport) -> Response | None:
        """Handle one update and deliver its response; None for a redelivery (nothing sent)."""
        async with self._order.hold(inbound.chat_id):
            inbound = await self._read_file_kind(inbound, transport)
            sender = self._outbound() if self._outbound is not None else None
            answers: list[WrittenAnswer] = []
            durable = False  # the replies are outbox rows of the committed step: never sent directly too
            try:
                try:
                    response, locale, enqueued, answers = await self._run(inbound, sender)
                except Exception as error:
                    if not connection_lost(error):
                        raise
                    # Nothing was committed; a pooled connection the database dropped (a restart)
                    # is discarded, so one more try runs on a fresh one.
                    log.warning("update %s: the database connection was lost; trying again", inbound.update_id)
                    response, locale, enqueued, answers = await self._run(inbound, sender)
                durable = sender is not None and inbound.private  # a group's one line is sent directly
            except Exception:
                log.exception("update %s failed", inbound.update_id)
                response, enqueued = Response([Reply(SOMETHING_WENT_WRONG)]), 0
                locale = resolve_locale(None, None, inbound.sender.language_code if inbound.sender else None,
                                        self._default_locale)
            if response is None:
                return None
            await self.deliver(inbound, response, response.locale or locale, transport,
                               sender=sender if durable else None, answers=answers)
            # After the replies: a push the same update queued for this chat comes after them.
            if enqueued and self._on_committed is not None:
                self._on_committed()
            return response

    async def _read_file_kind(self, inbound: Inbound, transport: Transport) -> Inbound:
        """What a photo or file sent in a private chat really is, by its first bytes (a step that
        asks for a photo refuses anything else). Read before the unit of work, so no transaction
        waits on the network; None when it cannot be read (the step then goes by what was declared)."""
        message = inbound.message
        if message is None or not inbound.private or message.kind not in ("photo", "document") or not message.file_id:
            return inbound
        try:
            head = await asyncio.wait_for(transport.file_head(message.file_id, HEAD_BYTES), 15)
        except Exception as error:  # best effort, like the transport's own answer
            log.warning("update %s: could not read the file: %r", inbound.update_id, error)
            head = None
        if head is None:
            return inbound
        return dataclasses.replace(inbound, message=dataclasses.replace(message, file_format=sniff(head)))

    async def _run(
        self, inbound: Inbound, outbound: AnswerSender | None
    ) -> tuple[Response | None, str, int, list[WrittenAnswer]]:
        now = self.clock.now()
        async with UnitOfWork(self._sessionmaker) as uow:
            if inbound.update_id is not None and not await claim_update(uow, inbound.update_id, now):
                return None, self._default_locale, 0, []
            if not inbound.private:  # nothing personal in a group: not even who the sender is
                await uow.commit()
                return self._outside_private_chat(inbound), self._default_locale, 0, []
            sender = inbound.sender
            identity = await resolve_identity(uow, sender.user_id) if sender else Identity(Kind.UNKNOWN, 0)
            # Locked (PostgreSQL): another instance handling this chat's next update waits for us.
            saved = await uow.chats.state(inbound.chat_id, lock=True)
            locale = resolve_locale(saved.locale if saved else None, identity.locale,
                                    sender.language_code if sender else None, self._default_locale)
            actor = Actor(identity=identity, chat_id=inbound.chat_id, locale=locale, timezone=self._timezone)
            label = self._labels(locale) if self._labels is not None else None
            ctx = Context(uow, actor, now, label)
            response = await self._router.dispatch(ctx, inbound)
            response.edits[:0] = ctx.edits
            answers = (await self._write_answers(uow, inbound, response, response.locale or locale, outbound)
                       if outbound is not None else [])
            await uow.commit()
            return response, locale, uow.enqueued, answers

    async def _write_answers(
        self, uow: UnitOfWork, inbound: Inbound, response: Response, locale: str, sender: AnswerSender
    ) -> list[WrittenAnswer]:
        """The replies as outbox rows of this update's transaction (keyed by the update, so they
        are written once however often it is delivered): leased to the fast path, which sends them
        right after the commit — unless an earlier answer to the chat is still unsent, or this
        process does not send; then they are left to the drain, which keeps the chat's order."""
        if not response.replies:
            return []
        tag = str(inbound.update_id) if inbound.update_id is not None else uuid.uuid4().hex
        keys = [f"answer:{inbound.chat_id}:{tag}:{n}" for n in range(len(response.replies))]
        now = self.clock.now()
        lease = sender.answer_lease(now)
        if lease is not None and await outbox.answers_unsent(uow, inbound.chat_id):
            lease = None
        written = [await outbox.write_answer(uow, key=key, chat_id=inbound.chat_id, reply=reply, now=now,
                                             locale=locale, lease=lease)
                   for key, reply in zip(keys, response.replies, strict=True)]
        rows = [answer for answer in written if answer is not None]
        if lease is None:
            uow.enqueued += len(rows)  # the drain's now: wake it after the commit
            return []
        return rows

    def _outside_private_chat(self, inbound: Inbound) -> Response:
        """A command or a button in a group gets one line asking for a private chat; anything else
        in a group gets no answer at all (a bot that talks in groups floods them)."""
        language = inbound.sender.language_code if inbound.sender else None
        locale = resolve_locale(None, None, language, self._default_locale)
        if inbound.button is not None:
            return Response(alert=PRIVATE_ONLY, locale=locale)
        if inbound.message is not None and inbound.message.command is not None:
            return Response([Reply(Msg(PRIVATE_ONLY))], locale=locale)
        return Response(locale=locale)

    async def deliver(self, inbound: Inbound, response: Response, locale: str, transport: Transport, *,
                      sender: AnswerSender | None = None,
                      answers: list[WrittenAnswer] | None = None) -> None:
        """The answer to a button first (it stops the spinner), then clear and edit, then the replies.

        The step is committed already: a reply that cannot be delivered (they blocked the bot, a
        network error) is logged and the step stands — the next message resumes from it. The
        answer and the clearing are best effort and never keep the replies from going out.
        """
        if inbound.button is not None:
            toast = response.alert is None and response.notice is not None
            await self._best_effort(inbound, "answer the button", transport.answer_button(
                inbound.button.query_id, response.notice if toast else response.alert, locale, toast=toast))
        if response.clear_buttons is not None:
            await self._best_effort(inbound, "clear the buttons", transport.clear_buttons(
                inbound.chat_id, response.clear_buttons))
        for edit in response.edits:  # answered questions show their answer, their buttons gone
            chat_id = edit.chat_id if edit.chat_id is not None else inbound.chat_id  # or a colleague's copy
            await self._best_effort(inbound, "edit a question", transport.delete(chat_id, edit.message_id)
                                    if edit.delete else transport.edit(
                chat_id, edit.message_id, edit.reply, edit.locale or locale) if edit.reply is not None
                else transport.clear_buttons(chat_id, edit.message_id))
        if sender is not None:
            # Durable: the replies are outbox rows. The leased ones go now (what fails stays for the
            # drain); the rest are the drain's already.
            if answers:
                await self._best_effort(inbound, "send the answers", sender.send_now(inbound.chat_id, answers))
            return
        for index, reply in enumerate(response.replies):
            if not await self._best_effort(inbound, "send a reply", transport.send(inbound.chat_id, reply, locale)):
                log.warning("update %s: %d of %d replies not sent", inbound.update_id,
                            len(response.replies) - index, len(response.replies))
                return

    async def _best_effort(self, inbound: Inbound, what: str, call: Awaitable[object]) -> bool:
        try:
            await call
        except TransportError as error:
            log.warning("update %s: could not %s: %s", inbound.update_id, what, error.message)
            return False
        except Exception:
            log.exception("update %s: could not %s", inbound.update_id, what)
            return False
        return True
