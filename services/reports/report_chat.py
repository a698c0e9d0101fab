"""``/report`` in chat for supervisors and leadership (issue 15 item 6): the complaint report of an
office or of the company for last week, this month so far, last month, last quarter or last year —
the summary text, the key chart (PNG) and the workbook (.xlsx), in the presser's language.

Who may: managers of any company department (管理处经理, 客户服务部经理, department managers) and the
leadership (公司领导, 分管领导/副总经理, 总经理). What they see: a staff member tied to a project
only that office; company-wide staff and the leadership (wherever the roster places them) every
office and the company total. Every press is checked
against the database again (a forged press, or a role lost since the card was drawn, is refused and
nothing is made).

The files are rendered for the presser and kept in the database with the outbox row that uploads
them, in the press's own transaction (as the survey report: services/surveys/report_chat.py)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial
from zoneinfo import ZoneInfo

from dialogs.actions import ReportMenuPress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, DateText, Lines, Msg, Text
from services.cases.results import ActionResult
from services.common.actor import Actor
from services.people.project_names import project_text
from services.people.roles import Department, Role
from services.pushes.outbox import enqueue, store_upload
from services.pushes.purposes import Purpose
from services.reports import render
from services.reports.periods import Period, PeriodKind, containing, last_complete
from services.reports.statistics import company_statistics, office_statistics, statistics_workbook
from services.reports.weekly import PeriodReport, company_period, office_period
from storage.models import Project, Staff
from storage.uow import UnitOfWork

COMPANY = 0  # ReportMenuPress.scope of the company total
PICK = "office"  # ReportMenuPress.kind: the office (or company) was picked; show its reports
MONTH_TO_DATE = "mtd"  # ReportMenuPress.kind: this month from its first day to today

NOT_ALLOWED = N_("Only managers and the company leadership can see the complaint reports.")
NOT_YOURS = N_("You cannot see this office's reports. Nothing was sent.")
NOT_VALID = N_("This button is not valid.")
NO_CHAT = N_("The report cannot be sent: this chat is not known to the bot.")
ON_ITS_WAY = N_("The report is on its way.")

# The reports offered, in the card's order: (ReportMenuPress.kind, button label).
CHOICES: tuple[tuple[str, str], ...] = (
    (PeriodKind.WEEK.value, N_("Last week")),
    (MONTH_TO_DATE, N_("This month so far")),
    (PeriodKind.MONTH.value, N_("Last month")),
    (PeriodKind.QUARTER.value, N_("Last quarter")),
    (PeriodKind.YEAR.value, N_("Last year")),
)


def may_report(department: str | None, role: str | None) -> bool:
    """Managers of any company department and the leadership. Not the builder's representatives:
    the contractor is outside the company and never reads its complaint figures."""
    if department == Department.BUILDER:
        return False
    return (role in (Role.MANAGER, Role.VICE_PRESIDENT, Role.GENERAL_MANAGER)
            or department == Department.LEADERSHIP)


async def _reporter(uow: UnitOfWork, actor: Actor) -> Staff | None:
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    return staff if staff is not None and staff.active and may_report(staff.department, staff.role) else None


def company_wide(staff: Staff) -> bool:
    """Whether he sees the company and every office: staff of no single office, and the leadership
    wherever the roster places them (they get the company's weekly report too)."""
    return staff.project_id is None or staff.department == Department.LEADERSHIP


async def _scopes(uow: UnitOfWork, staff: Staff) -> list[Project | None]:
    """What the staff member may see, in the card's order: his office; or the company (None) first,
    then every office by code."""
    if staff.project_id is not None and not company_wide(staff):
        project = await uow.projects.get(staff.project_id)
        return [project] if project is not None else []
    return [None, *sorted(await uow.projects.all(), key=lambda project: project.code)]


def _scope_text(project: Project | None) -> Text:
    return project_text(project) if project is not None else Msg(render.COMPANY)


def _reports_card(project: Project | None) -> Reply:
    scope = project.id if project is not None else COMPANY
    buttons = tuple((Button(Msg(label), encode(ReportMenuPress(kind, scope))),) for kind, label in CHOICES)
    return Reply(Msg(N_("📈 Complaint report of {scope}: which period?"), {"scope": _scope_text(project)}), buttons)


async def report_menu(uow: UnitOfWork, actor: Actor) -> Reply:
    """/report: the office choice (only when more than one is allowed), else the reports card."""
    staff = await _reporter(uow, actor)
    if staff is None:
        return Reply(Msg(NOT_ALLOWED))
    scopes = await _scopes(uow, staff)
    if not scopes:  # tied to a project that no longer exists
        return Reply(Msg(NOT_ALLOWED))
    if len(scopes) == 1:
        return _reports_card(scopes[0])
    buttons = tuple((Button(_scope_text(project), encode(ReportMenuPress(PICK, project.id if project else COMPANY))),)
                    for project in scopes)
    return Reply(Msg(N_("📈 Complaint reports: which office?")), buttons)


@dataclass(frozen=True)
class Chosen:
    """A press resolved against the database: the presser, and the office (None: the company)."""

    staff: Staff
    project: Project | None


async def _resolve(uow: UnitOfWork, actor: Actor, press: ReportMenuPress) -> Chosen | str:
    """The presser and the office, or the refusal's msgid."""
    staff = await _reporter(uow, actor)
    if staff is None:
        return NOT_ALLOWED
    if press.scope == COMPANY:
        return Chosen(staff, None) if company_wide(staff) else NOT_YOURS
    project = await uow.projects.get(press.scope)
    if project is None:
        return NOT_VALID
    if not company_wide(staff) and staff.project_id != project.id:
        return NOT_YOURS
    return Chosen(staff, project)


def period_for(kind: str, today: date) -> Period | None:
    """The period a report button covers, seen on ``today``: the last complete week, month, quarter
    or year, or this month from its first day to today (inclusive)."""
    if kind == MONTH_TO_DATE:
        return Period(PeriodKind.MONTH, containing(PeriodKind.MONTH, today).start, today + timedelta(days=1))
    try:
        return last_complete(PeriodKind(kind), today)
    except ValueError:
        return None


async def press(uow: UnitOfWork, actor: Actor, action: ReportMenuPress, now: datetime, *,
                label: Callable[[Text], str] | None = None) -> ActionResult:
    chosen = await _resolve(uow, actor, action)
    if isinstance(chosen, str):
        return ActionResult(refusal=chosen)
    if action.kind == PICK:
        return ActionResult([_reports_card(chosen.project)])
    zone = ZoneInfo(chosen.project.timezone if chosen.project is not None else actor.timezone)
    period = period_for(action.kind, now.astimezone(zone).date())
    if period is None:
        return ActionResult(refusal=NOT_VALID)
    return await report_replies(uow, chosen, period, now, label=label)


@dataclass(frozen=True)
class Rendering:
    """What the answer is made of: the complaint figures (summary and chart) and the workbook's maker."""

    report: PeriodReport
    workbook: Callable[[], bytes]


async def _rendering(uow: UnitOfWork, project: Project | None, period: Period, scope: Text,
                     label: Callable[[Text], str]) -> Rendering:
    """A quarter or a year: the statistics (complaints, workers, handlers, communication log) and
    their workbook; a week or a month: the complaint figures and the report's workbook. Each
    office's days in its own zone."""
    if period.kind in (PeriodKind.QUARTER, PeriodKind.YEAR):
        stats = (await office_statistics(uow, project, period) if project is not None
                 else await company_statistics(uow, period))
        return Rendering(stats.complaints, partial(statistics_workbook, stats, scope, period, label))
    report = (await office_period(uow, project, period.start, period.end) if project is not None
              else await company_period(uow, period.start, period.end))
    return Rendering(report, partial(render.report_workbook, report, scope, period, label))


def _month_to_date(period: Period) -> bool:
    return period.kind is PeriodKind.MONTH and period.end != containing(PeriodKind.MONTH, period.start).end


async def report_replies(uow: UnitOfWork, chosen: Chosen, period: Period, now: datetime, *,
                         label: Callable[[Text], str] | None = None) -> ActionResult:
    """The chart, the workbook and the summary, queued for the presser's chat as one outbox row."""
    staff = chosen.staff
    if staff.chat_id is None or label is None:
        return ActionResult(refusal=NO_CHAT)
    # A double tap asks once: the same report for the same person within the same minute is one row.
    scope_key = chosen.project.id if chosen.project is not None else COMPANY
    key = f"report-chat:{period.kind.value}:{period.code}:{scope_key}:{staff.id}:{now:%Y-%m-%dT%H:%M}"
    if await uow.outbox.by_key(key) is not None:
        return ActionResult()
    scope = _scope_text(chosen.project)
    made = await _rendering(uow, chosen.project, period, scope, label)
    title = render.title_text(period)
    summary = render.summary_text(made.report, scope, period)
    if _month_to_date(period):  # the month is not over: say so, in the text and in the file's name
        title = Msg(N_("{title} (month to date)"), {"title": title})
        summary = Lines((Msg(N_("⏳ This month so far: the figures up to {day}."), {"day": DateText(period.last_day)}),
                         summary))
    stem = render.file_stem(title, scope, period, label)
    # Drawing and writing take a few hundred ms of CPU: off the event loop, which serves every chat.
    png = await asyncio.to_thread(render.key_chart_png, made.report, scope, period, label)
    xlsx = await asyncio.to_thread(made.workbook)
    media = [await store_upload(uow, "photo", f"{stem}.png", png, now),
             await store_upload(uow, "document", f"{stem}.xlsx", xlsx, now)]
    await enqueue(uow, key=key, purpose=Purpose.ANSWER, chat_id=staff.chat_id, staff_id=staff.id, now=now, media=media,
                  reply=Reply(summary))
    return ActionResult()
