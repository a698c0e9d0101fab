"""The care calendar per owner (DOMAIN 4.1, 4.3, 4.4): push rules for the welcome after subscription
(认购), the delivery notice 《商品房交付通知书》 ten days before handover, the one-year house-quality
inspection notice, and congratulations on family occasions.

Every rule plans per time zone (zones with the same date and window in one statement), only until
20:00 local (a round after that plans nothing for the day; before 09:00 the rows wait for 09:00),
reads only the rows due, and is idempotent by key:
- ``welcome:<owner>`` (CARE) and ``welcome-staff:<owner>`` to his specialist (or
  ``welcome-staff:<owner>:<manager>`` to the project's customer-service managers when he has none):
  from the subscription day to 7 days after it.
- ``delivery:<unit>:<owner>`` (CARE, the project's delivery guides attached): from 10 days before
  the delivery date down to the day before, so a date registered late still gets one.
- ``inspection:<unit>:<owner>`` (CARE): from 14 days before the first anniversary of delivery
  down to the day before; 29 February's anniversary is 28 February.
- ``occasion:<id>:<owner>`` (GREETING, consent to greetings): on the occasion's date.
"""

from __future__ import annotations

import json
from calendar import isleap
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from dialogs.engine import Reply, reply_to_json
from dialogs.phones import display_phone, mask_phone
from dialogs.text import N_, DateText, Msg, Plain, Text, text_to_json
from services.calendar.delivery import WINDOW_END, delivery_window, staff_delivery_time
from services.care.templates import CareKind, care_text, register_kind
from services.people.project_names import project_text
from services.people.roles import SUPERVISOR_ROLES, Department
from services.pushes import outbox
from services.pushes.purposes import DEFAULT_PRIORITY, PRIORITY, Purpose
from services.pushes.rules import PlanRound
from storage.models import Staff
from storage.repositories.care_calendar import (
    BUILDING,
    CONTACT,
    DATE_SLOT,
    NAME,
    PROJECT,
    SPECIALIST,
    UNIT,
    KeyedSlot,
    NewOwner,
    OptionalSlot,
    Planned,
    UnitLabel,
)
from storage.uow import UnitOfWork

WELCOME_DAYS = 7  # DOMAIN 4.1: the specialist greets the owner within a week of subscription
DELIVERY_DAYS = 10  # DOMAIN 4.3: the notice 10 days before handover
# DOMAIN 4.4: two weeks before the first anniversary, so the inspection can be booked on a working
# day while the first year (the owner's shortest warranty periods) still runs.
INSPECTION_DAYS = 14

WELCOME = register_kind(CareKind(
    "welcome",
    N_("🏡 Welcome, {name}, and thank you for choosing {project}! Your customer specialist ({specialist}) "
       "will call you within a week. Whenever you need anything about your home, write to us here."),
    frozenset({"name", "project", "specialist"}),
    "to a new owner within a week of subscription (认购)"))
# {specialist}: his customer specialist's name (else the department, as in the welcome); {contact}:
# whom to call — "your customer specialist 张敏 (phone …)", without a phone only the name, without a
# specialist the Customer Service Department. The handover's time and place are not stored: the text
# says we will contact him about them.
DELIVERY = register_kind(CareKind(
    "delivery_notice",
    N_("📦 Delivery notice (《商品房交付通知书》)\nDear {name}, your home {project} {building}-{unit} will be "
       "handed over on {date}; we will contact you about the time of the handover. Please bring your ID "
       "card, the purchase contract and your payment receipts; the delivery guides are attached. With any "
       "question, contact {contact} or write to us here."),
    frozenset({"name", "project", "building", "unit", "date", "specialist", "contact"}),
    "10 days before a unit's delivery date, with the project's delivery guides"))
INSPECTION = register_kind(CareKind(
    "inspection_notice",
    N_("🔍 One-year house-quality inspection\nDear {name}, on {date} your home {project} {building}-{unit} "
       "will have been yours for a year. We would like to inspect it with you before then: to choose a "
       "time, and to tell us about anything that needs repair, contact {contact} or write to us here."),
    frozenset({"name", "project", "building", "unit", "date", "specialist", "contact"}),
    "14 days before the first anniversary of a unit's delivery"))
