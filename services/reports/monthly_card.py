"""The monthly complaint summary's messages (DOMAIN 1.7): the approver's card (summary, PNG chart,
workbook, ✔ / ↩ for the version it shows) and the published report for its recipients, each in the
reader's own locale. The files are rendered here (``render.py``) and kept with the outbox row that
uploads them (``store_upload``), in the caller's transaction."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dialogs.actions import ReportApprovalPress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, DateText, Lines, ListText, Msg, Plain, Text
from services.common.locale import DEFAULT_LOCALE, resolve_locale
from services.people.office_approvers import Approvers, office_managers
from services.people.project_names import project_text
from services.people.roles import Department, Role
from services.pushes.outbox import enqueue, store_upload
from services.pushes.purposes import Purpose
from services.reports import render
from services.reports.labels import label_for
from services.reports.periods import Period, PeriodKind
from services.reports.snapshot import report_of
from services.reports.weekly import PeriodReport
from storage.models import Project, ReportIssue, Staff
from storage.uow import UnitOfWork

MONTHLY = PeriodKind.MONTH.value  # report_issues.kind, report_recipients.kind
APPROVE, BACK, RESUBMIT = "ok", "back", "resubmit"
SUBMITTED, RETURNED, PUBLISHED = "submitted", "returned", "published"
DUE_DAY = 4  # the summary is published before the 5th

TITLE = N_("Monthly complaint report")
CARD = N_("📝 The monthly complaint report of {project} for {month} is ready for your approval.")
CARD_AGAIN = N_("📝 Customer service resubmitted the monthly complaint report of {project} for {month} (version "
                "{version}).")
DUE = N_("Please approve it before {due}.")
DUE_PASSED = N_("It was due before {due}: please approve it as soon as possible.")
CARD_FALLBACK = N_("ℹ️ {project} has no office manager in the bot, so you approve it as the customer-service manager.")
NOTE = N_("Customer service's note: {note}")
EARLIER_COMMENT = N_("Your earlier comment: {comment}")
GOES_TO = N_("Once approved it goes to: {names}.")
GOES_TO_NOBODY = N_("Once approved it is archived; no recipients are configured for it yet.")
APPROVE_BUTTON, BACK_BUTTON = N_("✔ Approve"), N_("↩ Send back")
RESUBMIT_BUTTON = N_("↻ Resubmit")
PUBLISHED_HEAD = N_("📢 The monthly complaint report of {project} for {month}, approved by {approver}:")


async def cs_managers(uow: UnitOfWork, project_id: int) -> Sequence[Staff]:
    """The office's own customer-service managers (the company-wide ones are not the office's)."""
    return await office_managers(uow, project_id, Department.CUSTOMER_SERVICE)


async def customer_service_of(uow: UnitOfWork, project_id: int) -> Sequence[Staff]:
    """Who resubmits a sent-back report: the office's customer-service managers; without one, the
    company-wide ones (a comment never goes to nobody)."""
    own = await cs_managers(uow, project_id)
    if own:
        return own
    people = await uow.staff.reachable(project_id, departments=[Department.CUSTOMER_SERVICE], roles=[Role.MANAGER])
    return [person for person in people if person.project_id is None]


def period_of(issue: ReportIssue) -> Period:
    return Period(PeriodKind.MONTH, issue.start, issue.end)


def month_text(period: Period) -> Text:
    return DateText(period.start, "yyyy-MM")


def due_day(period: Period) -> date:
    """The last day to publish the report of ``period``: the 4th of the next month."""
    return period.end.replace(day=DUE_DAY)


def publish_before(period: Period) -> date:
    """The day the readers are told it must be published before: the 5th (每月5日前)."""
    return due_day(period) + timedelta(days=1)


async def locale_of(uow: UnitOfWork, staff: Staff) -> str:
    """The locale the drain will render his messages in (his, else his chat's choice)."""
    chat = await uow.chats.get(staff.chat_id) if staff.chat_id is not None else None
    return resolve_locale(staff.locale, chat.locale if chat else None, None, DEFAULT_LOCALE)


@dataclass(frozen=True)
class Files:
    png_name: str
    png: bytes
    xlsx_name: str
    xlsx: bytes


async def files_for(report: PeriodReport, project: Project, period: Period, locale: str) -> Files:
    """The chart and the workbook in ``locale``; drawn off the event loop (a few hundred ms of CPU)."""
    label, scope = label_for(locale), project_text(project)
    stem = render.file_stem(Msg(TITLE), scope, period, label)
    png = await asyncio.to_thread(render.key_chart_png, report, scope, period, label)
    xlsx = await asyncio.to_thread(render.report_workbook, report, scope, period, label)
    return Files(f"{stem}.png", png, f"{stem}.xlsx", xlsx)


class FileCache:
    """Files rendered — and stored for upload — once per locale for one message round (several
    readers share a language, and their outbox rows the stored files)."""

    def __init__(self, report: PeriodReport, project: Project, period: Period) -> None:
        self._args = (report, project, period)
        self._files: dict[str, Files] = {}
        self._media: dict[str, list[dict[str, str]]] = {}

    async def get(self, locale: str) -> Files:
        if locale not in self._files:
            self._files[locale] = await files_for(*self._args, locale)
        return self._files[locale]

    async def media(self, uow: UnitOfWork, locale: str, now: datetime) -> list[dict[str, str]]:
        if locale not in self._media:
            self._media[locale] = await _media(uow, await self.get(locale), now)
        return self._media[locale]


async def _media(uow: UnitOfWork, files: Files, now: datetime) -> list[dict[str, str]]:
    return [await store_upload(uow, "photo", files.png_name, files.png, now),
            await store_upload(uow, "document", files.xlsx_name, files.xlsx, now)]


def resubmit_buttons(issue: ReportIssue) -> tuple[tuple[Button, ...], ...]:
    """Customer service's ↻ on a returned report (of the version sent back)."""
    return ((Button(Msg(RESUBMIT_BUTTON), encode(ReportApprovalPress(issue.id, RESUBMIT, issue.version))),),)


def approval_buttons(issue: ReportIssue) -> tuple[tuple[Button, ...], ...]:
    return ((Button(Msg(APPROVE_BUTTON), encode(ReportApprovalPress(issue.id, APPROVE, issue.version))),
             Button(Msg(BACK_BUTTON), encode(ReportApprovalPress(issue.id, BACK, issue.version)))),)


async def card_text(uow: UnitOfWork, issue: ReportIssue, project: Project, *, fallback: bool,
                    now: datetime) -> Text:
    """The approver's card drawn ``now``: what it is, by when (or that the day has passed: a month
    whose first working day comes after the 4th), the figures, the notes, who gets it."""
    period, report = period_of(issue), report_of(issue.figures or {})
    fields = {"project": project_text(project), "month": month_text(period), "version": Plain(str(issue.version))}
    due = due_day(period)
    late = now.astimezone(ZoneInfo(project.timezone)).date() > due
    lines: list[Text] = [Msg(CARD_AGAIN if issue.version > 1 else CARD, fields),
                         Msg(DUE_PASSED if late else DUE, {"due": DateText(publish_before(period))}), "",
                         render.summary_text(report, project_text(project), period), ""]
    if issue.note:
        lines.append(Msg(NOTE, {"note": Plain(issue.note)}))
    if issue.comment:
        lines.append(Msg(EARLIER_COMMENT, {"comment": Plain(issue.comment)}))
    names = [Plain(person.name) for person in await recipients(uow, issue)]
    lines.append(Msg(GOES_TO, {"names": ListText(tuple(names))}) if names else Msg(GOES_TO_NOBODY))
    if fallback:
        lines.append(Msg(CARD_FALLBACK, {"project": project_text(project)}))
    return Lines(tuple(lines))


async def send_card(uow: UnitOfWork, issue: ReportIssue, project: Project, found: Approvers, now: datetime,
                    not_before: datetime) -> list[str]:
    """The approval card of the issue's version to each approver who has not got it, files in his
    locale; the keys queued. The planner asks every round while a report waits: with nobody new to
    send to, nothing is drawn."""
    waiting = []
    for person in found.people:
        key = f"monthly-report:{issue.id}:v{issue.version}:card:staff:{person.id}"
        if person.chat_id is not None and await uow.outbox.by_key(key) is None:
            waiting.append((key, person))
    if not waiting:
        return []
    cache = FileCache(report_of(issue.figures or {}), project, period_of(issue))
    reply = Reply(await card_text(uow, issue, project, fallback=found.fallback, now=now), approval_buttons(issue))
    queued: list[str] = []
    for key, person in waiting:
        assert person.chat_id is not None
        media = await cache.media(uow, await locale_of(uow, person), now)
        if await enqueue(uow, key=key, purpose=Purpose.REPORT, chat_id=person.chat_id, staff_id=person.id,
                         now=now, reply=reply, media=media, not_before=not_before):
            queued.append(key)
    return queued


async def recipients(uow: UnitOfWork, issue: ReportIssue) -> list[Staff]:
    """The configured recipients of the monthly summary for the issue's office (its own and the
    company-wide ones), active and bound; each once."""
    people: dict[int, Staff] = {}
    for row in await uow.report_issues.recipients(MONTHLY, issue.project_id):
        staff = await uow.staff.get(row.staff_id)
        if staff is not None and staff.active and staff.chat_id is not None:
            people.setdefault(staff.id, staff)
    return list(people.values())


async def publish(uow: UnitOfWork, issue: ReportIssue, project: Project, approver: Staff, now: datetime,
                  not_before: datetime) -> list[Staff]:
    """Archive the approved summary (the files in zh_Hans_CN and every recipient's locale, the text in
    each of those locales in ``figures``) and queue it for its recipients; who gets it."""
    period, report = period_of(issue), report_of(issue.figures or {})
    cache = FileCache(report, project, period)
    people = await recipients(uow, issue)
    locales = {DEFAULT_LOCALE} | {await locale_of(uow, person) for person in people}
    head = Msg(PUBLISHED_HEAD, {"project": project_text(project), "month": month_text(period),
                                "approver": Plain(approver.name)})
    summary = render.summary_text(report, project_text(project), period)
    texts: dict[str, str] = {}
    for locale in sorted(locales):
        files = await cache.get(locale)
        await uow.report_issues.add_file(issue.id, locale, "png", files.png_name, files.png, now)
        await uow.report_issues.add_file(issue.id, locale, "xlsx", files.xlsx_name, files.xlsx, now)
        texts[locale] = label_for(locale)(summary)
    issue.figures = {**(issue.figures or {}), "text": texts}
    for person in people:
        assert person.chat_id is not None
        media = await cache.media(uow, await locale_of(uow, person), now)
        await enqueue(uow, key=f"monthly-report:{issue.id}:published:staff:{person.id}", purpose=Purpose.REPORT,
                      chat_id=person.chat_id, staff_id=person.id, now=now, reply=Reply(Lines((head, "", summary))),
                      media=media, not_before=not_before)
    return people
