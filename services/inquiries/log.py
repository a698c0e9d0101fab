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
from services.common.actor import Actor, Completion
from services.people.roles import can_read_communication_log
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
    return Completion((Reply(Msg(N_("Reference number: {number}"), {"number": entry_number(entry.id)})),))


async def inbox(uow: UnitOfWork, actor: Actor, limit: int = 10) -> Reply:
    """The latest open messages, for staff whose role lets them read the log."""
    identity = actor.identity
    if not identity.is_staff or not can_read_communication_log(identity.department or "", identity.role or ""):
        return Reply(Msg(N_("This command is for customer service staff.")))
    entries = await uow.communication.recent(limit=limit, status="open")
    if not entries:
        return Reply(Msg(N_("No open messages.")))
    blocks: list[Text] = [Msg(N_("Open messages (newest first):"))]
    for entry in entries:
        who: Text = Plain(entry.name or "—")
        if entry.owner_id is None:
            who = Msg(N_("{name} (not registered)"), {"name": Plain(entry.name or "—")})
        blocks.append(
            Lines(
                (
                    Plain(""),
                    Field(Msg(N_("No.")), Plain(entry_number(entry.id))),
                    Field(Msg(N_("Time")), DateTimeText(entry.created_at, actor.timezone)),
                    Field(Msg(N_("Type")), Msg(KINDS.get(entry.kind, KINDS["other"]))),
                    Field(Msg(N_("From")), who),
                    Field(Msg(N_("Phone")), Plain(mask_phone(entry.phone) if entry.phone else "—")),
                    Field(Msg(N_("Message")), Plain(entry.text)),
                )
            )
        )
    buttons = tuple(
        (Button(Msg(N_("Reply to {number}"), {"number": entry_number(entry.id)}), encode(ReplyPress(entry.id))),)
        for entry in entries
    )
    return Reply(Lines(tuple(blocks)), buttons)


async def begin_reply(uow: UnitOfWork, actor: Actor, entry_id: int) -> tuple[str, dict[str, Any]] | str:
    """The dialog to start for a reply button, or the msgid of the refusal."""
    identity = actor.identity
    if not identity.is_staff or not can_read_communication_log(identity.department or "", identity.role or ""):
        return N_("This option is not available to you.")
    entry = await uow.communication.get(entry_id)
    if entry is None:
        return N_("This button is not valid.")
    if entry.status != "open":
        return N_("This message has already been answered.")
    return "inquiry_reply", {"entry": entry.id}


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
