"""Follow-ups (回访, DOMAIN 1.6, 2.5, 3.5): a dissatisfied owner's rating of a case, or a survey
answer of 1–2, opens one for customer service (or the customer-service manager personally), who
calls the owner and records how the call went. A follow-up is about a case (``ticket_id``) or a
survey answer (``invitation_id`` and ``question``)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class FollowUp(Base):
    __tablename__ = "follow_ups"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int | None] = mapped_column(ForeignKey("tickets.id"), index=True)
    invitation_id: Mapped[int | None] = mapped_column(ForeignKey("survey_invitations.id"), index=True)
    question: Mapped[str | None] = mapped_column(String(40))  # the survey question answered 1–2
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"))
    assignee: Mapped[str] = mapped_column(String(12), default="manager", server_default="manager")  # manager (personally) | service
    # Who was shown the owner's full number, when ([[staff id, ISO time], …]; DOMAIN 5.2): a case
    # records it in its history, a survey answer has none.
    phone_shown: Mapped[list[Any] | None] = mapped_column(JSON)
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    reason: Mapped[str] = mapped_column(String(24))  # low_rating | low_answer | still_unhappy
    ratings: Mapped[list[Any]] = mapped_column(JSON, default=list)  # [[label msgid, 1–5], …] as the owner gave them
    comment: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime] = mapped_column(UtcDateTime())
    due: Mapped[date] = mapped_column(Date)  # the call is due by this working day
    status: Mapped[str] = mapped_column(String(12), index=True)  # open | done
    attempts: Mapped[int] = mapped_column(Integer, default=0)  # calls that did not reach the owner
    last_attempt_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    agreed: Mapped[str | None] = mapped_column(Text)  # what was agreed with the owner on the call
    satisfied: Mapped[bool | None] = mapped_column(Boolean)  # the owner is satisfied now
