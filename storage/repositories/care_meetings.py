"""Owner meetings 顾客恳谈会 (services/care/meetings.py): notices drafted by customer service and
approved by the office manager, and the care cadence (events each quarter, a meeting each half year,
the quarterly report) checked by the planner (services/care/cadence.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import or_, select

from storage.models import Building, CareNotice, OwnerUnit, Project, Unit
from storage.repositories.base import Repository


class CareMeetingRepository(Repository):
    async def add(self, notice: CareNotice) -> CareNotice:
        """A new notice, flushed so that it has its id (its buttons carry it)."""
        self.session.add(notice)
        await self.session.flush()
        return notice

    async def notice(self, notice_id: int, *, lock: bool = False) -> CareNotice | None:
        """A notice by id; ``lock``: held until the transaction ends (PostgreSQL), so two presses on
        the same card decide one after the other and the second sees the first's decision."""
        query = select(CareNotice).where(CareNotice.id == notice_id).execution_options(populate_existing=True)
        return (await self.session.scalars(query.with_for_update() if lock else query)).first()

    async def others_for_period(self, notice: CareNotice, statuses: Sequence[str]) -> Sequence[CareNotice]:
        """The project's other notices of the same kind and period in one of ``statuses``, earliest
        meeting first (another owner meeting of the half year, approved or waiting)."""
        query = (select(CareNotice)
                 .where(CareNotice.project_id == notice.project_id, CareNotice.kind == notice.kind,
                        CareNotice.period == notice.period, CareNotice.status.in_(list(statuses)),
                        CareNotice.id != notice.id)
                 .order_by(CareNotice.starts_at, CareNotice.id))
        return (await self.session.scalars(query)).all()

    async def projects_with_owners(self) -> Sequence[Project]:
        """The projects that have at least one owner of a unit: the ones the care cadence watches.
        One LIMIT 1 look-up per project (few), through its buildings' units to the first owner
        (indexes on buildings.project_id, units.building_id, owner_units.unit_id): as one EXISTS,
        PostgreSQL joined every owner's unit (seconds at a million owners)."""
        projects = (await self.session.scalars(select(Project).order_by(Project.id))).all()
        found = []
        for project in projects:
            owner = await self.session.scalar(
                select(OwnerUnit.owner_id).join(Unit, Unit.id == OwnerUnit.unit_id)
                .join(Building, Building.id == Unit.building_id).where(Building.project_id == project.id).limit(1))
            if owner is not None:
                found.append(project)
        return found

    async def has_notice(self, project_id: int, kinds: Sequence[str], statuses: Sequence[str], *,
                         period: str, since: date, until: date) -> bool:
        """Whether the project has a notice of one of ``kinds`` in one of ``statuses`` for ``period``
        ("2027Q1", "2027H1"), or sent on a day in [since, until] (a notice without a period)."""
        query = select(CareNotice.id).where(
            CareNotice.project_id == project_id, CareNotice.kind.in_(list(kinds)),
            CareNotice.status.in_(list(statuses)),
            or_(CareNotice.period == period, CareNotice.send_on.between(since, until))).limit(1)
        return (await self.session.scalar(query)) is not None
