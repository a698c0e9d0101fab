"""The monthly complaint summary's planning (DOMAIN 1.7): drafted on the first working day of the
month, approved before the 5th.

For each project, on the first working day of the month in its working-day calendar (or the first
round after it, if the planner was down), inside the staff's delivery window (09:00–20:00 local),
last month's figures are kept as a ``ReportIssue`` (kind monthly, status submitted, version 1) and
its approvers (the office managers; without one, the customer-service managers) get the card. A
project with nobody to approve it gets nothing until someone is bound; an office added after the
month's end gets no report of it. Once per project and month:
the issue's unique (kind, scope, period) and the card's key.

While it waits for approval, an approver who has no card of its version (an office manager bound
after the draft, who now approves instead of the customer-service manager) gets one in the next
round, so a report never waits for someone who cannot see it.

From the 4th (the next working day if the 4th is a day off), a summary not yet published is reminded
once to its approvers and the project's customer-service managers (not on the day it was drafted:
a month whose first working day comes late, as after National Day, is drafted after the 4th). The
reminder carries the buttons of whoever acts next: ✔ / ↩ for the approvers of a submitted report,
↻ for customer service on a returned one.
Keys: ``monthly-report:<report>:v<version>:card:staff:<id>``,
``monthly-report:<project>:<period>:remind:staff:<id>``.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from dialogs.engine import Reply
from dialogs.text import N_, DateText, Msg
from services.calendar.delivery import WINDOW_END, WINDOW_START
from services.calendar.workdays import WorkCalendar
from services.people.office_approvers import approvers
from services.people.project_names import project_text
from services.pushes import outbox
from services.pushes.purposes import Purpose
from services.pushes.rules import PlanRound
from services.reports.monthly_card import (
    DUE_DAY,
    MONTHLY,
    PUBLISHED,
    SUBMITTED,
    approval_buttons,
    cs_managers,
    customer_service_of,
    due_day,
    month_text,
    publish_before,
    resubmit_buttons,
    send_card,
)
from services.reports.periods import Period, PeriodKind, last_complete
from services.reports.snapshot import figures_of
from services.reports.weekly import office_period
from storage.models import Project, ReportIssue

REMIND_SUBMITTED = N_("⏰ The monthly complaint report of {project} for {month} is still waiting for approval; "
                      "it should be published before {due}.")
REMIND_SUBMITTED_LATE = N_("⏰ The monthly complaint report of {project} for {month} is still waiting for approval; "
                           "it was due before {due}.")
REMIND_RETURNED_LATE = N_("⏰ The monthly complaint report of {project} for {month} was sent back and is not "
                          "resubmitted yet; it was due before {due}.")
REMIND_RETURNED = N_("⏰ The monthly complaint report of {project} for {month} was sent back and is not "
                     "resubmitted yet; it should be published before {due}.")


def draft_day(period: Period, calendar: WorkCalendar) -> date:
    """The day the summary of ``period`` is drafted: the first working day of the next month."""
    return calendar.next_working_day_on_or_after(period.end)


def remind_day(period: Period, calendar: WorkCalendar) -> date:
    return calendar.next_working_day_on_or_after(period.end.replace(day=DUE_DAY))


class MonthlyReportRule:
    name = "monthly_report"

    async def plan(self, round_: PlanRound) -> None:
        for project in await round_.uow.projects.all():
            local = round_.now.astimezone(ZoneInfo(project.timezone))
            if not WINDOW_START <= local.time() < WINDOW_END:
                continue
            calendar = await round_.calendar(project.region)
            today = local.date()
            if not calendar.is_working_day(today):
                continue
            period = last_complete(PeriodKind.MONTH, today)
            if today < draft_day(period, calendar):
                continue
            if period.end <= project.created_at.astimezone(ZoneInfo(project.timezone)).date():
                continue  # an office added after the month has no report of it
            issue = await round_.uow.report_issues.find(MONTHLY, project.id, period.code)
            if issue is None:
                await self._draft(round_, project, period)
                continue
            if issue.status == SUBMITTED:  # a new approver gets the card (the others have it: by key)
                for key in await send_card(round_.uow, issue, project, await approvers(round_.uow, project.id),
                                           round_.now, round_.now):
                    round_.planned(key)
            if issue.status != PUBLISHED and today >= remind_day(period, calendar):
                drafted = issue.created_at.astimezone(ZoneInfo(project.timezone)).date()
                if drafted < today:
                    await self._remind(round_, project, issue, late=today > due_day(period))

    async def _draft(self, round_: PlanRound, project: Project, period: Period) -> None:
        found = await approvers(round_.uow, project.id)
        if not found.people:
            return  # nobody to approve it yet: drafted once someone is bound
        report = await office_period(round_.uow, project, period.start, period.end)
        issue = await round_.uow.report_issues.add(ReportIssue(
            kind=MONTHLY, project_id=project.id, period=period.code, start=period.start, end=period.end,
            status=SUBMITTED, version=1, figures=figures_of(report), created_at=round_.now,
            submitted_at=round_.now))
        for key in await send_card(round_.uow, issue, project, found, round_.now, round_.now):
            round_.planned(key)

    async def _remind(self, round_: PlanRound, project: Project, issue: ReportIssue, *, late: bool) -> None:
        """Once, to the approvers and customer service; ``late``: the day to publish has passed (a
        report drafted on the 4th is reminded on the next working day)."""
        deciders = (await approvers(round_.uow, project.id)).people
        submitted = issue.status == SUBMITTED
        managers = await (cs_managers if submitted else customer_service_of)(round_.uow, project.id)
        acting = {p.id for p in (deciders if submitted else managers)}
        buttons = approval_buttons(issue) if submitted else resubmit_buttons(issue)
        period = Period(PeriodKind.MONTH, issue.start, issue.end)
        text = Msg((REMIND_SUBMITTED_LATE if late else REMIND_SUBMITTED) if submitted
                   else (REMIND_RETURNED_LATE if late else REMIND_RETURNED),
                   {"project": project_text(project), "month": month_text(period), "due": DateText(publish_before(period))})
        people = {p.id: p for p in (*deciders, *managers)}
        for person in people.values():
            key = f"monthly-report:{project.id}:{issue.period}:remind:staff:{person.id}"
            if person.chat_id is None or await round_.uow.outbox.by_key(key) is not None:
                continue  # read first: most rounds find the reminder given, and write nothing
            reply = Reply(text, buttons if person.id in acting else ())
            if await outbox.enqueue(round_.uow, key=key, purpose=Purpose.REMINDER, chat_id=person.chat_id,
                                    staff_id=person.id, reply=reply, now=round_.now):
                round_.planned(key)
