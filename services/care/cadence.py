"""The care cadence watchdog (DOMAIN 4.4; issue 14 item 4): customer service is reminded when a
project with owners falls behind the calendar of care notices.

- **Community events**, at least one a quarter: if no community_event notice of the project is
  scheduled or sent in the quarter by the first working day of the quarter's last month, its
  customer-service manager(s) are reminded, once (key ``cadence:event:<project>:<2027Q1>``).
- **Owner meetings** 顾客恳谈会, one each half year: if none is approved (scheduled or sent) for the half
  year by the first working day of its fifth month (May, November), the same, once
  (``cadence:meeting:<project>:<2027H1>``).
- **The quarterly 《管理服务报告》**, published before the 20th of the quarter's first month: if no
  service_report notice is scheduled or sent in the quarter by the 10th, the customer-service and
  office managers are reminded (``cadence:report:<project>:<2027Q1>``), and again from the 15th if
  there is still none (``cadence:report:<project>:<2027Q1>:15``). Only in that first month.

Reminders go to staff on working days, 09:00–20:00 in the project's time zone (a check that comes
due on a day off waits for the next working day). Each key ends ``:staff:<id>``, one row per person:
planning again, or on another instance, adds nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from dialogs.engine import Reply
from dialogs.text import N_, DateText, Msg
from services.calendar.delivery import WINDOW_END, WINDOW_START
from services.calendar.workdays import WorkCalendar
from services.care.notices import NoticeKind
from services.people.project_names import project_text
from services.people.roles import Department, Role
from services.pushes import outbox
from services.pushes.purposes import Purpose
from services.pushes.rules import PlanRound
from storage.models import Project

DONE = ("scheduled", "sent")  # a notice that will reach, or reached, the owners

EVENT_DUE = N_("📅 Community events: {project} has no community event notice scheduled for this quarter "
               "({start} – {end}). Events are held at least once a quarter; please plan one and schedule its "
               "notice before {end}.")
MEETING_DUE = N_("🤝 Owner meeting: {project} has no owner meeting notice approved for this half year "
                 "({start} – {end}). An owner meeting is held every half year; draft its notice with /meeting.")
REPORT_DUE = N_("📊 Management service report: the quarterly report of {project} has not been published to the "
                "owners yet. It must reach them before {deadline}.")
REPORT_STILL_DUE = N_("📊 Second reminder: the quarterly management service report of {project} is still not "
                      "published. It must reach the owners before {deadline}.")


@dataclass(frozen=True)
class Check:
    """One cadence check due today for a project: which notices count, the period they belong to,
    and who is reminded with what if there is none."""

    family: str  # event | meeting | report: the key's second part
    kind: str  # the notice kind that fulfils it
    period: str  # 2027Q1 | 2027H1
    start: date  # the period's first and last day
    end: date
    stage: str  # "" (the first reminder) or "15" (the report's second)
    text: str  # msgid
    office_too: bool  # the office managers are reminded as well
    deadline: date | None = None

    def key(self, project_id: int) -> str:
        """The reminder's key up to the person: ``cadence:report:<project>:2027Q1[:15]``."""
        return f"cadence:{self.family}:{project_id}:{self.period}" + (f":{self.stage}" if self.stage else "")


def quarter(day: date) -> tuple[str, date, date]:
    """The quarter of ``day``: its label (2027Q1), first and last day."""
    index = (day.month - 1) // 3
    start = date(day.year, 3 * index + 1, 1)
    return f"{day.year}Q{index + 1}", start, _months_later(start, 3) - timedelta(days=1)


def half_year(day: date) -> tuple[str, date, date]:
    index = 0 if day.month <= 6 else 1
    start = date(day.year, 6 * index + 1, 1)
    return f"{day.year}H{index + 1}", start, _months_later(start, 6) - timedelta(days=1)


def _months_later(first: date, months: int) -> date:
    month = first.month - 1 + months
    return date(first.year + month // 12, month % 12 + 1, 1)


def due_checks(today: date, calendar: WorkCalendar) -> list[Check]:
    """The checks due on ``today`` (a working day) in a project of that calendar."""
    checks: list[Check] = []
    label, start, end = quarter(today)
    last_month = _months_later(start, 2)
    if today >= calendar.next_working_day_on_or_after(last_month):
        checks.append(Check("event", NoticeKind.COMMUNITY_EVENT.value, label, start, end, "", EVENT_DUE, False))
    half, half_start, half_end = half_year(today)
    if today >= calendar.next_working_day_on_or_after(_months_later(half_start, 4)):
        checks.append(Check("meeting", NoticeKind.OWNER_MEETING.value, half, half_start, half_end, "", MEETING_DUE,
                            False))
    if today.month == start.month and today.day >= 10:
        second = today.day >= 15
        checks.append(Check("report", NoticeKind.SERVICE_REPORT.value, label, start, end, "15" if second else "",
                            REPORT_STILL_DUE if second else REPORT_DUE, True, deadline=start.replace(day=20)))
    return checks


class CadenceRule:
    name = "care_cadence"

    async def plan(self, round_: PlanRound) -> None:
        for project in await round_.uow.care_meetings.projects_with_owners():
            local = round_.now.astimezone(ZoneInfo(project.timezone))
            if not WINDOW_START <= local.time() < WINDOW_END:
                continue
            calendar = await round_.calendar(project.region)
            if not calendar.is_working_day(local.date()):
                continue
            for check in due_checks(local.date(), calendar):
                if not await round_.uow.care_meetings.has_notice(project.id, [check.kind], DONE, period=check.period,
                                                                 since=check.start, until=check.end):
                    await self._remind(round_, project, check)

    async def _remind(self, round_: PlanRound, project: Project, check: Check) -> None:
        departments = [Department.CUSTOMER_SERVICE, *([Department.OFFICE] if check.office_too else [])]
        people = await round_.uow.staff.reachable(project.id, departments=departments, roles=[Role.MANAGER])
        base = check.key(project.id)
        text = Msg(check.text, {"project": project_text(project), "start": DateText(check.start),
                                "end": DateText(check.end),
                                "deadline": DateText(check.deadline or check.end)})
        for person in people:
            key = f"{base}:staff:{person.id}"
            if person.chat_id is None or await round_.uow.outbox.by_key(key) is not None:
                continue  # read first: most rounds find the reminder given, and write nothing
            if await outbox.enqueue(round_.uow, key=key, purpose=Purpose.REMINDER, chat_id=person.chat_id,
                                    staff_id=person.id, reply=Reply(text), now=round_.now):
                round_.planned(key)

