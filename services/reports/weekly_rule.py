"""The weekly complaint report delivered in chat (DOMAIN 1.7): on the first working day of each week,
last week's figures go to the managers as text, the key chart (PNG) and the workbook (.xlsx).

* **An office's report** (its days in its own time zone), for each project with an office manager
  (管理处经理) or customer-service manager (客户服务部经理) of its own bound to the bot: on the first
  working day of the ISO week in the project's working-day calendar — Monday, or after a holiday the
  next working day of that week (in mainland China possibly a make-up Saturday) — or the first
  planning round after it that week, inside the staff window (09:00–20:00 local).
* **The company's report** (every office added up) the same way in Asia/Shanghai on the mainland
  calendar, to the company-wide customer-service managers (no project) and the leadership (公司领导).

Each is issued once: a ``ReportIssue`` (kind weekly, status sent) keeps the figures and the text as
sent and the Simplified Chinese workbook and chart (``report_files``); each person gets one outbox row (key
``weekly-report:<project id|company>:<2026-W49>:staff:<id>``) with the files rendered in HIS
language (the drain renders the text in the same one). Planning again, or on another instance,
adds nothing. A week whose days are all off (Spring Festival: no working day from its Monday to its
Sunday) delays the report of the week before it: both go out on the first working day after it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dialogs.engine import Reply
from dialogs.text import Msg, Text
from services.calendar.delivery import DEFAULT_REGION, DEFAULT_ZONE, WINDOW_END, WINDOW_START
from services.calendar.workdays import WorkCalendar
from services.common.locale import DEFAULT_LOCALE, resolve_locale
from services.people.project_names import project_text
from services.people.roles import Department, Role
from services.pushes import outbox
from services.pushes.purposes import Purpose
from services.pushes.rules import PlanRound
from services.reports.labels import label_for
from services.reports.periods import Period, PeriodKind, containing
from services.reports.render import COMPANY, file_stem, key_chart_png, report_workbook, summary_text, title_text
from services.reports.snapshot import figures_of
from services.reports.weekly import PeriodReport, company_period, office_period
from storage.models import Project, ReportIssue, Staff

KIND = PeriodKind.WEEK.value  # report_issues.kind
SENT = "sent"
ARCHIVE_LOCALE = "zh_Hans_CN"  # the files kept with the issue
CATCH_UP_WEEKS = 4  # after the planner was down: the weeks still reported late


def due_weeks(local: datetime, calendar: WorkCalendar, since: date) -> list[Period]:
    """The weeks whose report is due at ``local`` (a wall-clock moment where the report is read), on
    working days inside the staff window, oldest first. A week's report is due on the first working
    day after it: last week's from this week's first working day on — and the week before too when
    a whole week of holiday (Spring Festival) came between. Weeks missed while the planner was down
    are still due, up to ``CATCH_UP_WEEKS`` back, but none that ended before ``since`` (the day the
    office was added: a new office gets no reports of weeks before it)."""
    if not WINDOW_START <= local.time() < WINDOW_END:
        return []
    today = local.date()
    if not calendar.is_working_day(today):
        return []
    week = containing(PeriodKind.WEEK, today)
    weeks = []
    for _ in range(CATCH_UP_WEEKS):
        week = week.previous()
        if week.end <= since:
            break
        if calendar.next_working_day_on_or_after(week.end) <= today:
            weeks.append(week)
    return weeks[::-1]


@dataclass(frozen=True)
class Files:
    """One locale's rendering: the outbox media (stored once, shared by that locale's rows)."""

    media: tuple[dict[str, str], ...]


class WeeklyReportRule:
    name = "weekly_report"

    async def plan(self, round_: PlanRound) -> None:
        uow = round_.uow
        projects = await uow.projects.all()
        for project in projects:
            local = round_.now.astimezone(ZoneInfo(project.timezone))
            weeks = due_weeks(local, await round_.calendar(project.region), _since(project, project.timezone))
            issued = await uow.report_issues.issued_periods(KIND, project.id, [week.code for week in weeks])
            for period in weeks:
                if period.code in issued:
                    continue  # most rounds stop here: issued already
                people = await uow.staff.reachable(
                    project.id, departments=[Department.OFFICE, Department.CUSTOMER_SERVICE], roles=[Role.MANAGER])
                managers = [p for p in people if p.project_id == project.id]  # the company-wide get the company's
                if managers:
                    report = await office_period(uow, project, period.start, period.end)
                    await _issue(round_, project.id, project_text(project), period, report, managers)
        if not projects:
            return
        since = min(_since(project, DEFAULT_ZONE) for project in projects)
        weeks = due_weeks(round_.now.astimezone(ZoneInfo(DEFAULT_ZONE)), await round_.calendar(DEFAULT_REGION), since)
        issued = await uow.report_issues.issued_periods(KIND, None, [week.code for week in weeks])
        for period in weeks:
            if period.code in issued:
                continue
            recipients = await _company_recipients(round_)
            if recipients:
                report = await company_period(uow, period.start, period.end)
                await _issue(round_, None, Msg(COMPANY), period, report, recipients)


def _since(project: Project, zone: str) -> date:
    return project.created_at.astimezone(ZoneInfo(zone)).date()


async def _company_recipients(round_: PlanRound) -> list[Staff]:
    """The company-wide customer-service managers and the leadership (wherever they are placed)."""
    managers = await round_.uow.staff.reachable(None, departments=[Department.CUSTOMER_SERVICE], roles=[Role.MANAGER])
    leaders = await round_.uow.staff.reachable(None, departments=[Department.LEADERSHIP])
    people = {p.id: p for p in [*managers, *leaders] if p.project_id is None or p.department == Department.LEADERSHIP}
    return [people[key] for key in sorted(people)]


async def _issue(round_: PlanRound, project_id: int | None, scope: Text, period: Period, report: PeriodReport,
                 people: Sequence[Staff]) -> None:
    """Keep the issue with its figures and Simplified Chinese files; one row per person, with the
    files in his language."""
    uow, now = round_.uow, round_.now
    issue = await uow.report_issues.add(ReportIssue(
        kind=KIND, project_id=project_id, period=period.code, start=period.start, end=period.end, status=SENT,
        version=1, figures=figures_of(report), created_at=now, published_at=now))
    rendered: dict[str, Files] = {}

    async def files(locale: str) -> Files:
        if locale not in rendered:
            label = label_for(locale)
            stem = file_stem(title_text(period), scope, period, label)
            # A few hundred ms of CPU each: off the event loop, which serves every chat meanwhile.
            png = await asyncio.to_thread(key_chart_png, report, scope, period, label)
            xlsx = await asyncio.to_thread(report_workbook, report, scope, period, label)
            if locale == ARCHIVE_LOCALE:
                await uow.report_issues.add_file(issue.id, locale, "png", f"{stem}.png", png, now)
                await uow.report_issues.add_file(issue.id, locale, "xlsx", f"{stem}.xlsx", xlsx, now)
            rendered[locale] = Files((await outbox.store_upload(uow, "photo", f"{stem}.png", png, now),
                                      await outbox.store_upload(uow, "document", f"{stem}.xlsx", xlsx, now)))
        return rendered[locale]

    await files(ARCHIVE_LOCALE)
    text = summary_text(report, scope, period)
    # The text as sent, kept with the files (``admin report archive get`` writes it out).
    issue.figures = {**(issue.figures or {}), "text": {ARCHIVE_LOCALE: label_for(ARCHIVE_LOCALE)(text)}}
    base = f"weekly-report:{project_id if project_id is not None else 'company'}:{period.code}"
    for person in people:
        key = f"{base}:staff:{person.id}"
        if person.chat_id is None or await uow.outbox.by_key(key) is not None:
            continue
        chat = await uow.chats.get(person.chat_id)
        # The drain renders the text in the same locale (the staff's, else the chat's).
        locale = resolve_locale(person.locale, chat.locale if chat else None, None, DEFAULT_LOCALE)
        if await outbox.enqueue(uow, key=key, purpose=Purpose.REPORT, chat_id=person.chat_id, staff_id=person.id,
                                reply=Reply(text), now=now, media=(await files(locale)).media):
            round_.planned(key)
