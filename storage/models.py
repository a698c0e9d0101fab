"""SQLAlchemy models. One schema for SQLite and PostgreSQL; Alembic owns its evolution."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so migrations say the same thing on both databases.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on both databases (SQLite would otherwise hand back naive values)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is not None and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
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
    delivery_date: Mapped[date | None] = mapped_column(Date)  # 交付之日

    building: Mapped[Building] = relationship(back_populates="units")


class Owner(Base):
    __tablename__ = "owners"

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
    locale: Mapped[str | None] = mapped_column(String(16))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger, unique=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    blocked: Mapped[bool] = mapped_column(Boolean, default=False)  # the owner blocked the bot (403)
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


class Chat(Base):
    """Per-chat settings and the conversation in progress (DESIGN principle 2)."""

    __tablename__ = "chats"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    locale: Mapped[str | None] = mapped_column(String(16))  # explicit /language choice
    dialog: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())


class ProcessedUpdate(Base):
    __tablename__ = "processed_updates"

    update_id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    processed_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)


class CommunicationEntry(Base):
    """A row of 《与顾客沟通登记表》: inquiries, suggestions, praise, and the reply given."""

    __tablename__ = "communication_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    channel: Mapped[str] = mapped_column(String(16), default="telegram")
    kind: Mapped[str] = mapped_column(String(16))  # inquiry | suggestion | praise | other
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"))
    telegram_user_id: Mapped[int | None] = mapped_column(BigInteger)
    chat_id: Mapped[int | None] = mapped_column(BigInteger)
    name: Mapped[str | None] = mapped_column(String(100))
    phone: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")  # open | answered
    reply: Mapped[str | None] = mapped_column(Text)
    replied_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    replied_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class OutboxMessage(Base):
    """A message the bot sends on its own (not a direct reply): written in the same transaction
    as the change that caused it, sent later by the sender, never twice (unique ``key``)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # idempotency key
    purpose: Mapped[str] = mapped_column(String(32), index=True, server_default="case")  # services.pushes.purposes
    chat_id: Mapped[int] = mapped_column(BigInteger, index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"))
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON)  # reply (locale-free) and media
    status: Mapped[str] = mapped_column(String(16), default="pending")  # pending|sent|failed|cancelled
    not_before: Mapped[datetime] = mapped_column(UtcDateTime())
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime())  # a sender's lease
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    message_ids: Mapped[list[int] | None] = mapped_column(JSON)  # what Telegram returned


class NumberSequence(Base):
    """The last number issued per prefix and year (统一编号): a row lock makes it gap-free."""

    __tablename__ = "number_sequences"

    prefix: Mapped[str] = mapped_column(String(8), primary_key=True)
    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    value: Mapped[int] = mapped_column(Integer, default=0)


class Ticket(Base):
    """《顾客来访/投诉处理单》 (and, later, repair requests): one record per case."""

    __tablename__ = "tickets"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # complaint | repair
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"), index=True)
    unit_id: Mapped[int | None] = mapped_column(ForeignKey("units.id"))
    channel: Mapped[str] = mapped_column(String(16), default="telegram")
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    attachments: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    wished_date: Mapped[date | None] = mapped_column(Date)
    lead_department: Mapped[str] = mapped_column(String(32))
    assisting_departments: Mapped[list[str]] = mapped_column(JSON, default=list)
    handler_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    status: Mapped[str] = mapped_column(String(24), index=True)
    major: Mapped[bool] = mapped_column(Boolean, default=False)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime())
    progress_due: Mapped[date | None] = mapped_column(Date)
    resolve_due: Mapped[date | None] = mapped_column(Date)
    calendar_note: Mapped[str | None] = mapped_column(String(200))  # e.g. schedule not yet published
    progress_reported_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    resolved_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    result: Mapped[str | None] = mapped_column(Text)
    confirmed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    rating_result: Mapped[int | None] = mapped_column(Integer)
    rating_attitude: Mapped[int | None] = mapped_column(Integer)
    rating_comment: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime())

    events: Mapped[list[TicketEvent]] = relationship(back_populates="ticket", order_by="TicketEvent.id")


