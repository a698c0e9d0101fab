"""The owner meeting 顾客恳谈会 notice (DOMAIN 4.4; issue 14 item 4), drafted in chat by customer
service: ``/meeting`` (or 📝 on the /care card) asks the project (only of someone who covers
several), the meeting's date, time and place and when owners get the notice. The text is the
registered care template of the owner_meeting kind (services/care/notices.py) with those values;
the drafter sees it exactly as owners will read it in his language, then submits it for approval.

The notice is a ``CareNotice`` of kind owner_meeting: draft → submitted → scheduled (approved) or
returned (sent back with a comment, edited, submitted again); a draft may be discarded (cancelled).
Once scheduled, the notice rule sends it on ``send_on``, 09:00–20:00, to the owners of the project who
agreed to event notices. The approval is in services/care/meeting_approval.py.

Every button carries the notice and the version of its content it was drawn for (``version``): a
button drawn for an earlier content does nothing, so nobody submits or approves what he did not see.
"""

from __future__ import annotations

import json
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from dialogs.actions import MeetingApprovalPress, MeetingDraftPress, encode
from dialogs.engine import Button, Reply
from dialogs.meetings import (
    DRAFT_DIALOG,
    EARLIEST,
    LATEST,
    LEAD_DAYS,
    SHORT_NOTICE_DAYS,
    TODAY,
    chosen_lead,
    lead_answers,
)
from dialogs.text import N_, DateText, DateTimeText, Lines, ListText, Msg, Plain, Plural, Template, Text
from services.calendar.delivery import delivery_time, staff_delivery_time
from services.care.notices import NoticeKind, notice_text
from services.cases.results import NOT_VALID, ActionResult
from services.chats.pressed import used_message
from services.common.actor import Actor, Completion
from services.people.office_approvers import approvers
from services.people.project_names import project_text
from services.people.roles import Department
from services.pushes.outbox import enqueue
from services.pushes.purposes import Purpose
from services.pushes.transport import Edit
from storage.models import CareNotice, Project, Staff
from storage.uow import UnitOfWork

OWNER_MEETING = NoticeKind.OWNER_MEETING.value
SUBMIT, EDIT, DROP, NEW = "submit", "edit", "drop", "new"
APPROVE, BACK = "ok", "back"
EDITABLE = ("draft", "returned")

ONLY_CUSTOMER_SERVICE = N_("Owner meeting notices are drafted by customer service.")
NO_PROJECT = N_("There is no project to hold an owner meeting for.")
ONLY_DRAFTER = N_("Only the customer-service colleague who drafted this notice can do this.")
OLD_VERSION = N_("This button belongs to an earlier version of the notice; nothing was changed. Use the latest "
                 "message about it.")
WAITING = N_("This notice is waiting for approval; it can no longer be changed.")
APPROVED_ALREADY = N_("This notice has already been approved.")
DISCARDED = N_("This notice was discarded.")
MEETING_PASSED = N_("The meeting's date has passed; change the date first.")
NO_APPROVER = N_("Nobody can approve this notice: the project has neither an office manager nor a customer-service "
                 "manager in the bot. Please ask the administrator.")
CHANGED = N_("This notice changed meanwhile; nothing was recorded.")

PREVIEW = N_("👁 The notice as owners will read it:")
SAMPLE_NAME = N_("[owner's name]")
SENDS = N_("It goes out on {date}, between 09:00 and 20:00, to the owners of {project} who agreed to event notices.")
SENDS_FROM = N_("It goes out on {date} from {time} (until 20:00) to the owners of {project} who agreed to event "
                "notices.")
SENDS_ASAP = N_("It goes out as soon as it is approved (between 09:00 and 20:00) to the owners of {project} who "
                "agreed to event notices.")
APPROVED_BY = N_("To be approved by: {names} (office manager).")
APPROVED_BY_FALLBACK = N_("To be approved by: {names} (customer-service manager, because {project} has no office "
                          "manager in the bot).")
