"""Writing pushes to the outbox (docs/architecture.md, Pushes): in the caller's transaction, idempotent."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from dialogs.engine import Reply, reply_to_json
from services.pushes.purposes import DEFAULT_PRIORITY, PRIORITY, Purpose
from storage.uow import UnitOfWork


@dataclass(frozen=True)
class WrittenAnswer:
    """An answer row as its fast path needs it: no need to read it back."""

    id: int
    lease: datetime | None  # None: written for the drain to send (an earlier answer is still unsent)
    payload: dict[str, Any]


async def write_answer(
    uow: UnitOfWork, *, key: str, chat_id: int, reply: Reply, now: datetime, locale: str, lease: datetime | None,
) -> WrittenAnswer | None:
    """An answer to what a person just did, in the update's own transaction, held by the fast path
    (``lease``) from the start, or left to the drain (``lease`` None); None if the key was written
    before (a redelivered update)."""
    payload = _payload(reply, (), locale)
    row_id = await uow.outbox.add_returning_id(_values(
        key=key, purpose=Purpose.ANSWER, chat_id=chat_id, owner_id=None, staff_id=None, payload=payload,
        now=now, not_before=now, claimed_until=lease))
    return WrittenAnswer(row_id, lease, payload) if row_id is not None else None


async def answers_unsent(uow: UnitOfWork, chat_id: int) -> bool:
    """Whether an earlier answer to this chat is still unsent (in backoff, or left to the drain):
    then new answers must wait behind it, so that a chat's answers never overtake each other."""
    return await uow.outbox.unsent_of_priority(chat_id, PRIORITY[Purpose.ANSWER])


def _payload(reply: Reply, media: Sequence[dict[str, str]], locale: str | None,
             ticket_id: int | None = None) -> dict[str, Any]:
    payload: dict[str, Any] = {"reply": reply_to_json(reply), "media": [dict(m) for m in media]}
    if ticket_id is not None:  # the case it is about: which of its photos a chat already has
        payload["ticket"] = ticket_id
    if locale is not None:  # render in this locale (an answer, in the locale the person was just read in)
        payload["locale"] = locale
    return payload


def _values(*, key: str, purpose: Purpose, chat_id: int, owner_id: int | None, staff_id: int | None,
            payload: dict[str, Any], now: datetime, not_before: datetime | None,
            claimed_until: datetime | None, send_until: datetime | None = None) -> dict[str, Any]:
    return {
        "key": key[:200],
        "purpose": purpose.value,
        "priority": PRIORITY.get(purpose, DEFAULT_PRIORITY),
        "chat_id": chat_id,
        "owner_id": owner_id,
        "staff_id": staff_id,
        "payload": payload,
        "status": "pending",
        "not_before": not_before or now,
        "next_attempt_at": not_before or now,
        "send_until": send_until,
        "attempts": 0,
        "created_at": now,
        "claimed_until": claimed_until,
    }


async def enqueue(
    uow: UnitOfWork,
    *,
    key: str,
    purpose: Purpose,
    chat_id: int,
    reply: Reply,
    now: datetime,
    not_before: datetime | None = None,
    send_until: datetime | None = None,
    owner_id: int | None = None,
    staff_id: int | None = None,
    media: Sequence[dict[str, str]] = (),
    ticket_id: int | None = None,
) -> bool:
    """Queue one message (photos/documents first, then the text with its buttons).

    ``key`` makes planning idempotent: a second enqueue with the same key is ignored and returns
    False. ``purpose`` says why it is sent (consent attaches to it). The text stays locale-free;
    the drain renders it in the recipient's locale at send time. ``ticket_id`` names the case a
    card is about (``media_sent``). ``send_until``: the end of the delivery window ``not_before``
    opens (``delivery_window``; an owner's care or survey message), after which the drain does not
    send it that day; None: no end.
    """
    added = await uow.outbox.add_if_new(_values(
        key=key, purpose=purpose, chat_id=chat_id, owner_id=owner_id, staff_id=staff_id,
        payload=_payload(reply, media, None, ticket_id), now=now, not_before=not_before, claimed_until=None,
        send_until=send_until))
    if added:
        uow.enqueued += 1
    return added


@dataclass(frozen=True)
class Push:
    """One message for ``enqueue_all`` (the arguments of ``enqueue``)."""

    key: str
    purpose: Purpose
    chat_id: int
    reply: Reply
    not_before: datetime | None = None
    send_until: datetime | None = None
    owner_id: int | None = None
    staff_id: int | None = None


async def enqueue_all(uow: UnitOfWork, pushes: Sequence[Push], now: datetime) -> list[str]:
    """``enqueue`` for many messages in a few statements; the keys written, in the given order."""
    if not pushes:
        return []
    added = await uow.outbox.add_all_if_new([_values(
        key=p.key, purpose=p.purpose, chat_id=p.chat_id, owner_id=p.owner_id, staff_id=p.staff_id,
        payload=_payload(p.reply, (), None), now=now, not_before=p.not_before, claimed_until=None,
        send_until=p.send_until) for p in pushes])
    uow.enqueued += len(added)
    return [p.key for p in pushes if p.key[:200] in added]


async def store_upload(uow: UnitOfWork, kind: str, name: str, content: bytes, now: datetime) -> dict[str, str]:
    """Keep a generated file (a report) in the caller's transaction, for an outbox row to upload:
    the media item to pass to ``enqueue``. Its bytes live in the database, so nothing is lost if
    the process stops before the drain sends it."""
    if kind not in ("photo", "document"):
        raise ValueError(f"unknown media kind {kind!r}")
    file_id = await uow.outbox.add_file(kind, name, content, now)
    return {"kind": kind, "upload": str(file_id), "name": name}


async def media_sent(uow: UnitOfWork, chat_id: int, ticket_id: int) -> set[str]:
    """The file ids of a case's photos and files a chat already has, or will get from a row
    waiting to go: a photo goes to a chat once."""
    return await uow.outbox.media_sent(chat_id, ticket_id)