OCCASIONS = {
    "wedding": register_kind(CareKind(
        "occasion_wedding",
        N_("💐 Congratulations on your wedding, {name}! All of us at customer service wish you both "
           "a lifetime of happiness."), frozenset({"name", "project"}), "on the date of an owner's wedding")),
    "birth": register_kind(CareKind(
        "occasion_birth",
        N_("👶 Congratulations on the new arrival in your family, {name}! All of us at customer service "
           "wish your child good health and a happy life."), frozenset({"name", "project"}), "on the date of a birth")),
    "graduation": register_kind(CareKind(
        "occasion_graduation",
        N_("🎓 Congratulations on the graduation in your family, {name}! All of us at customer service "
           "wish a bright future."), frozenset({"name", "project"}), "on the date of a graduation")),
    "other": register_kind(CareKind(
        "occasion_other",
        N_("🎉 Congratulations, {name}! All of us at customer service share your family's joy."),
        frozenset({"name", "project"}), "on the date of another family occasion")),
}

NO_SPECIALIST_NAME = N_("Customer Service Department")
NO_PROJECT_NAME = N_("our homes")  # an owner imported without units yet
CONTACT_WITH_PHONE = N_("your customer specialist {specialist} (phone {phone})")
CONTACT_NAME = N_("your customer specialist {specialist}")
NO_SPECIALIST_CONTACT = N_("our Customer Service Department")
SPECIALIST_CARD = N_("🤝 A new owner to welcome\nOwner: {name}\nUnit(s): {units}\nSubscribed on: {date}\n"
                     "Phone: {phone}\nPlease call to welcome the owner by {deadline}.")
NO_SPECIALIST_CARD = N_("⚠️ A new owner has no customer specialist\nOwner: {name}\nUnit(s): {units}\n"
                        "Subscribed on: {date}\nPhone: {phone}\nPlease assign a specialist, who should call to "
                        "welcome the owner by {deadline}.")


def _planned(round_: PlanRound, zones: Sequence[str], purpose: Purpose, reply: Reply) -> Planned:
    start, until = delivery_window(round_.now, zones[0])  # the same for the zones of a group
    return Planned(purpose=purpose.value, priority=PRIORITY.get(purpose, DEFAULT_PRIORITY),
                   payload={"reply": reply_to_json(reply)}, not_before=start, now=round_.now, send_until=until)


def _slots(date_format: str) -> dict[str, Text]:
    return {"name": Plain(NAME), "project": Plain(PROJECT), "building": Plain(BUILDING), "unit": Plain(UNIT),
            "date": DateText(DATE_SLOT, date_format), "specialist": Plain(SPECIALIST), "contact": Plain(CONTACT)}


def _json(text: Text) -> str:
    return json.dumps(text_to_json(text), ensure_ascii=False)


async def _project_slot(uow: UnitOfWork, zones: Sequence[str] | None) -> KeyedSlot:
    """{project}: each project's name in the reader's locale (华苑 / 華苑 / Huayuan), by the row's project."""
    return KeyedSlot("project", _json(Plain(PROJECT)),
                     {p.id: _json(project_text(p)) for p in await uow.care_calendar.projects(zones)},
                     _json(Msg(NO_PROJECT_NAME)))


def _specialist_slots(specialists: Sequence[Staff]) -> list[KeyedSlot]:
    """{specialist} and {contact} by the owner's specialist (the active ones given; else the department)."""
    def contact(person: Staff) -> Text:
        if person.phone:
            return Msg(CONTACT_WITH_PHONE, {"specialist": Plain(person.name), "phone": Plain(display_phone(person.phone))})
        return Msg(CONTACT_NAME, {"specialist": Plain(person.name)})

    return [KeyedSlot("specialist", _json(Plain(SPECIALIST)), {p.id: _json(Plain(p.name)) for p in specialists},
                      _json(Msg(NO_SPECIALIST_NAME))),
            KeyedSlot("specialist", _json(Plain(CONTACT)), {p.id: _json(contact(p)) for p in specialists},
                      _json(Msg(NO_SPECIALIST_CONTACT)))]


def anniversary(delivered: date) -> date:
    """The first anniversary of a delivery: 29 February's is 28 February."""
    if (delivered.month, delivered.day) == (2, 29):
        return date(delivered.year + 1, 2, 28)
    return delivered.replace(year=delivered.year + 1)


def delivered_for(anniversaries: Sequence[date]) -> dict[date, date]:
    """The delivery dates whose first anniversary is one of ``anniversaries``: delivery → anniversary."""
    found: dict[date, date] = {}
    for day in anniversaries:
        if (day.month, day.day) == (2, 28) and isleap(day.year - 1):
            found[date(day.year - 1, 2, 29)] = day
        if (day.month, day.day) != (2, 29):
            found[day.replace(year=day.year - 1)] = day
    return found


