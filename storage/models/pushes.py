"""The outbox: every message the bot sends on its own."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class OutboxMessage(Base):
    """A message the bot sends on its own (not a direct reply): written in the same transaction
    as the change that caused it, sent later by the sender, never twice (unique ``key``)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # idempotency key
    purpose: Mapped[str] = mapped_column(String(32), index=True, server_default="case")  # services.pushes.purposes
    priority: Mapped[int] = mapped_column(Integer, server_default="10")  # lower first: 0 answers a person
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # reply (locale-free) and media
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sent|failed|cancelled
    not_before: Mapped[datetime] = mapped_column(UtcDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    # The end of the delivery window the row was planned for (20:00 local; DOMAIN 4.6): a row still
    # unsent then waits for the next window, or is dropped if its day has passed. None: no window.
    send_until: Mapped[datetime | None] = mapped_column(UtcDateTime())
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime())  # a sender's lease
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    message_ids: Mapped[list[int] | None] = mapped_column(JSON)  # what Telegram returned


class OutboxFile(Base):
    """A file the bot generated (a report's spreadsheet or chart) for an outbox row to upload: its
    bytes wait here, in the same transaction as the row, until the drain sends them (an outbox
    payload's media item ``{"kind", "upload": id, "name"}``)."""

    __tablename__ = "outbox_files"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # photo | document
    name: Mapped[str] = mapped_column(String(200))  # the file name the chat shows
    content: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
