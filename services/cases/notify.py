"""Who hears about a case, and when (every message is an outbox row written in the same
transaction as the change that caused it)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from dialogs.actions import OwnerCasePress, StaffCasePress, encode
from dialogs.engine import Button, Reply
from dialogs.text import Lines, Msg, Text
from services.calendar.delivery import delivery_time, working_delivery_time
from services.calendar.workdays import calendar_for
from services.cases.kinds import Buttons, kind_of
from services.people.roles import SUPERVISOR_ROLES, Department
from services.pushes import outbox
from services.pushes.purposes import Purpose
from storage.models import Staff, Ticket, TicketEvent
from storage.uow import UnitOfWork


async def staff_card(uow: UnitOfWork, ticket: Ticket, headline: Msg, *, viewer: Staff | None = None,
                     now: datetime | None = None) -> Text:
    """The case card as ``viewer`` sees it (the owner's phone in full only to whoever acts on it)."""
    return await kind_of(ticket).staff_card(uow, ticket, headline, viewer=viewer, now=now)


async def buttons_for(uow: UnitOfWork, staff: Staff, ticket: Ticket) -> Buttons:
    """The buttons a staff member gets under a case card: what their role allows now."""
    return await kind_of(ticket).staff_buttons(uow, staff, ticket)


async def send_card(
    uow: UnitOfWork, people: Sequence[Staff], ticket: Ticket, key: str, headline: Msg, now: datetime, *,
    not_before: datetime, purpose: Purpose, extra: Text | None = None, media: Sequence[dict[str, str]] = (),
) -> int:
    """The case card to each person (``key:staff:<id>``), with the buttons their role allows and
    the owner's phone as that person may see it (DOMAIN 5.2). Of ``media``, each chat gets only the
    photos and files it does not have yet: the first card about a case carries them, later ones are
    the card alone (its Attachments line counts them), and photos the owner adds go out once."""
    added = 0
    for person in people:
        if person.chat_id is None:
            continue
        card = await staff_card(uow, ticket, headline, viewer=person, now=now)
        text: Text = Lines((card, extra)) if extra is not None else card
        had = await outbox.media_sent(uow, person.chat_id, ticket.id) if media else set()
        if await outbox.enqueue(
            uow, key=f"{key}:staff:{person.id}", purpose=purpose, chat_id=person.chat_id,
            reply=Reply(text, await buttons_for(uow, person, ticket)), now=now, not_before=not_before,
            staff_id=person.id, media=[m for m in media if m.get("file_id") not in had], ticket_id=ticket.id,
        ):
            added += 1
    return added


async def notify_staff(
    uow: UnitOfWork, people: Sequence[Staff], ticket: Ticket, event: TicketEvent, headline: Msg, now: datetime,
    *, with_media: bool = True, media: Sequence[dict[str, str]] | None = None, extra: Text | None = None,
    urgent: bool = False,
) -> int:
    """The case card about one event to each person. Delivered in working hours on working days,
    except urgent ones (a major complaint goes out at once)."""
    attachments = media if media is not None else (ticket.attachments if with_media else ())
    not_before = now if urgent else await staff_delivery(uow, ticket, now)
    reachable = [p for p in people if p.chat_id is not None]
    await send_card(uow, reachable, ticket, f"ticket:{ticket.id}:event:{event.id}", headline, now,
                    not_before=not_before, purpose=Purpose.CASE, extra=extra, media=attachments)
    return len(reachable)


async def workers(uow: UnitOfWork, ticket: Ticket) -> list[Staff]:
    """Who works on a case: its handler, or the lead department while nobody has accepted it
    (or the handler can no longer be reached)."""
    handler = await uow.staff.get(ticket.handler_id) if ticket.handler_id else None
    if handler is not None and handler.active and handler.chat_id is not None:
        return [handler]
    return list(await uow.staff.reachable(ticket.project_id, departments=[ticket.lead_department]))


async def notify_workers(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, headline: Msg, now: datetime, *,
    extra: Text | None = None, media: list[dict[str, str]] | None = None,
) -> None:
    """The handler, or the lead department while nobody has accepted the case."""
    await notify_staff(uow, await workers(uow, ticket), ticket, event, headline, now, media=media or [], extra=extra)


async def supervisors(uow: UnitOfWork, ticket: Ticket) -> list[Staff]:
    """The lead department's managers and customer service's managers (DOMAIN 4.5)."""
    people = await uow.staff.reachable(
        ticket.project_id, departments=[ticket.lead_department, Department.CUSTOMER_SERVICE],
        roles=list(SUPERVISOR_ROLES),
    )
    return list(people)


async def notify_customer_service(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, headline: Msg, now: datetime, *,
    extra: Text | None = None, managers_only: bool = False,
) -> int:
    roles = list(SUPERVISOR_ROLES) if managers_only else []
    people = await uow.staff.reachable(ticket.project_id, departments=[Department.CUSTOMER_SERVICE], roles=roles)
    return await notify_staff(uow, people, ticket, event, headline, now, with_media=False, extra=extra)


async def notify_owner(
    uow: UnitOfWork, ticket: Ticket, event: TicketEvent, text: Text, now: datetime,
    buttons: Buttons = (),
) -> bool:
    """A message about the owner's own case (no consent needed, DOMAIN 4.6), in the window."""
    owner = await uow.owners.get(ticket.owner_id) if ticket.owner_id else None
    if owner is None or owner.chat_id is None:
        return False
    project = await uow.projects.get(ticket.project_id) if ticket.project_id else None
    return await outbox.enqueue(
        uow, key=f"ticket:{ticket.id}:event:{event.id}:owner", purpose=Purpose.CASE, chat_id=owner.chat_id,
        reply=Reply(text, buttons), now=now, owner_id=owner.id,
        not_before=delivery_time(now, project.timezone if project else "Asia/Shanghai"),
    )


async def staff_delivery(uow: UnitOfWork, ticket: Ticket, now: datetime) -> datetime:
    project = await uow.projects.get(ticket.project_id) if ticket.project_id else None
    region, zone = (project.region, project.timezone) if project else ("CN", "Asia/Shanghai")
    return working_delivery_time(now, zone, await calendar_for(uow, region))


async def cancel_reminders(uow: UnitOfWork, ticket: Ticket, *deadlines: str) -> None:
    """Planned reminders about a deadline that was met or moved are not sent after all."""
    for which in deadlines:
        for kind in ("remind", "overdue"):
            await uow.outbox.cancel_pending(f"{kind}:{which}:{ticket.id}:", "deadline met or moved")


def owner_button(ticket: Ticket, label: str, action: str) -> Button:
    return Button(Msg(label), encode(OwnerCasePress(ticket.id, action)))


def staff_button(ticket: Ticket, label: str, action: str) -> Button:
    return Button(Msg(label), encode(StaffCasePress(ticket.id, action)))