SUBMIT_BUTTON, EDIT_BUTTON, DROP_BUTTON = N_("📨 Submit for approval"), N_("✏️ Edit"), N_("🗑 Discard")
RESUBMIT_BUTTON = N_("✏️ Edit and resubmit")
NEW_BUTTON = N_("📝 Draft owner meeting notice")
SUBMITTED = N_("📨 Submitted to {names} for approval. You will be told here when it is decided.")
SUBMITTED_DONE = N_("📨 Submitted for approval")
DROPPED = N_("🗑 The draft is discarded; owners get nothing.")
DROPPED_DONE = N_("🗑 Discarded")
CARD = N_("📝 {drafter} asks you to approve the owner meeting notice of {project}: the meeting is on {date} at "
          "{time}.")
CARD_FALLBACK = N_("ℹ️ {project} has no office manager in the bot, so you approve it as the customer-service manager.")
EARLIER_COMMENT = N_("Your earlier comment: {comment}")
APPROVE_BUTTON, BACK_BUTTON = N_("✔ Approve"), N_("↩ Send back")
OTHER_SCHEDULED = N_("⚠️ {project} already has an approved owner meeting this half year, on {date} at {time} (its "
                     "notice goes out on {send}). Submit this one only if owners should get a second notice.")
OTHER_SENT = N_("⚠️ Owners of {project} have already been sent an owner meeting notice this half year, for {date} "
                "at {time}. Submit this one only if owners should get a second notice.")
OTHER_SUBMITTED = N_("⚠️ Another owner meeting notice of {project} for this half year is waiting for approval: "
                     "{date} at {time}. Submit this one only if owners should get a second notice.")
_OTHER = {"scheduled": OTHER_SCHEDULED, "sent": OTHER_SENT, "submitted": OTHER_SUBMITTED}
# The same lines on the approver's card: he is the one who decides.
_OTHER_APPROVER = {
    "scheduled": N_("⚠️ {project} already has an approved owner meeting this half year, on {date} at {time} (its "
                    "notice goes out on {send}). Approve this one only if owners should get a second notice."),
    "sent": N_("⚠️ Owners of {project} have already been sent an owner meeting notice this half year, for {date} "
               "at {time}. Approve this one only if owners should get a second notice."),
    "submitted": N_("⚠️ Another owner meeting notice of {project} for this half year is waiting for approval: "
                    "{date} at {time}. Approve this one only if owners should get a second notice."),
}
_TYPED_TIME = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")


@dataclass
class PressResult(ActionResult):
    """An ``ActionResult`` whose dialog starts with earlier answers (editing a notice)."""

    answers: dict[str, Any] = field(default_factory=dict)
    edits: list[Edit] = field(default_factory=list)  # other messages redrawn (a sent-back card)


def version(notice: CareNotice) -> str:
    """A short fingerprint of what owners would read (project, time, place, send day, texts)."""
    content = json.dumps([notice.project_id, notice.starts_at.isoformat() if notice.starts_at else None,
                          notice.send_on.isoformat(), notice.place, notice.texts], sort_keys=True, ensure_ascii=False)
    return f"{zlib.crc32(content.encode()):08x}"


async def drafter(uow: UnitOfWork, actor: Actor) -> Staff | None:
    """The acting staff member, if he is in customer service and active."""
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    if staff is None or not staff.active or staff.department != Department.CUSTOMER_SERVICE:
        return None
    return staff


async def _projects(uow: UnitOfWork, staff: Staff) -> list[Project]:
    if staff.project_id is not None:
        project = await uow.projects.get(staff.project_id)
        return [project] if project is not None else []
    return list(await uow.projects.all())


def _choices(projects: Sequence[Project]) -> list[list[str]]:
    return [[str(project.id), project.name] for project in projects]


def _today(actor: Actor, now: datetime) -> str:
    """The drafter's date, for which send days are still ahead (the dialog's ``today``)."""
    return now.astimezone(ZoneInfo(actor.timezone)).date().isoformat()


def new_draft_button(staff: Staff) -> tuple[Button, ...]:
    """📝 for the /care card (services/care/care_chat.py): customer service drafts a notice there."""
    if staff.department != Department.CUSTOMER_SERVICE:
        return ()
    return (Button(Msg(NEW_BUTTON), encode(MeetingDraftPress(0, NEW, "0"))),)


async def start(uow: UnitOfWork, actor: Actor, now: datetime) -> PressResult:
    """``/meeting``: the drafting dialog, or why not."""
    staff = await drafter(uow, actor)
    if staff is None:
        return PressResult(replies=[Reply(Msg(ONLY_CUSTOMER_SERVICE))])
    projects = await _projects(uow, staff)
    if not projects:
        return PressResult(replies=[Reply(Msg(NO_PROJECT))])
    return PressResult(begin=(DRAFT_DIALOG, {"projects": _choices(projects), TODAY: _today(actor, now)}))


