"""The company roster: projects, buildings, units, owners, staff and invitation codes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, BigInteger, Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, UtcDateTime


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # The name as each locale's readers write it ({"zh_Hant_HK": "華苑", "en": "Huayuan"}); None: ``name``.
    names: Mapped[dict[str, str] | None] = mapped_column(JSON)
    region: Mapped[str] = mapped_column(String(2), default="CN")  # CN, HK, MO, TW: working-day calendar
    timezone: Mapped[str] = mapped_column(String(64), default="Asia/Shanghai")
    # Warranty configuration (DOMAIN 2.2): "MM-DD/MM-DD" seasons; None = the defaults.
    heating_season: Mapped[str | None] = mapped_column(String(11))
    cooling_season: Mapped[str | None] = mapped_column(String(11))
    design_life_years: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    buildings: Mapped[list[Building]] = relationship(back_populates="project")


class Building(Base):
    __tablename__ = "buildings"
    __table_args__ = (UniqueConstraint("project_id", "name"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    name: Mapped[str] = mapped_column(String(100))
    completion_date: Mapped[date | None] = mapped_column(Date)  # 竣工验收合格之日

    project: Mapped[Project] = relationship(back_populates="buildings")
    units: Mapped[list[Unit]] = relationship(back_populates="building")


class Unit(Base):
    __tablename__ = "units"
    __table_args__ = (UniqueConstraint("building_id", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id"), index=True)
    number: Mapped[str] = mapped_column(String(50))
    delivery_date: Mapped[date | None] = mapped_column(Date, index=True)  # 交付之日

    building: Mapped[Building] = relationship(back_populates="units")


class Owner(Base):
    __tablename__ = "owners"
    # The care planner reads only the owners due today (DOMAIN 4): birthdays by month and day, new
    # subscriptions by date.
    __table_args__ = (Index("ix_owners_birthday", "birthday_month", "birthday_day"),
                      Index("ix_owners_subscription_date", "subscription_date"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str] = mapped_column(String(20), unique=True)  # E.164
    # Birthday as entered (DOMAIN 4.7): solar date or lunar month/day with a leap-month flag.
    birthday_calendar: Mapped[str | None] = mapped_column(String(5))  # "solar" | "lunar"
    birthday_year: Mapped[int | None] = mapped_column(Integer)
    birthday_month: Mapped[int | None] = mapped_column(Integer)
    birthday_day: Mapped[int | None] = mapped_column(Integer)
    birthday_leap: Mapped[bool] = mapped_column(Boolean, default=False)
    subscription_date: Mapped[date | None] = mapped_column(Date)  # 认购
    contract_date: Mapped[date | None] = mapped_column(Date)  # 签约
    move_in_date: Mapped[date | None] = mapped_column(Date)  # 入住
    # The customer specialist who greets the owner after subscription (DOMAIN 4.1); None: the project's CS.
    specialist_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    locale: Mapped[str | None] = mapped_column(String(16))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)  # the owner blocked the bot (403)
    anonymised_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # personal data erased (DOMAIN 5.3)
    bound_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())

    units: Mapped[list[OwnerUnit]] = relationship(back_populates="owner", cascade="all, delete-orphan")


class OwnerUnit(Base):
    __tablename__ = "owner_units"

    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"), primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"), primary_key=True, index=True)

    owner: Mapped[Owner] = relationship(back_populates="units")
    unit: Mapped[Unit] = relationship()


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))
    department: Mapped[str] = mapped_column(String(32))
    role: Mapped[str] = mapped_column(String(32))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))  # None: company-wide
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    locale: Mapped[str | None] = mapped_column(String(16))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())


class InvitationCode(Base):
    """A one-time code; only its hash is stored, so a database leak reveals no usable code."""

    __tablename__ = "invitation_codes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[str] = mapped_column(String(8))  # "owner" | "staff"
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    used_by: Mapped[int | None] = mapped_column(BigInteger)


class CodeAttempt(Base):
    """A wrong invitation or staff code typed by a chat account: counted to stop guessing."""

    __tablename__ = "code_attempts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    telegram_user_id: Mapped[int] = mapped_column(BigInteger, index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
