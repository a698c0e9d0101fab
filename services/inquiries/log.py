"""《与顾客沟通登记表》: log inquiries, suggestions and praise; customer service reads them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dialogs.actions import ReplyPress, encode
from dialogs.engine import Button, Reply
from dialogs.inquiry import KINDS
from dialogs.phones import mask_phone
from dialogs.text import N_, DateTimeText, Field, Lines, Msg, Plain, Text
from services.calendar.delivery import working_delivery_time
from services.calendar.workdays import calendar_for
from services.common.actor import Actor, Completion
from services.common.pages import clipped, next_page, page_note
from services.people.roles import Department, can_read_communication_log
from services.pushes import outbox
from services.pushes.purposes import Purpose
from storage.models import CommunicationEntry
from storage.uow import UnitOfWork


def entry_number(entry_id: int) -> str:
    return f"GT-{entry_id:06d}"


async def complete_inquiry(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    owner = await uow.owners.get(actor.identity.owner_id) if actor.identity.owner_id else None
    entry = CommunicationEntry(
        created_at=now,
        channel="telegram",
        kind=str(answers["kind"]),
        owner_id=owner.id if owner else None,
        telegram_user_id=actor.identity.user_id,
        chat_id=actor.chat_id,
        name=owner.name if owner else answers.get("name"),
        phone=owner.phone if owner else answers.get("phone"),
        text=str(answers["text"]),
        status="open",
    )
    uow.communication.add(entry)
    await uow.flush()
    await tell_customer_service(uow, entry, now, actor_staff_id=actor.identity.staff_id)
    return Completion((Reply(Msg(N_("Reference number: {number}"), {"number": entry_number(entry.id)})),))


async def tell_customer_service(
    uow: UnitOfWork, entry: CommunicationEntry, now: datetime, *, actor_staff_id: int | None = None,
) -> int:
    """A new message to the customer service who may answer it (the owner's projects, company-wide
    staff, and for a person not yet registered every project's, as /inbox shows it), with its reply
    button; in working hours on their working days, like every staff notice."""
    projects = ({unit.building.project for unit in await uow.units.units_of_owner(entry.owner_id)}
                if entry.owner_id else set())
    scopes: list[int | None] = [project.id for project in projects] or [None]
    people = {person.id: person for scope in scopes
              for person in await uow.staff.reachable(scope, departments=[Department.CUSTOMER_SERVICE])
              if person.id != actor_staff_id}
    home = min(projects, key=lambda project: project.id) if projects else None
    sent = 0
    for person in people.values():
        project = await uow.projects.get(person.project_id) if person.project_id else home
        region, zone = (project.region, project.timezone) if project else ("CN", "Asia/Shanghai")
        text = Lines((Msg(N_("📨 New message for customer service")), entry_block(entry, zone)))
        button = Button(Msg(N_("Reply to {number}"), {"number": entry_number(entry.id)}), encode(ReplyPress(entry.id)))
        if person.chat_id is not None and await outbox.enqueue(
            uow, key=f"communication:{entry.id}:new:staff:{person.id}", purpose=Purpose.INQUIRY, chat_id=person.chat_id,
            reply=Reply(text, ((button,),)), now=now, staff_id=person.id,
            not_before=working_delivery_time(now, zone, await calendar_for(uow, region)),
        ):
            sent += 1
    return sent


INBOX_PAGE = 5  # five messages of up to 200 characters shown stay well within a Telegram message


def _readable(actor: Actor) -> bool:
    identity = actor.identity
    return identity.is_staff and can_read_communication_log(identity.department or "", identity.role or "")


def entry_block(entry: CommunicationEntry, timezone: str, *, full: bool = False) -> Lines:
    who: Text = Plain(entry.name or "—")
    if entry.owner_id is None:
        who = Msg(N_("{name} (not registered)"), {"name": Plain(entry.name or "—")})
    return Lines((
        Field(Msg(N_("No.")), Plain(entry_number(entry.id))),
        Field(Msg(N_("Time")), DateTimeText(entry.created_at, timezone)),
        Field(Msg(N_("Type")), Msg(KINDS.get(entry.kind, KINDS["other"]))),
        Field(Msg(N_("From")), who),
        Field(Msg(N_("Phone")), Plain(mask_phone(entry.phone) if entry.phone else "—")),
        Field(Msg(N_("Message")), Plain(entry.text if full else clipped(entry.text))),
    ))


async def inbox(uow: UnitOfWork, actor: Actor, offset: int = 0) -> Reply:
    """Open messages, newest first, a page at a time, for staff whose role lets them read the log
    (staff of one project see its owners' messages and those of people not yet registered)."""
    if not _readable(actor):
        return Reply(Msg(N_("This command is for customer service staff.")))
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    entries, total = await uow.communication.page(
        status="open", project_id=staff.project_id if staff else None, offset=offset, limit=INBOX_PAGE)
    if not entries:
        return Reply(Msg(N_("No open messages.")))
    blocks: list[Text] = [Msg(N_("Open messages (newest first):"))]
    for entry in entries:
        blocks.extend((Plain(""), entry_block(entry, actor.timezone)))
    note = page_note(offset, len(entries), total)
    buttons = tuple(
        (Button(Msg(N_("Reply to {number}"), {"number": entry_number(entry.id)}), encode(ReplyPress(entry.id))),)
        for entry in entries
    )
    return Reply(Lines((*blocks, *([Plain(""), note] if note else []))),
                 (*buttons, *next_page("inbox", offset, len(entries), total)))


async def begin_reply(
    uow: UnitOfWork, actor: Actor, entry_id: int
) -> tuple[Reply, str, dict[str, Any]] | str:
    """The whole message, and the dialog to start for a reply button; or the msgid of the refusal."""
    if not _readable(actor):
        return N_("This option is not available to you.")
    entry = await uow.communication.get(entry_id)
    if entry is None or not await _in_scope(uow, actor, entry):
        return N_("This button is not valid.")
    if entry.status != "open":
        return N_("This message has already been answered.")
    return Reply(entry_block(entry, actor.timezone, full=True)), "inquiry_reply", {"entry": entry.id}


async def _in_scope(uow: UnitOfWork, actor: Actor, entry: CommunicationEntry) -> bool:
    """Staff of one project answer its owners (and people not registered), never another project's."""
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    if staff is None or staff.project_id is None or entry.owner_id is None:
        return staff is not None
    return any(unit.building.project_id == staff.project_id for unit in await uow.units.units_of_owner(entry.owner_id))


async def complete_reply(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """Record customer service's answer on the log row and relay it to the person (DOMAIN 1.8)."""
    entry = await uow.communication.get(int(answers["entry"]))
    if entry is None or entry.status != "open" or not actor.identity.staff_id:
        return Completion((Reply(Msg(N_("This message has already been answered."))),))
    entry.reply, entry.replied_by, entry.replied_at, entry.status = str(answers["text"]), actor.identity.staff_id, now, "answered"
    if entry.chat_id is not None:
        text = Lines((
            Msg(N_("Customer service replied to your message {number}:"), {"number": entry_number(entry.id)}),
            Plain(entry.reply),
        ))
        await outbox.enqueue(uow, key=f"communication:{entry.id}:reply", purpose=Purpose.REPLY, chat_id=entry.chat_id,
                             reply=Reply(text),
                             now=now, owner_id=entry.owner_id)
    return Completion((Reply(Msg(N_("Reply to {number} sent."), {"number": entry_number(entry.id)})),))
