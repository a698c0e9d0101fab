"""/mydata (DOMAIN 5.3): an owner asks what the company holds about him and gets it as one
workbook in chat — his record, units, cases (his own texts and ratings, not staff notes), every
consent decision with its time and wording, his survey answers and the messages he left.

The file is rendered in the owner's language and kept in the database with the outbox row that
uploads it, in the command's own transaction; the request is recorded (``DataRequest`` export, done)."""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from dialogs.engine import Reply
from dialogs.text import N_, Msg, Plain, Text
from services.care.deletion import delete_button
from services.cases.kinds import kind_of
from services.cases.statuses import STATUS_LABELS
from services.common.actor import Actor
from services.common.sheets import Cell, fill_sheet, rendered
from services.people.identity import Kind
from services.pushes.outbox import enqueue, store_upload
from services.pushes.purposes import Purpose
from storage.models import Owner, Unit
from storage.repositories.data_requests import OwnerHoldings
from storage.uow import UnitOfWork

FILE_TITLE = N_("My data")
SENT = N_("The file above is everything we hold about you.")
STAFF_ONLY_OWNERS = N_("/mydata is for owners: it sends an owner what we hold about them. "
                       "Your staff record is kept by the office.")
NOT_AN_OWNER = N_("We hold no owner record for this chat. If you are an owner, register first: send /start.")
NOT_FOUND = N_("We could not find your record. Please contact customer service.")

PROFILE, UNITS, CASES, CONSENTS, ANSWERS, MESSAGES = (
    N_("Profile"), N_("Units"), N_("Cases"), N_("Consents"), N_("Survey answers"), N_("Messages"))
ITEM_HEADERS = (N_("Item"), N_("On record"))
# The handover of the unit (交付; HK 交樓, TW 交屋), not the owner's move-in (入住 / 入伙) in his profile.
UNIT_HEADERS = (N_("Project"), N_("Building"), N_("Unit"), N_("Handover date"))
CASE_HEADERS = (N_("Case number"), N_("Kind"), N_("Category"), N_("Status"), N_("Received on"), N_("Resolved on"),
                N_("Closed on"), N_("Your description"), N_("Result"), N_("Rating of the result"),
                N_("Rating of the attitude"), N_("Your comment"))
CONSENT_HEADERS = (N_("Messages about"), N_("Decision"), N_("Wording version"), N_("Given in"), N_("Recorded"))
ANSWER_HEADERS = (N_("Survey campaign"), N_("Question"), N_("Answer"), N_("Answered on"))
MESSAGE_HEADERS = (N_("Sent"), N_("Kind"), N_("Your message"), N_("Our reply"))

CASE_KINDS = {"complaint": N_("Complaint"), "repair": N_("Repair")}
CONSENT_KINDS = {"greetings": N_("Birthday and family greetings"), "events": N_("Community events"),
                 "surveys": N_("Surveys")}
CONSENT_SOURCES = {"chat": N_("chat"), "settings": N_("settings"), "admin": N_("signed consent form")}
NO_RECORDS = N_("No records")  # the one row of an empty sheet
ENTRY_KINDS = {"inquiry": N_("Inquiry"), "suggestion": N_("Suggestion"), "praise": N_("Praise"),
               "other": N_("Other")}


def _coded(labels: dict[str, str], code: str) -> Text:
    return Msg(labels[code]) if code in labels else Plain(code)


def _birthday(owner: Owner) -> Text | None:
    if not (owner.birthday_month and owner.birthday_day):
        return None
    year = f"{owner.birthday_year}-" if owner.birthday_year else ""
    if owner.birthday_calendar == "lunar":
        return Msg(N_("lunar calendar, month {month}{leap}, day {day}"),
                   {"month": owner.birthday_month, "day": owner.birthday_day,
                    "leap": Msg(N_(" (leap)")) if owner.birthday_leap else ""})
    return Plain(f"{year}{owner.birthday_month:02d}-{owner.birthday_day:02d}")


def profile_rows(owner: Owner, local: Callable[[datetime | None], datetime | None]) -> list[list[Cell]]:
    rows: list[tuple[str, Cell]] = [
        (N_("Name"), Plain(owner.name)), (N_("Phone"), Plain(owner.phone)), (N_("Birthday"), _birthday(owner)),
        (N_("Subscription date"), owner.subscription_date), (N_("Contract date"), owner.contract_date),
        (N_("Moved in"), owner.move_in_date), (N_("Language"), Plain(owner.locale) if owner.locale else None),
        (N_("Linked to the bot"), local(owner.bound_at)), (N_("Record created"), local(owner.created_at))]
    return [[Msg(name), value] for name, value in rows]


def unit_rows(units: Sequence[Unit]) -> list[list[Cell]]:
    return [[Plain(u.building.project.name), Plain(u.building.name), Plain(u.number), u.delivery_date] for u in units]


