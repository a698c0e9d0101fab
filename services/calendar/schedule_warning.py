"""The planner's calendar rule (DOMAIN 1.3): from 1 November, the office's managers are told
(weekly) that next year's holiday schedule is missing, so deadlines would assume statutory
holidays only."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from dialogs.engine import Reply
from dialogs.text import N_, Msg
from services.calendar.delivery import delivery_time
from services.calendar.workdays import missing_schedule_warning_for
from services.people.roles import SUPERVISOR_ROLES, Department
from services.pushes import outbox
from services.pushes.purposes import Purpose
from services.pushes.rules import PlanRound
from storage.models import Project


class ScheduleWarningRule:
    name = "schedule_warning"

    async def plan(self, round_: PlanRound) -> None:
        for project in await round_.uow.projects.all():
            await self._one(round_, project)

    async def _one(self, round_: PlanRound, project: Project) -> None:
        uow, now = round_.uow, round_.now
        today = now.astimezone(ZoneInfo(project.timezone)).date()
        year = await missing_schedule_warning_for(uow, project.region, today)
        if year is None:
            return
        week = today.isocalendar()
        text = Msg(
            N_("The {year} holiday schedule for region {region} is not loaded yet; deadlines assume statutory "
               "holidays without adjusted working days. An admin can load it: estatebot admin calendar load "
               "{region} FILE.csv"),
            {"year": str(year), "region": project.region},
        )
        people = await uow.staff.reachable(
            project.id, departments=[Department.CUSTOMER_SERVICE, Department.OFFICE], roles=list(SUPERVISOR_ROLES)
        )
        for person in people:
            if person.chat_id is None:
                continue
            key = f"calendar:{project.region}:{year}:{week.year}-W{week.week}:staff:{person.id}"
            if await outbox.enqueue(uow, key=key, purpose=Purpose.CALENDAR, chat_id=person.chat_id,
                                    reply=Reply(text), now=now, not_before=delivery_time(now, project.timezone),
                                    staff_id=person.id):
                round_.planned(key)