def _local(notice: CareNotice, project: Project) -> datetime:
    assert notice.starts_at is not None  # an owner meeting always has its time
    return notice.starts_at.astimezone(ZoneInfo(project.timezone))


def half_year(day: date) -> str:
    return f"{day.year}H{1 if day.month <= 6 else 2}"


async def complete_draft(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """The confirmed dialog: a new draft, or the edited one; then its preview to submit."""
    staff = await drafter(uow, actor)
    project_ids = {p.id: p for p in await _projects(uow, staff)} if staff is not None else {}
    project = project_ids.get(int(answers["project"])) if str(answers.get("project", "")).isdigit() else None
    lead, typed = chosen_lead(dict(answers)), str(answers.get("time"))
    if (staff is None or project is None or lead not in LEAD_DAYS or not _TYPED_TIME.match(typed)
            or not EARLIEST <= typed <= LATEST):
        return Completion((Reply(Msg(CHANGED)),))
    zone = ZoneInfo(project.timezone)
    day = date.fromisoformat(str(answers["date"]))
    starts = datetime.combine(day, time.fromisoformat(typed), zone)
    today = now.astimezone(zone).date()
    # "As soon as it is approved" (0): from today; approval moves a day gone to its own.
    send_on = today if lead == "0" else max(today, day - timedelta(days=int(lead)))
    if "notice" in answers:
        notice = await uow.care_meetings.notice(int(answers["notice"]), lock=True)
        if (notice is None or notice.kind != OWNER_MEETING or notice.drafted_by != staff.id
                or notice.status not in EDITABLE):
            return Completion((Reply(Msg(CHANGED)),))
    else:
        notice = CareNotice(kind=OWNER_MEETING, status="draft", drafted_by=staff.id, created_at=now, media=[])
    notice.project_id, notice.building_id = project.id, None
    notice.starts_at, notice.send_on, notice.period = starts.astimezone(UTC), send_on, half_year(day)
    notice.place = {actor.locale: str(answers["place"]).strip()}
    notice.status = "draft"
    await uow.care_meetings.add(notice)
    return Completion((await draft_card(uow, notice, project),))


async def preview(uow: UnitOfWork, notice: CareNotice, project: Project) -> Template:
    """The notice exactly as owners will read it; ``{name}`` (each owner's own, filled when sent)
    shows as a sample."""
    text = await notice_text(uow, notice, project, None)
    return Template(text.default, text.texts, {"name": Msg(SAMPLE_NAME), **text.params})


def send_day(notice: CareNotice, project: Project, now: datetime) -> date:
    """The day the notice would go out if approved ``now``: its own day, or — that day gone, or
    today's window over (after 20:00) — the day of the next delivery window."""
    return max(notice.send_on, delivery_time(now, project.timezone).astimezone(ZoneInfo(project.timezone)).date())


def short_notice(notice: CareNotice, project: Project, send_on: date | None = None) -> list[Text]:
    """A line when owners would get the notice (on ``send_on``, else its own day) less than a week
    before the meeting (also on the approver's card: approving late shortens it further)."""
    notice_days = (_local(notice, project).date() - (send_on or notice.send_on)).days
    if notice_days >= SHORT_NOTICE_DAYS:
        return []
    return [Plural("⚠️ Little notice: owners get it only {n} day before the meeting, which leaves them little time to "
                   "arrange to come.",
                   "⚠️ Little notice: owners get it only {n} days before the meeting, which leaves them little time "
                   "to arrange to come.", notice_days)]


async def warnings(uow: UnitOfWork, notice: CareNotice, project: Project, *, send_on: date | None = None,
                   approver: bool = False) -> list[Text]:
    """What the drafter (or, ``approver``, the approver) should know before submitting (approving):
    owners would get little notice; the half year already has an owner meeting approved, sent or
    waiting (two notices a week apart)."""
    lines = short_notice(notice, project, send_on)
    texts = _OTHER_APPROVER if approver else _OTHER
    for other in await uow.care_meetings.others_for_period(notice, tuple(_OTHER)):
        fields = meeting_fields(other, project)
        lines.append(Msg(texts[other.status], {**fields, "send": DateText(other.send_on)}))
    return lines


async def approver_line(uow: UnitOfWork, project: Project) -> Text:
    found = await approvers(uow, project.id)
    names = ListText(tuple(Plain(person.name) for person in found.people))
    if not found.people:
        return Msg(NO_APPROVER)
    if found.fallback:
        return Msg(APPROVED_BY_FALLBACK, {"names": names, "project": project_text(project)})
    return Msg(APPROVED_BY, {"names": names})


def sends_line(notice: CareNotice, project: Project, now: datetime | None = None, *, card: bool = False) -> Msg:
    """When the notice goes out. With ``now``: on its day in the coming delivery window, said from
    when (after 20:00 that is tomorrow 09:00); ``card`` (the approver's, drawn ``now``): a day
    already gone is "as soon as it is approved"."""
    name = project_text(project)
    if now is None:
        return Msg(SENDS, {"date": DateText(notice.send_on), "project": name})
    start = delivery_time(now, project.timezone).astimezone(ZoneInfo(project.timezone))
    if notice.send_on > start.date():
        return Msg(SENDS, {"date": DateText(notice.send_on), "project": name})
    if card:
        return Msg(SENDS_ASAP, {"project": name})
    return Msg(SENDS_FROM, {"date": DateText(start.date()), "time": DateTimeText(start, project.timezone, "HH:mm"),
                            "project": name})


def draft_buttons(notice: CareNotice, *, returned: bool = False) -> tuple[tuple[Button, ...], ...]:
    v = version(notice)
    edit = Button(Msg(RESUBMIT_BUTTON if returned else EDIT_BUTTON), encode(MeetingDraftPress(notice.id, EDIT, v)))
    drop = Button(Msg(DROP_BUTTON), encode(MeetingDraftPress(notice.id, DROP, v)))
    if returned:
        return ((edit,), (drop,))
    return ((Button(Msg(SUBMIT_BUTTON), encode(MeetingDraftPress(notice.id, SUBMIT, v))),), (edit, drop))


async def draft_card(uow: UnitOfWork, notice: CareNotice, project: Project) -> Reply:
    """The drafter's preview: the text owners will read, when it goes out, who approves it."""
    return Reply(Lines((Msg(PREVIEW), "", await preview(uow, notice, project), "", sends_line(notice, project),
                        *await warnings(uow, notice, project), await approver_line(uow, project))),
                 draft_buttons(notice))


def meeting_fields(notice: CareNotice, project: Project) -> dict[str, Text]:
    """The meeting's project, date and time, for the staff's messages about it."""
    local = _local(notice, project)
    return {"project": project_text(project), "date": DateText(local.date()),
            "time": DateTimeText(local, project.timezone, "HH:mm")}


async def approval_card(uow: UnitOfWork, notice: CareNotice, project: Project, drafted_by: Staff | None, *,
                        fallback: bool, now: datetime) -> Reply:
    """The approver's card (drawn ``now``): who asks, the meeting, the text owners will read, when it
    goes out, what he should know (little notice, another meeting this half year)."""
    head = Msg(CARD, {"drafter": Plain(drafted_by.name if drafted_by else "—"), **meeting_fields(notice, project)})
    lines: list[Text] = [head, "", await preview(uow, notice, project), "", sends_line(notice, project, now, card=True),
                         *await warnings(uow, notice, project, send_on=send_day(notice, project, now), approver=True)]
    if notice.comment:
        lines.append(Msg(EARLIER_COMMENT, {"comment": Plain(notice.comment)}))
    if fallback:
        lines.append(Msg(CARD_FALLBACK, {"project": project_text(project)}))
    v = version(notice)
    buttons = ((Button(Msg(APPROVE_BUTTON), encode(MeetingApprovalPress(notice.id, APPROVE, v))),
                Button(Msg(BACK_BUTTON), encode(MeetingApprovalPress(notice.id, BACK, v)))),)
    return Reply(Lines(tuple(lines)), buttons)


async def _own_notice(uow: UnitOfWork, actor: Actor, press: MeetingDraftPress) -> tuple[CareNotice, Project] | str:
    notice = await uow.care_meetings.notice(press.notice, lock=True)
    if notice is None or notice.kind != OWNER_MEETING or press.action not in (SUBMIT, EDIT, DROP):
        return NOT_VALID
    staff = await drafter(uow, actor)
    if staff is None or notice.drafted_by != staff.id:
        return ONLY_DRAFTER
    if notice.status not in EDITABLE:
        return {"submitted": WAITING, "cancelled": DISCARDED}.get(notice.status, APPROVED_ALREADY)
    if press.version != version(notice):
        return OLD_VERSION
    project = await uow.projects.get(notice.project_id)
    return (notice, project) if project is not None else NOT_VALID


async def drafter_press(uow: UnitOfWork, actor: Actor, press: MeetingDraftPress, now: datetime, *,
                        card: int | None = None) -> PressResult:
    """``card``: the pressed message (it shows what was done itself; the other sent-back messages
    of the notice lose their buttons once it is submitted again or discarded)."""
    if press.action == NEW:
        return await start(uow, actor, now)
    found = await _own_notice(uow, actor, press)
    if isinstance(found, str):
        return PressResult(refusal=found)
    notice, project = found
    if press.action == DROP:
        notice.status = "cancelled"
        return PressResult(replies=[Reply(Msg(DROPPED))], used=True, done=Msg(DROPPED_DONE),
                           edits=await _sent_back_cards(uow, actor, notice, card, Msg(DROPPED_DONE)))
    if press.action == EDIT:
        staff = await drafter(uow, actor)
        assert staff is not None
        local = _local(notice, project)
        earlier: dict[str, Any] = {"project": str(project.id), "date": local.date().isoformat(),
                                   "time": local.strftime("%H:%M"), "place": _place(notice, actor.locale)}
        lead = str((local.date() - notice.send_on).days)
        earlier.update(lead_answers(lead if lead in LEAD_DAYS else "0"))  # not so many days before: "at once"
        context = {"projects": _choices(await _projects(uow, staff)), "notice": notice.id, TODAY: _today(actor, now)}
        return PressResult(begin=(DRAFT_DIALOG, context), answers=earlier)
    result = await _submit(uow, notice, project, now)
    if result.used:
        result.edits = await _sent_back_cards(uow, actor, notice, card, Msg(SUBMITTED_DONE))
    return result


async def _sent_back_cards(uow: UnitOfWork, actor: Actor, notice: CareNotice, card: int | None,
                           done: Text) -> list[Edit]:
    """The drafter's "sent back" messages of the notice, redrawn with ``done`` and without their
    buttons (✏️ Edit and resubmit, 🗑 Discard): the notice went on from another message."""
    edits: list[Edit] = []
    for key, chat, _staff, message_ids in await uow.outbox.sent_with_prefix(f"approval:meeting:{notice.id}:"):
        if ":returned:" in key and chat == actor.chat_id and message_ids[-1] != card:
            edits += await used_message(uow, chat, message_ids[-1], done)
    return edits


def _place(notice: CareNotice, locale: str) -> str:
    place = notice.place or {}
    return place.get(locale) or next(iter(place.values()), "")


async def _submit(uow: UnitOfWork, notice: CareNotice, project: Project, now: datetime) -> PressResult:
    if notice.starts_at is None or notice.starts_at <= now:
        return PressResult(refusal=MEETING_PASSED)
    found = await approvers(uow, project.id)
    if not found.people:
        return PressResult(refusal=NO_APPROVER)
    notice.status = "submitted"
    stamp = now.strftime("%Y%m%d%H%M%S")
    drafted_by = await uow.staff.get(notice.drafted_by) if notice.drafted_by else None
    card = await approval_card(uow, notice, project, drafted_by, fallback=found.fallback, now=now)
    not_before = await staff_delivery_time(uow, project.id, now)  # to another person: his working window
    for person in found.people:
        assert person.chat_id is not None
        await enqueue(uow, key=f"approval:meeting:{notice.id}:{version(notice)}:{stamp}:staff:{person.id}",
                      purpose=Purpose.REMINDER, chat_id=person.chat_id, staff_id=person.id, now=now, reply=card,
                      not_before=not_before)
    names = ListText(tuple(Plain(person.name) for person in found.people))
    return PressResult(replies=[Reply(Msg(SUBMITTED, {"names": names}))], used=True, done=Msg(SUBMITTED_DONE))
