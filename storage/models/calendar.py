"""Admin-loaded holiday schedules of the working-day calendar."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class CalendarDay(Base):
    """A day of an admin-loaded holiday schedule (a year the packages do not know yet)."""

    __tablename__ = "calendar_days"

    region: Mapped[str] = mapped_column(String(2), primary_key=True)
    day: Mapped[date] = mapped_column(Date, primary_key=True)
    working: Mapped[bool] = mapped_column(Boolean)
    name: Mapped[str | None] = mapped_column(String(100))


class CalendarYear(Base):
    """That a region's schedule for a year was loaded (then only its listed days differ)."""

    __tablename__ = "calendar_years"

    region: Mapped[str] = mapped_column(String(2), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    loaded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    source: Mapped[str | None] = mapped_column(String(200))
