"""Projects, buildings, units, owners and staff: the company roster."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple, cast

from sqlalchemy import CompoundSelect, Table, bindparam, literal, null, or_, select, union_all, update
from sqlalchemy.orm import selectinload

from storage.models import Building, Owner, OwnerUnit, Project, Staff, Unit
from storage.repositories.base import Repository


class ProjectRepository(Repository):
    async def by_code(self, code: str) -> Project | None:
        return await self.session.scalar(select(Project).where(Project.code == code))

    async def get(self, project_id: int) -> Project | None:
        return await self.session.get(Project, project_id)

    async def all(self) -> Sequence[Project]:
        return (await self.session.scalars(select(Project).order_by(Project.code))).all()

    def add(self, project: Project) -> None:
        self.session.add(project)


class UnitRepository(Repository):
    async def building_by_id(self, building_id: int) -> Building | None:
        return await self.session.get(Building, building_id)

    async def building(self, project_id: int, name: str) -> Building | None:
        return await self.session.scalar(
            select(Building).where(Building.project_id == project_id, Building.name == name)
        )

    async def unit(self, building_id: int, number: str) -> Unit | None:
        return await self.session.scalar(select(Unit).where(Unit.building_id == building_id, Unit.number == number))

    async def units_of_owner(self, owner_id: int) -> Sequence[Unit]:
        query = (
            select(Unit)
            .join(OwnerUnit, OwnerUnit.unit_id == Unit.id)
            .where(OwnerUnit.owner_id == owner_id)
            .options(selectinload(Unit.building).selectinload(Building.project))
            .order_by(Unit.id)
        )
        return (await self.session.scalars(query)).all()

    def add(self, obj: Building | Unit | OwnerUnit) -> None:
        self.session.add(obj)


class OwnerRepository(Repository):
    async def get(self, owner_id: int) -> Owner | None:
        return await self.session.get(Owner, owner_id)

    async def by_phone(self, phone: str) -> Owner | None:
        return await self.session.scalar(select(Owner).where(Owner.phone == phone))

    async def by_telegram_user(self, user_id: int) -> Owner | None:
        return await self.session.scalar(select(Owner).where(Owner.telegram_user_id == user_id))

    async def links(self, owner_id: int) -> Sequence[OwnerUnit]:
        return (await self.session.scalars(select(OwnerUnit).where(OwnerUnit.owner_id == owner_id))).all()

    def add(self, owner: Owner) -> None:
        self.session.add(owner)

    async def who(self, user_id: int) -> list[Who]:
        """The staff record and the owner record bound to a Telegram user (zero, one or both)."""
        await self.flush_pending()  # a binding made earlier in this transaction
        if (raw := await self.sqlite3()) is not None:
            rows: Iterable[Sequence[Any]] = raw.execute(_WHO_SQLITE, (user_id, user_id))
        else:
            rows = (await self.core(_WHO, {"user": user_id})).all()
        return [Who(kind, id_, name, department, role, locale, bool(blocked))
                for kind, id_, name, department, role, locale, blocked in rows]

    async def unblock(self, owner_id: int) -> None:
        await self.session.execute(update(Owner).where(Owner.id == owner_id).values(blocked=False))

    async def mark_blocked(self, *, owner_id: int | None = None, chat_id: int | None = None) -> None:
        """Telegram said 403: the owner (by id, or whoever has that chat) blocked the bot."""
        condition = Owner.id == owner_id if owner_id is not None else Owner.chat_id == chat_id
        await self.session.execute(update(Owner).where(condition).values(blocked=True))


# Who a Telegram user is, in one statement (every update asks): active staff and the owner bound to
# them, if any. Built once, on the tables (Core).
_STAFF, _OWNERS = cast(Table, Staff.__table__), cast(Table, Owner.__table__)
_WHO: CompoundSelect[Any] = union_all(
    select(literal("staff").label("kind"), _STAFF.c.id, _STAFF.c.name, _STAFF.c.department, _STAFF.c.role,
           _STAFF.c.locale, literal(False).label("blocked"))
    .where(_STAFF.c.telegram_user_id == bindparam("user"), _STAFF.c.active.is_(True)),
    select(literal("owner"), _OWNERS.c.id, _OWNERS.c.name, null(), null(), _OWNERS.c.locale, _OWNERS.c.blocked)
    .where(_OWNERS.c.telegram_user_id == bindparam("user")),
)


_WHO_SQLITE = (
    "SELECT 'staff', id, name, department, role, locale, 0 FROM staff WHERE telegram_user_id = ? AND active "
    "UNION ALL SELECT 'owner', id, name, NULL, NULL, locale, blocked FROM owners WHERE telegram_user_id = ?"
)


class Who(NamedTuple):
    """One of the records a Telegram user is bound to."""

    kind: str  # "staff" | "owner"
    id: int
    name: str
    department: str | None
    role: str | None
    locale: str | None
    blocked: bool


class StaffRepository(Repository):
    async def get(self, staff_id: int) -> Staff | None:
        return await self.session.get(Staff, staff_id)

    async def by_telegram_user(self, user_id: int) -> Staff | None:
        return await self.session.scalar(
            select(Staff).where(Staff.telegram_user_id == user_id, Staff.active.is_(True))
        )

    async def all(self) -> Sequence[Staff]:
        return (await self.session.scalars(select(Staff).order_by(Staff.id))).all()

    async def reachable(
        self, project_id: int | None, *, departments: Sequence[str] = (), roles: Sequence[str] = ()
    ) -> Sequence[Staff]:
        """Active, bound staff of a project (or company-wide) in the given departments/roles."""
        query = select(Staff).where(Staff.active.is_(True), Staff.chat_id.is_not(None))
        if project_id is not None:
            query = query.where(or_(Staff.project_id == project_id, Staff.project_id.is_(None)))
        if departments:
            query = query.where(Staff.department.in_(departments))
        if roles:
            query = query.where(Staff.role.in_(roles))
        return (await self.session.scalars(query.order_by(Staff.id))).all()

    def add(self, staff: Staff) -> None:
        self.session.add(staff)
