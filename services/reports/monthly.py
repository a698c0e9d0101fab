"""The monthly complaint summary's approval in chat (DOMAIN 1.7): drafted by the planner on the first
working day of the month (``monthly_rule.py``), approved by the office manager before the 5th.

✔ Approve publishes it: the status, who and when are recorded, the chart and workbook are archived
(``report_files``) with the text in ``figures``, the configured recipients get it in their language
and the project's customer-service managers are told. ↩ Send back asks for a comment; the summary is
returned with it and the customer-service managers get it with ↻ Resubmit, which asks for an
explanation and submits a new version (figures computed again) on a new card.

Only the project's approvers (its office managers; without one, its customer-service managers) may
decide, only on a submitted summary and only on the version their card showed; only the project's
customer-service staff may resubmit. A second press, an old card or anyone else's press is answered
and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from dialogs.actions import ReportApprovalPress
from dialogs.engine import Reply
from dialogs.report_approval import RESUBMIT_DIALOG, RETURN_DIALOG
from dialogs.text import N_, Lines, ListText, Msg, Plain, Text
from services.calendar.delivery import staff_delivery_time
from services.cases.results import NOT_VALID, ActionResult
from services.chats.pressed import used_message
from services.common.actor import Actor, Completion
from services.people.office_approvers import approvers
from services.people.project_names import project_text
from services.people.roles import Department
from services.pushes.outbox import enqueue
from services.pushes.purposes import Purpose
from services.pushes.transport import Edit
from services.reports.monthly_card import (
    APPROVE,
    BACK,
    MONTHLY,
    PUBLISHED,
    RETURNED,
    SUBMITTED,
    FileCache,
    cs_managers,
    customer_service_of,
    locale_of,
    month_text,
    period_of,
    publish,
    resubmit_buttons,
    send_card,
)
from services.reports.render import summary_text
from services.reports.snapshot import figures_of, report_of
from services.reports.weekly import office_period
from storage.models import Project, ReportIssue, Staff
from storage.uow import UnitOfWork

ONLY_APPROVERS = N_("Only the approver of this report (the office manager of its project) can decide on it.")
ONLY_CUSTOMER_SERVICE = N_("Only the project's customer service can resubmit this report.")
PUBLISHED_ALREADY = N_("This report has already been approved and published.")
DECIDED = N_("This report has already been sent back; customer service will resubmit it.")
OLD_VERSION = N_("This card shows an earlier version of the report; nothing was changed. Use the latest "
                 "card.")
WAITING = N_("This report has already been resubmitted and is waiting for approval.")
CHANGED = N_("This report changed meanwhile; nothing was recorded.")
NO_APPROVER = N_("Nobody can approve this report: the project has neither an office manager nor a customer-service "
                 "manager in the bot. Please ask the administrator.")

APPROVED_DONE = N_("✔ Approved")
APPROVED = N_("✔ Approved and published to {names}.")
APPROVED_NOBODY = N_("✔ Approved and archived; no recipients are configured for it yet.")
APPROVED_CS = N_("✔ {approver} approved the monthly complaint report of {project} for {month}.")
RETURNED_DONE = N_("↩ Sent back")
RETURNED_TO = N_("↩ Sent back to customer service ({names}) with your comment.")
RETURNED_CS = N_("↩ {approver} sent back the monthly complaint report of {project} for {month}.")
COMMENT = N_("Comment: {comment}")
RESUBMITTED_DONE = N_("↻ Resubmitted")
RESUBMITTED = N_("↻ Resubmitted to {names} for approval (version {version}), with the figures computed "
                 "again.")


@dataclass
class PressResult(ActionResult):
    edits: list[Edit] = field(default_factory=list)  # other messages redrawn


async def _issue(uow: UnitOfWork, report_id: object) -> tuple[ReportIssue, Project] | None:
    issue = await uow.report_issues.get(report_id, lock=True) if isinstance(report_id, int) else None
    project = await uow.projects.get(issue.project_id) if issue is not None and issue.project_id else None
    if issue is None or issue.kind != MONTHLY or project is None:
        return None
    return issue, project


async def _staff(uow: UnitOfWork, actor: Actor) -> Staff | None:
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    return staff if staff is not None and staff.active else None


async def _decidable(uow: UnitOfWork, actor: Actor, report_id: object,
                     seen: object) -> tuple[Staff, ReportIssue, Project] | str:
    found = await _issue(uow, report_id)
    if found is None:
        return NOT_VALID
    issue, project = found
    staff = await _staff(uow, actor)
    if staff is None or staff.id not in {p.id for p in (await approvers(uow, project.id)).people}:
        return ONLY_APPROVERS
    if issue.status == PUBLISHED:
        return PUBLISHED_ALREADY
    if seen != issue.version:
        return OLD_VERSION
    if issue.status != SUBMITTED:
        return DECIDED
    return staff, issue, project


async def approver_press(uow: UnitOfWork, actor: Actor, press: ReportApprovalPress, now: datetime, *,
                         card: int | None = None) -> PressResult:
    """✔ / ↩ on the approver's card; ``card``: the pressed message (it loses its buttons)."""
    if press.action not in (APPROVE, BACK):
        return PressResult(refusal=NOT_VALID)
    found = await _decidable(uow, actor, press.report, press.version)
    if isinstance(found, str):
        return PressResult(refusal=found)
    staff, issue, project = found
    if press.action == BACK:
        context: dict[str, Any] = {"report": issue.id, "version": issue.version}
        if card is not None:
            context["card"] = card
        return PressResult(begin=(RETURN_DIALOG, context))
    issue.status, issue.decided_by, issue.decided_at, issue.published_at = PUBLISHED, staff.id, now, now
    not_before = await staff_delivery_time(uow, project.id, now)  # to others than the presser: working hours
    people = await publish(uow, issue, project, staff, now, not_before)
    told = Msg(APPROVED_CS, _fields(issue, project, staff))
    for person in await cs_managers(uow, project.id):
        assert person.chat_id is not None
        if person.id == staff.id:
            continue  # the customer-service manager approving in the office manager's stead knows
        await enqueue(uow, key=f"monthly-report:{issue.id}:approved:staff:{person.id}", purpose=Purpose.REMINDER,
                      chat_id=person.chat_id, staff_id=person.id, now=now, reply=Reply(told), not_before=not_before)
    said = (Msg(APPROVED, {"names": ListText(tuple(Plain(p.name) for p in people))}) if people
            else Msg(APPROVED_NOBODY))
    return PressResult(replies=[Reply(said)], used=True, done=Msg(APPROVED_DONE))


