"""The follow-up itself, for every subject: opening it, its card and buttons, a press (view, reached,
not reached), the outcome dialog's completion, and its place at the top of the /queue.

A follow-up is due one working day after it opens (like the callback of DOMAIN 2.5). Its card
gives whoever calls the owner's full number (DOMAIN 5.2) and two buttons: 📵 not reached (the
attempt is recorded, the follow-up stays open) and ✅ reached, which asks what was agreed and
whether the owner is satisfied now, then closes it. ``reminders.FollowUpRule`` reminds an open one
on every working day from its due day on.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogs.engine import Button, Reply
from dialogs.text import N_, DateText, Field, Lines, Msg, Plain, Text
from services.calendar.workdays import calendar_for
from services.cases.results import ActionResult
from services.chats.pressed import PRESSED_CARD
from services.common.actor import Actor, Completion
from services.follow_ups.subject import Subject, subject_of
from services.people.roles import Department
from services.pushes import outbox
from services.pushes.purposes import Purpose
from services.pushes.transport import Edit
from storage.models import FollowUp, Staff
from storage.uow import UnitOfWork

DUE_WORKING_DAYS = 1  # the call is due within a working day, as the callback of DOMAIN 2.5
OPEN, DONE = "open", "done"

# The buttons' codes, the same for every subject (a case carries them in ``StaffCasePress``, a
# survey answer in ``FollowUpPress``).
VIEW, REACHED, NOT_REACHED = "fu", "fr", "fn"
CODES = (VIEW, REACHED, NOT_REACHED)

ALREADY_CLOSED = N_("This follow-up is already closed.")
STALE = N_("This follow-up changed meanwhile; nothing was recorded.")


async def due_day(uow: UnitOfWork, zone: str, region: str, now: datetime) -> date:
    """The working day a follow-up opened ``now`` is due, in its project's zone and calendar."""
    calendar = await calendar_for(uow, region)
    return calendar.add_working_days(now.astimezone(ZoneInfo(zone)).date(), DUE_WORKING_DAYS)


async def send_follow_up(
    uow: UnitOfWork, follow_up: FollowUp, subject: Subject, key: str, headline: Msg, now: datetime, *,
    not_before: datetime,
) -> int:
    """The follow-up card to each person who may act on it (``key:staff:<id>``), with the buttons."""
    sent = 0
    for person in await subject.people(uow):
        if person.chat_id is None:
            continue
        card = await follow_up_card(uow, follow_up, subject, person, headline, now)
        if await outbox.enqueue(uow, key=f"{key}:staff:{person.id}", purpose=Purpose.REMINDER, chat_id=person.chat_id,
                                reply=Reply(card, subject.buttons(follow_up)), now=now, not_before=not_before,
                                staff_id=person.id):
            sent += 1
    return sent


async def follow_up_card(
    uow: UnitOfWork, follow_up: FollowUp, subject: Subject, viewer: Staff, headline: Msg, now: datetime,
) -> Text:
    """What the caller needs: the subject's lines (owner, phone, what was rated and said), the status."""
    lines = await subject.card_lines(uow, follow_up, viewer, now)
    return Lines((headline, *lines, *status_lines(follow_up)))


def status_lines(follow_up: FollowUp) -> list[Text]:
    if follow_up.status == DONE:
        return [Msg(N_("✅ Follow-up done: the owner is satisfied now.") if follow_up.satisfied
                    else N_("✅ Follow-up done: the owner is still not satisfied.")),
                Field(Msg(N_("Agreed with the owner")), Plain(follow_up.agreed or "—"))]
    lines: list[Text] = [Msg(N_("📞 Follow-up open: call the owner by {date}."), {"date": DateText(follow_up.due)})]
    if follow_up.attempts:
        lines.append(Msg(N_("Calls that did not reach the owner: {n}"), {"n": follow_up.attempts}))
    return lines


async def press(
    uow: UnitOfWork, staff: Staff, subject: Subject, follow_up: FollowUp, code: str, now: datetime,
) -> ActionResult:
    """A follow-up button by someone who may act on this open follow-up (checked by the caller)."""
    if code == REACHED:
        return ActionResult(begin=(subject.outcome_dialog, {"follow_up": follow_up.id}))
    if code == NOT_REACHED:
        follow_up.attempts += 1
        follow_up.last_attempt_at = now
        await subject.record_attempt(uow, now, actor="staff", staff_id=staff.id, follow_up=follow_up.id,
                             attempt=follow_up.attempts)
        text = Msg(subject.texts.not_reached, {"number": subject.reference, "n": follow_up.attempts})
        return ActionResult([Reply(text, subject.buttons(follow_up))])
    headline = Msg(subject.texts.view, {"number": subject.reference})
    card = await follow_up_card(uow, follow_up, subject, staff, headline, now)
    return ActionResult([Reply(card, subject.buttons(follow_up) if follow_up.status == OPEN else ())])


