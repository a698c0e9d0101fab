"""Writing pushes to the outbox (docs/architecture.md, Pushes): in the caller's transaction, idempotent."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from dialogs.engine import Reply, reply_to_json
from services.pushes.purposes import DEFAULT_PRIORITY, PRIORITY, Purpose
from storage.uow import UnitOfWork


async def enqueue(
    uow: UnitOfWork,
    *,
    key: str,
    purpose: Purpose,
    chat_id: int,
    reply: Reply,
    now: datetime,
    not_before: datetime | None = None,
    owner_id: int | None = None,
    staff_id: int | None = None,
    media: Sequence[dict[str, str]] = (),
    locale: str | None = None,
) -> bool:
    """Queue one message (photos/documents first, then the text with its buttons).

    ``key`` makes planning idempotent: a second enqueue with the same key is ignored and
    returns False. ``purpose`` says why it is sent (consent attaches to it). The text stays locale-free; the sender renders it in the recipient's
    locale at send time.
    """
    payload: dict[str, Any] = {"reply": reply_to_json(reply), "media": [dict(m) for m in media]}
    if locale is not None:  # render in this locale (an answer, in the locale the person was just read in)
        payload["locale"] = locale
    added = await uow.outbox.add_if_new(
        {
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
            "attempts": 0,
            "created_at": now,
        }
    )
    if added:
        uow.enqueued += 1
    return added