async def _open_zones(round_: PlanRound) -> list[tuple[tuple[str, ...], date]]:
    """The time zones still inside today's planning (before 20:00 local), with their local date;
    zones with the same date and delivery window (Shanghai, Hong Kong, Taipei) together: one
    statement reads the rows due once for all of them, not once per zone."""
    groups: dict[tuple[date, tuple[datetime, datetime]], list[str]] = {}
    for zone in await round_.uow.care_calendar.timezones():
        local = round_.now.astimezone(ZoneInfo(zone))
        if local.time() < WINDOW_END:
            groups.setdefault((local.date(), delivery_window(round_.now, zone)), []).append(zone)
    return [(tuple(zones), today) for (today, _), zones in groups.items()]


class DeliveryNoticeRule:
    name = "delivery_notices"

    async def plan(self, round_: PlanRound) -> None:
        # The handover day with its weekday (an appointment: "2026年12月17日星期四").
        reply = Reply(await care_text(round_.uow, DELIVERY.name, **_slots("full")))
        for zones, today in await _open_zones(round_):
            first, last = today + timedelta(days=1), today + timedelta(days=DELIVERY_DAYS)
            specialists = await round_.uow.care_calendar.delivery_specialists(zones, first, last)
            keys = await round_.uow.care_calendar.add_delivery_notices(
                zones, first, last, _planned(round_, zones, Purpose.CARE, reply),
                [await _project_slot(round_.uow, zones), *_specialist_slots(specialists)])
            _count(round_, keys)


class InspectionNoticeRule:
    name = "inspection_notices"

    async def plan(self, round_: PlanRound) -> None:
        # The anniversary is a deadline, not an appointment: the date without its weekday.
        reply = Reply(await care_text(round_.uow, INSPECTION.name, **_slots("long")))
        for zones, today in await _open_zones(round_):
            days = delivered_for([today + timedelta(days=n) for n in range(1, INSPECTION_DAYS + 1)])
            specialists = await round_.uow.care_calendar.inspection_specialists(zones, list(days))
            keys = await round_.uow.care_calendar.add_inspection_notices(
                zones, days, _planned(round_, zones, Purpose.CARE, reply),
                [await _project_slot(round_.uow, zones), *_specialist_slots(specialists)])
            _count(round_, keys)


class OccasionRule:
    name = "family_occasions"

    async def plan(self, round_: PlanRound) -> None:
        for zones, today in await _open_zones(round_):
            for occasion in await round_.uow.care_calendar.occasions_on(zones, today):
                owner = await round_.uow.owners.get(occasion.owner_id)
                assert owner is not None
                kind = OCCASIONS.get(occasion.kind, OCCASIONS["other"])
                key = f"occasion:{occasion.id}:{occasion.owner_id}"
                units = await round_.uow.units.units_of_owner(owner.id)  # his first unit's project
                project = project_text(units[0].building.project) if units else Msg(NO_PROJECT_NAME)
                text = await care_text(round_.uow, kind.name, name=Plain(owner.name), project=project)
                start, until = delivery_window(round_.now, zones[0])
                if await outbox.enqueue(round_.uow, key=key, purpose=Purpose.GREETING, chat_id=occasion.chat_id,
                                        reply=Reply(text), now=round_.now, owner_id=occasion.owner_id,
                                        not_before=start, send_until=until):
                    round_.planned(key)


class WelcomeRule:
    """DOMAIN 4.1: a welcome to the owner, and his specialist told to call him within the week."""

    name = "welcome_after_subscription"

    async def plan(self, round_: PlanRound) -> None:
        text = await care_text(round_.uow, WELCOME.name, name=Plain(NAME), project=Plain(PROJECT),
                               specialist=Plain(SPECIALIST))
        project = await _project_slot(round_.uow, None)  # his first project may be in another zone
        specialist = _optional(SPECIALIST, Msg(NO_SPECIALIST_NAME))
        managers = _Managers(round_)
        for zones, today in await _open_zones(round_):
            first = today - timedelta(days=WELCOME_DAYS)
            planned = _planned(round_, zones, Purpose.CARE, Reply(text))
            _count(round_, await round_.uow.care_calendar.add_welcomes(
                zones, first, today, replace(planned, payload={**planned.payload, "media": []}), project, specialist))
            owners = await round_.uow.care_calendar.welcome_cards_due(zones, first, today)
            if not owners:
                continue
            ids = [o.id for o in owners]
            specialists = await round_.uow.care_calendar.specialists(ids)
            units = await round_.uow.care_calendar.unit_labels(ids)
            told = await self._managers_told(round_, owners, units, specialists, managers)
            cards: list[outbox.Push] = []
            for owner in owners:
                cards += await _staff_cards(owner, units.get(owner.id, []), _reachable(specialists.get(owner.id)),
                                            managers, told)
            # The cards in a few multi-row statements: one INSERT per card took seconds at 1M owners.
            for key in await outbox.enqueue_all(round_.uow, cards, round_.now):
                round_.planned(key)

    @staticmethod
    async def _managers_told(round_: PlanRound, owners: Sequence[NewOwner], units: dict[int, list[UnitLabel]],
                             specialists: dict[int, Staff], managers: _Managers) -> set[str]:
        """The managers' cards already written (an owner without a specialist is read again each
        round of his week: one query instead of a statement per card)."""
        keys = []
        for owner in owners:
            if _reachable(specialists.get(owner.id)) is None:
                for person in await managers.all_of(_projects(units.get(owner.id, []))):
                    keys.append(f"welcome-staff:{owner.id}:{person.id}")
        return await round_.uow.care_calendar.existing_keys(keys)