class TicketEvent(Base):
    """One entry of a ticket's history; records are never edited silently (DOMAIN 5.1)."""

    __tablename__ = "ticket_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime())
    kind: Mapped[str] = mapped_column(String(32))
    actor: Mapped[str] = mapped_column(String(8))  # owner | staff | system
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)

    ticket: Mapped[Ticket] = relationship(back_populates="events")


class RoutingOverride(Base):
    """A project's own routing of a complaint category (DOMAIN 1.2 is the default)."""

    __tablename__ = "routing_overrides"

    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(32), primary_key=True)
    department: Mapped[str] = mapped_column(String(32))


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


class WarrantyOverride(Base):
    """A contract's longer warranty period for one component, per project or per building."""

    __tablename__ = "warranty_overrides"
    __table_args__ = (UniqueConstraint("project_id", "building_id", "side", "component"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id"), index=True)
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id"))
    side: Mapped[str] = mapped_column(String(8))  # builder | owner
    component: Mapped[str] = mapped_column(String(32))
    period_kind: Mapped[str] = mapped_column(String(12))  # years | months | seasons | design_life
    period_count: Mapped[int] = mapped_column(Integer)


class Repair(Base):
    """The repair side of a 报修 ticket (DOMAIN 2): what, where, when to visit, and its warranty class."""

    __tablename__ = "repairs"

    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), primary_key=True, autoincrement=False)
    trade: Mapped[str] = mapped_column(String(24))
    location: Mapped[str] = mapped_column(String(100))
    visit_slots: Mapped[list[str]] = mapped_column(JSON, default=list)
    component: Mapped[str] = mapped_column(String(32))
    warranty_class: Mapped[str] = mapped_column(String(1))  # A | B
    payer: Mapped[str] = mapped_column(String(8))  # builder | company | owner
    warranty: Mapped[dict[str, Any]] = mapped_column(JSON)  # the facts behind the class, for the reason
    override: Mapped[dict[str, Any] | None] = mapped_column(JSON)  # staff's class/payer and reason
    callback_due: Mapped[date | None] = mapped_column(Date)
    callback_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    callback_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))


class SiteSurvey(Base):
    """《现场勘察会签表》: who surveyed, the responsible party, the trades and the estimate."""

    __tablename__ = "site_surveys"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime())
    recorded_by: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    participants: Mapped[str] = mapped_column(Text)
    responsible: Mapped[str] = mapped_column(String(12))  # builder | company | owner
    component: Mapped[str] = mapped_column(String(32))
    trades: Mapped[list[str]] = mapped_column(JSON)
    estimate_fen: Mapped[int] = mapped_column(BigInteger)  # money in fen: exact on both databases
    builder_representative: Mapped[str | None] = mapped_column(String(100))
    notes: Mapped[str | None] = mapped_column(Text)


class WorkOrder(Base):
    """《工程派工单》 type A or B: the job for the repair team, its deadline, completion and check."""

    __tablename__ = "work_orders"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    survey_id: Mapped[int] = mapped_column(ForeignKey("site_surveys.id"))
    order_type: Mapped[str] = mapped_column(String(1))  # A | B
    payer: Mapped[str] = mapped_column(String(8))
    trades: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    issued_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    due: Mapped[date | None] = mapped_column(Date)
    worker_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    completed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    work_done: Mapped[str | None] = mapped_column(Text)
    settlement_fen: Mapped[int | None] = mapped_column(BigInteger)
    checked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    checked_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    audit_required: Mapped[bool] = mapped_column(Boolean, default=False)
    deposit_deduction: Mapped[bool] = mapped_column(Boolean, default=False)


class CostApproval(Base):
    """One approval of a repair cost by the chain its amount needs (DOMAIN 2.6)."""

    __tablename__ = "cost_approvals"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    ticket_id: Mapped[int] = mapped_column(ForeignKey("tickets.id"), index=True)
    work_order_id: Mapped[int] = mapped_column(ForeignKey("work_orders.id"))
    stage: Mapped[str] = mapped_column(String(12))  # estimate | settlement
    amount_fen: Mapped[int] = mapped_column(BigInteger)
    steps: Mapped[list[dict[str, Any]]] = mapped_column(JSON)  # [{"step", "status", "staff_id", "at", "note"}]
    status: Mapped[str] = mapped_column(String(12), index=True)  # pending | approved | rejected
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    decided_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
