"""《与顾客沟通登记表》: the communication log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class CommunicationEntry(Base):
    """A row of 《与顾客沟通登记表》: inquiries, suggestions, praise, and the reply given."""

    __tablename__ = "communication_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="telegram")
    kind: Mapped[str] = mapped_column(String(16))  # inquiry | suggestion | praise | other
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"), index=True)  # an owner's data (DOMAIN 5.3)
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | answered
    reply: Mapped[str | None] = mapped_column(Text)
    replied_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    replied_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