def _reachable(specialist: Staff | None) -> Staff | None:
    """The specialist if he can be told in the bot (active and bound), else None."""
    return specialist if specialist is not None and specialist.active and specialist.chat_id is not None else None


def _projects(units: Sequence[UnitLabel]) -> list[int | None]:
    return [*sorted({u.project_id for u in units})] or [None]


def _optional(slot: str, fallback: Text) -> OptionalSlot:
    return OptionalSlot(slot, json.dumps(text_to_json(Plain(slot)), ensure_ascii=False),
                        json.dumps(text_to_json(fallback), ensure_ascii=False))


class _Managers:
    """The customer-service managers of a project (company-wide ones for an owner without a
    unit) and when staff there may be pushed, each looked up once per round."""

    def __init__(self, round_: PlanRound) -> None:
        self.round_ = round_
        self.found: dict[int | None, list[Staff]] = {}
        self.times: dict[int | None, datetime] = {}

    async def when(self, project_id: int | None) -> datetime:
        if project_id not in self.times:
            self.times[project_id] = await staff_delivery_time(self.round_.uow, project_id, self.round_.now)
        return self.times[project_id]

    async def of(self, project_id: int | None) -> list[Staff]:
        if project_id not in self.found:
            people = await self.round_.uow.staff.reachable(
                project_id, departments=[Department.CUSTOMER_SERVICE], roles=list(SUPERVISOR_ROLES))
            self.found[project_id] = [p for p in people if project_id is not None or p.project_id is None]
        return self.found[project_id]

    async def all_of(self, project_ids: Sequence[int | None]) -> list[Staff]:
        """The managers of any of the projects, each once."""
        people: dict[int, Staff] = {}
        for project_id in project_ids:
            for person in await self.of(project_id):
                if person.chat_id is not None:
                    people.setdefault(person.id, person)
        return list(people.values())


async def _staff_cards(owner: NewOwner, units: Sequence[UnitLabel], specialist: Staff | None,
                       managers: _Managers, told: set[str]) -> list[outbox.Push]:
    project_ids = _projects(units)
    params: dict[str, Text] = {
        "name": Plain(owner.name),
        "units": Plain(", ".join(f"{u.project} {u.building}-{u.number}" for u in units) or "—"),
        "date": DateText(owner.subscription_date),
        "deadline": DateText(owner.subscription_date + timedelta(days=WELCOME_DAYS)),
    }
    if specialist is not None:
        assert specialist.chat_id is not None
        # He must call the owner: the number in full (DOMAIN 5.2); this row, kept with his id,
        # is the record that it was shown to him (there is no case to write it in).
        reply = Reply(Msg(SPECIALIST_CARD, {**params, "phone": Plain(display_phone(owner.phone))}))
        return [outbox.Push(key=f"welcome-staff:{owner.id}", purpose=Purpose.REMINDER, chat_id=specialist.chat_id,
                            staff_id=specialist.id, reply=reply, not_before=await managers.when(project_ids[0]))]
    # Nobody to call him: the managers are told (the number masked: they assign, they do not call).
    to_tell = [p for p in await managers.all_of(project_ids) if f"welcome-staff:{owner.id}:{p.id}" not in told]
    if not to_tell:
        return []
    reply = Reply(Msg(NO_SPECIALIST_CARD, {**params, "phone": Plain(mask_phone(owner.phone))}))
    cards = []
    for person in to_tell:
        assert person.chat_id is not None
        cards.append(outbox.Push(key=f"welcome-staff:{owner.id}:{person.id}", purpose=Purpose.REMINDER,
                                 chat_id=person.chat_id, staff_id=person.id, reply=reply,
                                 not_before=await managers.when(project_ids[0])))
    return cards


def _count(round_: PlanRound, keys: Sequence[str]) -> None:
    round_.uow.enqueued += len(keys)  # the sender is woken after commit
    for key in keys:
        round_.planned(key)
