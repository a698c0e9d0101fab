"""Care and the owner's rights (DOMAIN 4.6, 5.3): the consents an owner gave or withdrew, per kind,
and the requests about his own data (a copy, a deletion), each kept as a record."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Index, Integer, String, Text, UniqueConstraint
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


class CareTemplate(Base):
    """An administrator's text for one kind of care message in one locale (DOMAIN 4); without one,
    the kind's built-in wording (a catalog msgid) is used. ``{placeholders}`` are checked at save."""

    __tablename__ = "care_templates"
    __table_args__ = (UniqueConstraint("kind", "locale", name="uq_care_templates_kind_locale"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))  # services/care/templates.py KINDS
    locale: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_by: Mapped[str] = mapped_column(String(100))  # who saved it (the CLI's operator)


class CareTemplateChange(Base):
    """The audit of template edits: every save and every reset, with the text before and after."""

    __tablename__ = "care_template_changes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    locale: Mapped[str] = mapped_column(String(16))
    old_text: Mapped[str | None] = mapped_column(Text)  # None: it was the built-in wording
    new_text: Mapped[str | None] = mapped_column(Text)  # None: reset to the built-in wording
    changed_by: Mapped[str] = mapped_column(String(100))
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime())


class CareNotice(Base):
    """One notice to the owners of a project or building (DOMAIN 4.2, 4.4): a construction milestone,
    an open day, a newsletter, a community event, an owner meeting 顾客恳谈会 (drafted by customer
    service, approved by the office manager) or the quarterly 《管理服务报告》. Sent on ``send_on``
    (project time, 09:00–20:00) to the owners in scope who consented to events."""

    __tablename__ = "care_notices"
    __table_args__ = (Index("ix_care_notices_due", "status", "send_on"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))  # services/care/notices.py NoticeKind
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"))  # None: the whole project
    send_on: Mapped[date] = mapped_column(Date)  # the local date it goes out
    starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # an event's or meeting's time
    place: Mapped[dict[str, str] | None] = mapped_column(JSON)  # {locale: text}
    texts: Mapped[dict[str, str] | None] = mapped_column(JSON)  # {locale: text}; None: the kind's template
    media: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)  # [{"kind", "upload", "name"}]
    period: Mapped[str | None] = mapped_column(String(8))  # "2027Q1" (a report), "2027H1" (a meeting)
    # draft | submitted | returned | scheduled | sent | cancelled
    status: Mapped[str] = mapped_column(String(12), default="scheduled")
    drafted_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    comment: Mapped[str | None] = mapped_column(Text)  # the approver's, when sent back
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    planned_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # when its rows were written
    # Who was in scope when its rows were written: {"in_scope", "not_on_bot", "without_consent", "planned"}.
    audience: Mapped[dict[str, int] | None] = mapped_column(JSON)


class CareDocument(Base):
    """A document a project's care messages attach (DOMAIN 4.3): the guides sent with the delivery
    notice 《商品房交付通知书》. The bytes are in ``outbox_files``, uploaded once per recipient."""

    __tablename__ = "care_documents"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # delivery_guide
    file_id: Mapped[int] = mapped_column(ForeignKey("outbox_files.id"))
    name: Mapped[str] = mapped_column(String(200))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime())
    removed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class FamilyOccasion(Base):
    """A family occasion customer service recorded for an owner (DOMAIN 4.4: a wedding, a birth, a
    child's graduation …): congratulated on its date, with the owner's consent to greetings."""

    __tablename__ = "family_occasions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))  # wedding | birth | graduation | anniversary | other
    on_date: Mapped[date] = mapped_column(Date, index=True)
    note: Mapped[str | None] = mapped_column(Text)  # staff's own note; never sent
    recorded_by: Mapped[str] = mapped_column(String(100))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