async def complete_outcome(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """The call reached the owner: what was agreed and whether they are satisfied now close the
    follow-up (the completer of every subject's outcome dialog)."""
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    follow_up = await uow.follow_ups.get(int(answers["follow_up"]), lock=True) if answers.get("follow_up") else None
    subject = await subject_of(uow, follow_up, lock=True) if follow_up is not None else None
    if staff is None or follow_up is None or subject is None:
        return Completion((Reply(Msg(STALE)),))
    if follow_up.status != OPEN or not subject.may_act(staff):
        return Completion((Reply(Msg(subject.texts.stale)),))
    satisfied = str(answers["satisfied"]) == "yes"
    follow_up.status, follow_up.closed_at, follow_up.closed_by = DONE, now, staff.id
    follow_up.agreed, follow_up.satisfied = str(answers["agreed"]), satisfied
    await subject.record_closed(uow, now, actor="staff", staff_id=staff.id, follow_up=follow_up.id,
                         agreed=follow_up.agreed, satisfied=satisfied)
    text = subject.texts.closed_satisfied if satisfied else subject.texts.closed_unsatisfied
    edits = await closed_cards(uow, follow_up, subject, staff, actor.chat_id, answers.get(PRESSED_CARD), now)
    return Completion((Reply(Msg(text, {"number": subject.reference})),), edits=tuple(edits))


CARD_KEYS = (":opened:", ":remind:")  # the outbox rows that carried a follow-up's card and buttons
COPIES_REDRAWN = 3  # per chat, the newest


async def closed_cards(
    uow: UnitOfWork, follow_up: FollowUp, subject: Subject, presser: Staff, chat_id: int, pressed: object,
    now: datetime,
) -> list[Edit]:
    """Once a follow-up is closed, every card of it that was sent — the one pressed and each
    colleague's copy, openings and reminders — shows the outcome, without buttons and with the
    phone as each reader may see it now; the copies not yet sent are not sent at all."""
    prefix = f"follow_up:{follow_up.id}:"
    for kind in CARD_KEYS:
        await uow.outbox.cancel_pending(prefix + kind.strip(":"), "follow-up closed")
    headline = Msg(subject.texts.view, {"number": subject.reference})
    edits: list[Edit] = []
    drawn: dict[int, Reply] = {}  # per staff member, in their own chat
    per_chat: dict[int, int] = {}
    # The newest copies first, at most a few per chat: each is a Bot API call made at once, and a
    # follow-up reminded for weeks has many; older copies keep buttons that answer "already closed".
    for key, chat, staff_id, message_ids in reversed(await uow.outbox.sent_with_prefix(prefix)):
        viewer = presser if chat == chat_id else await uow.staff.get(staff_id) if staff_id else None
        if not any(kind in key for kind in CARD_KEYS) or viewer is None:
            continue
        per_chat[chat] = per_chat.get(chat, 0) + 1
        if per_chat[chat] > COPIES_REDRAWN:
            continue
        if viewer.id not in drawn:
            drawn[viewer.id] = Reply(await follow_up_card(uow, follow_up, subject, viewer, headline, now))
        own = chat == chat_id
        saved = None if own or viewer.locale else await uow.chats.get(chat)
        edits.append(Edit(message_ids[-1], drawn[viewer.id], chat_id=None if own else chat,
                          locale=None if own else viewer.locale or (saved.locale if saved else None)))
    if isinstance(pressed, int) and not any(e.chat_id is None and e.message_id == pressed for e in edits):
        card = drawn.get(presser.id) or Reply(await follow_up_card(uow, follow_up, subject, presser, headline, now))
        edits.append(Edit(pressed, card))  # a card from the queue, or a "not reached" reply
    return edits


async def queue_entries(uow: UnitOfWork, staff: Staff, now: datetime) -> list[tuple[Text, Button]]:
    """A line and a button per open follow-up this person may record, for the top of their queue
    (⏰ once its day has passed); nothing for anyone outside customer service."""
    if staff.department != Department.CUSTOMER_SERVICE:
        return []
    entries: list[tuple[Text, Button]] = []
    for follow_up in await uow.follow_ups.open_for(staff.project_id):
        subject = await subject_of(uow, follow_up)
        if subject is None or not subject.may_act(staff):
            continue
        late = now.astimezone(ZoneInfo(subject.zone)).date() > follow_up.due
        params: dict[str, Text] = {"number": subject.reference, "category": subject.category,
                                   "date": DateText(follow_up.due)}
        line = Msg(subject.texts.queue_late if late else subject.texts.queue, params)
        entries.append((line, subject.view_button(follow_up)))
    return entries