def case_rows(held: OwnerHoldings, local: Callable[[datetime | None], datetime | None]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for t in held.tickets:
        try:
            category: Text = kind_of(t).category_label(t)
        except (KeyError, ValueError):  # a kind or category this version no longer has: its code
            category = Plain(t.category)
        rows.append([Plain(t.number), _coded(CASE_KINDS, t.kind), category, _coded(STATUS_LABELS, t.status),
                     local(t.received_at), local(t.resolved_at), local(t.closed_at), Plain(t.description),
                     Plain(t.result) if t.result else None, t.rating_result, t.rating_attitude,
                     Plain(t.rating_comment) if t.rating_comment else None])
    return rows


def consent_rows(held: OwnerHoldings, local: Callable[[datetime | None], datetime | None]) -> list[list[Cell]]:
    return [[_coded(CONSENT_KINDS, c.kind), Msg(N_("Agreed") if c.granted else N_("Withdrawn")), Plain(c.wording),
             _coded(CONSENT_SOURCES, c.source), local(c.recorded_at)] for c in held.consents]


def answer_rows(held: OwnerHoldings, local: Callable[[datetime | None], datetime | None]) -> list[list[Cell]]:
    rows: list[list[Cell]] = []
    for a in held.answers:
        parts = [str(a.score)] if a.score is not None else []
        parts += [", ".join(str(c) for c in a.choice)] if a.choice else []
        parts += [a.text] if a.text else []
        rows.append([Plain(a.campaign), Plain(a.question), Plain(" · ".join(parts)) if parts else None,
                     local(a.answered_at)])
    return rows


def message_rows(held: OwnerHoldings, local: Callable[[datetime | None], datetime | None]) -> list[list[Cell]]:
    return [[local(e.created_at), _coded(ENTRY_KINDS, e.kind), Plain(e.text), Plain(e.reply) if e.reply else None]
            for e in held.entries]


def workbook(owner: Owner, units: Sequence[Unit], held: OwnerHoldings, zone: str,
             label: Callable[[Text], str]) -> bytes:
    """The owner's data as an .xlsx file's bytes, a sheet per kind, times in his project's zone."""
    from openpyxl import Workbook

    tz = ZoneInfo(zone)

    def local(moment: datetime | None) -> datetime | None:
        return moment.astimezone(tz).replace(tzinfo=None) if moment is not None else None

    sheets: list[tuple[str, Sequence[str], list[list[Cell]]]] = [
        (PROFILE, ITEM_HEADERS, profile_rows(owner, local)), (UNITS, UNIT_HEADERS, unit_rows(units)),
        (CASES, CASE_HEADERS, case_rows(held, local)), (CONSENTS, CONSENT_HEADERS, consent_rows(held, local)),
        (ANSWERS, ANSWER_HEADERS, answer_rows(held, local)), (MESSAGES, MESSAGE_HEADERS, message_rows(held, local))]
    book = Workbook()
    for index, (name, headers, rows) in enumerate(sheets):
        sheet = book.active if index == 0 else book.create_sheet()
        fill_sheet(sheet, label(Msg(name)), [label(Msg(h)) for h in headers],
                   rendered(rows or [[Msg(NO_RECORDS)]], label),
                   autofilter=name != PROFILE)
    book.properties.title = label(Msg(FILE_TITLE))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


async def send_my_data(uow: UnitOfWork, actor: Actor, now: datetime,
                       label: Callable[[Text], str] | None) -> Reply | None:
    """Queue the owner's workbook for his chat; a refusal's reply for anyone else, None when queued."""
    if actor.identity.kind == Kind.STAFF:
        return Reply(Msg(STAFF_ONLY_OWNERS))
    owner_id = actor.identity.owner_id
    if actor.identity.kind != Kind.OWNER or owner_id is None:
        return Reply(Msg(NOT_AN_OWNER))
    owner = await uow.owners.get(owner_id)
    if owner is None or label is None:
        return Reply(Msg(NOT_FOUND))
    units = await uow.units.units_of_owner(owner_id)
    held = await uow.data_requests.holdings(owner_id)
    # Writing takes CPU: off the event loop, which serves every chat.
    content = await asyncio.to_thread(workbook, owner, units, held, actor.timezone, label)
    day = now.astimezone(ZoneInfo(actor.timezone)).date().isoformat()
    name = f"{label(Msg(FILE_TITLE))} {day}.xlsx"
    request = await uow.data_requests.record(owner_id, "export", "done", now, done=True)
    media = [await store_upload(uow, "document", name, content, now)]
    await enqueue(uow, key=f"mydata:{request.id}", purpose=Purpose.ANSWER, chat_id=actor.chat_id,
                  owner_id=owner_id, now=now, media=media, reply=Reply(Msg(SENT), (delete_button(),)))
    return None
