"""Care and the owner's rights (DOMAIN 4.6, 5.3): the consents an owner gave or withdrew, per kind,
and the requests about his own data (a copy, a deletion), each kept as a record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class Consent(Base):
    """One decision of an owner about one kind of message; the latest per owner and kind holds.
    Never updated: a change is a new row, so the record shows when and under which wording."""

    __tablename__ = "consents"
    __table_args__ = (Index("ix_consents_owner_kind", "owner_id", "kind", "id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"))
    kind: Mapped[str] = mapped_column(String(16))  # greetings | events | surveys
    granted: Mapped[bool] = mapped_column(Boolean)
    wording: Mapped[str] = mapped_column(String(32))  # the version of the question the owner answered
    source: Mapped[str] = mapped_column(String(16))  # chat | settings | admin
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())


class DataRequest(Base):
    """An owner's request about his own data (DOMAIN 5.3): a copy (``export``) or a deletion; who
    decided and when. The audit of what was done with personal data."""

    __tablename__ = "data_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"), index=True)
    kind: Mapped[str] = mapped_column(String(12))  # export | deletion | retention
    status: Mapped[str] = mapped_column(String(12), index=True)  # requested | approved | refused | done
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reason: Mapped[str | None] = mapped_column(Text)  # the owner's, or the refusal's
    done_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