def _fields(issue: ReportIssue, project: Project, approver: Staff) -> dict[str, Text]:
    return {"approver": Plain(approver.name), "project": project_text(project), "month": month_text(period_of(issue))}


async def complete_return(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """The approver's comment sends the summary back to the project's customer-service managers."""
    found = await _decidable(uow, actor, answers.get("report"), answers.get("version"))
    if isinstance(found, str):
        return Completion((Reply(Msg(CHANGED)),))
    staff, issue, project = found
    comment = str(answers["comment"]).strip()
    issue.status, issue.comment, issue.decided_by, issue.decided_at = RETURNED, comment, staff.id, now
    # Customer service gets what the approver saw — the figures, the chart, the workbook — with his comment.
    period, report = period_of(issue), report_of(issue.figures or {})
    told = Lines((Msg(RETURNED_CS, _fields(issue, project, staff)), Msg(COMMENT, {"comment": Plain(comment)}), "",
                  summary_text(report, project_text(project), period)))
    buttons = resubmit_buttons(issue)
    not_before = await staff_delivery_time(uow, project.id, now)
    managers = await customer_service_of(uow, project.id)
    files = FileCache(report, project, period)
    for person in managers:
        assert person.chat_id is not None
        await enqueue(uow, key=f"monthly-report:{issue.id}:v{issue.version}:returned:staff:{person.id}",
                      purpose=Purpose.REMINDER, chat_id=person.chat_id, staff_id=person.id, now=now,
                      reply=Reply(told, buttons), media=await files.media(uow, await locale_of(uow, person), now),
                      not_before=not_before)
    card = answers.get("card")
    edits = await used_message(uow, actor.chat_id, card, Msg(RETURNED_DONE)) if isinstance(card, int) else []
    names = ListText(tuple(Plain(p.name) for p in managers)) if managers else Plain("—")
    return Completion((Reply(Msg(RETURNED_TO, {"names": names})),), edits=tuple(edits))


async def _resubmittable(uow: UnitOfWork, actor: Actor, report_id: object,
                         seen: object) -> tuple[ReportIssue, Project] | str:
    found = await _issue(uow, report_id)
    if found is None:
        return NOT_VALID
    issue, project = found
    staff = await _staff(uow, actor)
    if (staff is None or staff.department != Department.CUSTOMER_SERVICE
            or staff.project_id not in (None, project.id)):
        return ONLY_CUSTOMER_SERVICE
    if issue.status == PUBLISHED:
        return PUBLISHED_ALREADY
    if issue.status != RETURNED or seen != issue.version:
        return WAITING if issue.status == SUBMITTED else OLD_VERSION
    return issue, project


async def resubmit_press(uow: UnitOfWork, actor: Actor, press: ReportApprovalPress, now: datetime, *,
                         card: int | None = None) -> PressResult:
    """↻ Resubmit on customer service's sent-back message: asks for the explanation."""
    found = await _resubmittable(uow, actor, press.report, press.version)
    if isinstance(found, str):
        return PressResult(refusal=found)
    issue, _project = found
    context: dict[str, Any] = {"report": issue.id, "version": issue.version}
    if card is not None:
        context["card"] = card
    return PressResult(begin=(RESUBMIT_DIALOG, context))


async def complete_resubmit(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """Customer service's note resubmits the summary: a new version, figures computed again, a new card
    to the approver (the earlier cards' buttons no longer work)."""
    found = await _resubmittable(uow, actor, answers.get("report"), answers.get("version"))
    if isinstance(found, str):
        return Completion((Reply(Msg(CHANGED)),))
    issue, project = found
    chosen = await approvers(uow, project.id)
    if not chosen.people:
        return Completion((Reply(Msg(NO_APPROVER)),))
    issue.note = str(answers["note"]).strip()
    issue.version += 1
    issue.status, issue.submitted_at = SUBMITTED, now
    issue.figures = figures_of(await office_period(uow, project, issue.start, issue.end))
    await send_card(uow, issue, project, chosen, now, await staff_delivery_time(uow, project.id, now))
    card = answers.get("card")
    edits = await used_message(uow, actor.chat_id, card, Msg(RESUBMITTED_DONE)) if isinstance(card, int) else []
    names = ListText(tuple(Plain(p.name) for p in chosen.people))
    return Completion((Reply(Msg(RESUBMITTED, {"names": names, "version": Plain(str(issue.version))})),),
                      edits=tuple(edits))
