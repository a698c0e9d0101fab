"""The office manager's decision on an owner meeting notice (services/care/meetings.py), in chat.

✔ Approve schedules it: ``send_on`` stays the day the drafter chose, or becomes the day of the next
delivery window if that day has passed (after 20:00: tomorrow); the notice rule then sends it 09:00–20:00 to the owners who
agreed to event notices, and the drafter is told (in the staff's working window). ↩ Send back asks for a comment; the notice is
returned with it and the drafter gets it with a button to edit and resubmit.

Only the project's approvers (its office managers; without one, its customer-service managers) may
decide, only on a submitted notice, and only on the version their card showed: a second press, an
old card or someone else's press is answered and changes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dialogs.actions import MeetingApprovalPress
from dialogs.engine import Reply
from dialogs.meetings import RETURN_DIALOG
from dialogs.text import N_, Lines, Msg, Plain
from services.calendar.delivery import staff_delivery_time
from services.care.meetings import (
    APPROVE,
    BACK,
    OLD_VERSION,
    OWNER_MEETING,
    PressResult,
    draft_buttons,
    meeting_fields,
    send_day,
    sends_line,
    short_notice,
    version,
)
from services.cases.results import NOT_VALID
from services.chats.pressed import used_message
from services.common.actor import Actor, Completion
from services.people.office_approvers import approvers
from services.pushes.outbox import enqueue
from services.pushes.purposes import Purpose
from storage.models import CareNotice, Project, Staff
from storage.uow import UnitOfWork

ONLY_APPROVERS = N_("Only the approver of this notice (the office manager of its project) can decide on it.")
DECIDED = N_("This notice has already been decided.")
RESUBMITTED = N_("This notice was changed after this card was sent; the new version comes to you when it is "
                 "submitted again.")
MEETING_PASSED = N_("The meeting's date has passed; send the notice back for a new date.")
CHANGED = N_("This notice changed meanwhile; nothing was recorded.")

APPROVED_DONE = N_("✔ Approved")
APPROVED_DRAFTER = N_("✔ {approver} approved your owner meeting notice of {project} (meeting on {date} at {time}).")
RETURNED = N_("↩ Sent back to {drafter} with your comment.")
RETURNED_DONE = N_("↩ Sent back")
RETURNED_DRAFTER = N_("↩ {approver} sent back your owner meeting notice of {project} (meeting on {date} at {time}).")
COMMENT = N_("Comment: {comment}")


async def _decidable(uow: UnitOfWork, actor: Actor, notice_id: int,
                     seen: str) -> tuple[Staff, CareNotice, Project] | str:
    notice = await uow.care_meetings.notice(notice_id, lock=True)
    project = await uow.projects.get(notice.project_id) if notice is not None else None
    if notice is None or notice.kind != OWNER_MEETING or project is None:
        return NOT_VALID
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    if staff is None or not staff.active or staff.id not in {p.id for p in (await approvers(uow, project.id)).people}:
        return ONLY_APPROVERS
    if notice.status != "submitted":
        return RESUBMITTED if notice.status in ("draft", "returned") and seen != version(notice) else DECIDED
    if seen != version(notice):
        return OLD_VERSION
    return staff, notice, project


async def approver_press(uow: UnitOfWork, actor: Actor, press: MeetingApprovalPress, now: datetime, *,
                         card: int | None = None) -> PressResult:
    """``card``: the pressed message; once the comment is given, it loses its buttons."""
    if press.action not in (APPROVE, BACK):
        return PressResult(refusal=NOT_VALID)
    found = await _decidable(uow, actor, press.notice, press.version)
    if isinstance(found, str):
        return PressResult(refusal=found)
    staff, notice, project = found
    if press.action == BACK:
        context: dict[str, Any] = {"notice": notice.id, "version": press.version}
        if card is not None:
            context["card"] = card
        return PressResult(begin=(RETURN_DIALOG, context))
    if notice.starts_at is None or notice.starts_at <= now:
        return PressResult(refusal=MEETING_PASSED)
    notice.send_on = send_day(notice, project, now)  # a day gone, or today's window over: the next window's
    notice.status, notice.decided_by, notice.decided_at = "scheduled", staff.id, now
    sends = (sends_line(notice, project, now), *short_notice(notice, project))
    drafted_by = await uow.staff.get(notice.drafted_by) if notice.drafted_by else None
    if drafted_by is not None and drafted_by.chat_id is not None:
        told = Lines((Msg(APPROVED_DRAFTER, {"approver": Plain(staff.name), **meeting_fields(notice, project)}),
                      *sends))
        # To another person than the presser: in the staff's working window, like a case's notices.
        await enqueue(uow, key=f"approval:meeting:{notice.id}:approved", purpose=Purpose.REMINDER,
                      chat_id=drafted_by.chat_id, staff_id=drafted_by.id, now=now, reply=Reply(told),
                      not_before=await staff_delivery_time(uow, project.id, now))
    said = Lines((Msg(APPROVED_DONE), *sends))
    return PressResult(replies=[Reply(said)], used=True, done=Msg(APPROVED_DONE))


async def complete_return(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """The comment sends the notice back to its drafter."""
    notice_id = answers.get("notice")
    found = (await _decidable(uow, actor, notice_id, str(answers.get("version")))
             if isinstance(notice_id, int) else NOT_VALID)
    if isinstance(found, str):
        return Completion((Reply(Msg(CHANGED)),))
    staff, notice, project = found
    comment = str(answers["comment"]).strip()
    notice.status, notice.comment, notice.decided_by, notice.decided_at = "returned", comment, staff.id, now
    drafted_by = await uow.staff.get(notice.drafted_by) if notice.drafted_by else None
    if drafted_by is not None and drafted_by.chat_id is not None:
        told = Lines((Msg(RETURNED_DRAFTER, {"approver": Plain(staff.name), **meeting_fields(notice, project)}),
                      Msg(COMMENT, {"comment": Plain(comment)})))
        await enqueue(uow, key=f"approval:meeting:{notice.id}:{version(notice)}:returned:{now:%Y%m%d%H%M%S}",
                      purpose=Purpose.REMINDER, chat_id=drafted_by.chat_id, staff_id=drafted_by.id, now=now,
                      reply=Reply(told, draft_buttons(notice, returned=True)),
                      not_before=await staff_delivery_time(uow, project.id, now))
    name = Plain(drafted_by.name if drafted_by is not None else "—")
    card = answers.get("card")
    edits = await used_message(uow, actor.chat_id, card, Msg(RETURNED_DONE)) if isinstance(card, int) else []
    return Completion((Reply(Msg(RETURNED, {"drafter": name})),), edits=tuple(edits))
