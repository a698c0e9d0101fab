"""Birthday greetings in the outbox (DOMAIN 4.6, 4.7): on the day of an owner's birthday, in his
project's time zone, one greeting, pushed 09:00–20:00, only to owners whose latest decision about
greetings is a yes (the drain checks the consent again when sending; withdrawing cancels it).

- Solar birthdays due today: ONE set-based INSERT … SELECT … ON CONFLICT DO NOTHING per group of
  zones with the same date and delivery time (the owners without units in the default zone's)
  (storage/repositories/birthdays.py); on 28 February of a common year the 29 February ones too.
- Lunar birthdays the same way: the few stored lunar month/days that fall today are computed in
  Python (services/care/birthdays.py ``lunar_birthdays_on``: today's lunar month and day, day 30 too
  on day 29 of a 29-day month, any leap flag), and only those owners are read — never converted
  one by one (1,000,000 owners: bench/care.py).
- Key ``birthday:<owner>:<year>``: the solar year for a solar birthday, the LUNAR year for a lunar
  one (a solar year can hold two lunar birthdays: 腊月初一 fell on 2024-01-11 and 2024-12-31).
- Planned from midnight to 20:00 local (before 09:00 the row waits for 09:00); a round after 20:00
  plans nothing for the day, rather than greeting a day late.
- The wording is the care template "birthday" (an administrator may reword it per locale, with
  ``{name}`` and ``{project}``): one payload per project (``{project}``: its name in the reader's
  locale; "our homes" for owners without units); the drain fills ``{name}`` with each owner's name.
"""

from __future__ import annotations

from calendar import isleap
from datetime import date, datetime
from zoneinfo import ZoneInfo

from dialogs.engine import Reply, reply_to_json
from dialogs.text import N_, Msg, Text
from services.calendar.delivery import WINDOW_END, delivery_window
from services.care.birthdays import lunar_birthdays_on
from services.care.calendar_rules import NO_PROJECT_NAME
from services.care.templates import CareKind, care_text, register_kind
from services.people.project_names import project_text
from services.pushes.purposes import DEFAULT_PRIORITY, PRIORITY, Purpose
from services.pushes.rules import PlanRound
from storage.repositories.birthdays import DEFAULT_TIMEZONE, Greeting

BIRTHDAY = register_kind(CareKind(
    "birthday",
    N_("🎂 Happy birthday, {name}! All of us at customer service wish you and your family good health "
       "and happiness in the year ahead."),
    frozenset({"name", "project"}),
    "the birthday greeting (solar or lunar), on the day, to owners who consented to greetings"))


class BirthdayRule:
    name = "birthday_greetings"

    async def plan(self, round_: PlanRound) -> None:
        # Zones with the same date and delivery time today (Shanghai, Hong Kong, Taipei) are
        # planned together, one statement per calendar, so each owner due is read once (one
        # statement per project read them once per project: 2.4 s for 1,000,000 owners on
        # PostgreSQL, bench/care.py); each row gets his first project's payload, chosen in SQL.
        projects = await round_.uow.birthdays.projects()
        groups: dict[tuple[date, tuple[datetime, datetime]], list[str]] = {}  # (date, its window) → zones
        for zone in sorted({project.timezone for project in projects} | {DEFAULT_TIMEZONE}):
            local = round_.now.astimezone(ZoneInfo(zone))
            if local.time() < WINDOW_END:
                groups.setdefault((local.date(), delivery_window(round_.now, zone)), []).append(zone)
        for (today, (not_before, send_until)), zones in groups.items():
            names: list[tuple[int | None, Text]] = [
                (project.id, project_text(project)) for project in projects if project.timezone in zones]
            if DEFAULT_TIMEZONE in zones:  # the owners without units
                names.append((None, Msg(NO_PROJECT_NAME)))
            payloads = {project_id: {"reply": reply_to_json(Reply(await care_text(
                round_.uow, BIRTHDAY.name, project=name))), "media": []} for project_id, name in names}
            greeting = Greeting(purpose=Purpose.GREETING.value,
                                priority=PRIORITY.get(Purpose.GREETING, DEFAULT_PRIORITY),
                                payload={}, not_before=not_before, send_until=send_until, now=round_.now)
            keys = await round_.uow.birthdays.add_greetings(
                zones, payloads, "solar", today.month, _solar_days(today), today.year, greeting)
            if (lunar := lunar_birthdays_on(today)) is not None:  # keyed by the lunar year
                keys += await round_.uow.birthdays.add_greetings(
                    zones, payloads, "lunar", lunar.month, lunar.days, lunar.year, greeting)
            round_.uow.enqueued += len(keys)  # the sender is woken after commit
            for key in keys:
                round_.planned(key)


def _solar_days(today: date) -> tuple[int, ...]:
    """The birthdays celebrated today: 29 February's on 28 February of a common year."""
    if (today.month, today.day) == (2, 28) and not isleap(today.year):
        return (28, 29)
    return (today.day,)
