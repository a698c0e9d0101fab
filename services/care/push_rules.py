"""Birthday greetings in the outbox (DOMAIN 4.6, 4.7): on the day of an owner's birthday, in his
project's time zone, one greeting, pushed 09:00–20:00, only to owners whose latest decision about
greetings is a yes (the drain checks the consent again when sending; withdrawing cancels it).

- Solar birthdays due today: ONE set-based INSERT … SELECT … ON CONFLICT DO NOTHING per project
  (projects are few; the owners without units: one more, in the default zone)
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
from datetime import date
from zoneinfo import ZoneInfo

from dialogs.engine import Reply, reply_to_json
from dialogs.text import N_, Msg, Text
from services.calendar.delivery import WINDOW_END, delivery_time
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
        # One statement per project and calendar (projects are few): the project's name is a
        # constant of the payload; the owners without units are greeted in the default zone.
        scopes: list[tuple[int | None, str, Text]] = [
            (project.id, project.timezone, project_text(project))
            for project in await round_.uow.birthdays.projects()]
        scopes.append((None, DEFAULT_TIMEZONE, Msg(NO_PROJECT_NAME)))
        for project_id, zone, project in scopes:
            local = round_.now.astimezone(ZoneInfo(zone))
            if local.time() >= WINDOW_END:
                continue
            today = local.date()
            text = await care_text(round_.uow, BIRTHDAY.name, project=project)
            greeting = Greeting(purpose=Purpose.GREETING.value,
                                priority=PRIORITY.get(Purpose.GREETING, DEFAULT_PRIORITY),
                                payload={"reply": reply_to_json(Reply(text)), "media": []},
                                not_before=delivery_time(round_.now, zone), now=round_.now)
            keys = await round_.uow.birthdays.add_greetings(
                project_id, "solar", today.month, _solar_days(today), today.year, greeting)
            if (lunar := lunar_birthdays_on(today)) is not None:  # keyed by the lunar year
                keys += await round_.uow.birthdays.add_greetings(
                    project_id, "lunar", lunar.month, lunar.days, lunar.year, greeting)
            round_.uow.enqueued += len(keys)  # the sender is woken after commit
            for key in keys:
                round_.planned(key)


def _solar_days(today: date) -> tuple[int, ...]:
    """The birthdays celebrated today: 29 February's on 28 February of a common year."""
    if (today.month, today.day) == (2, 28) and not isleap(today.year):
        return (28, 29)
    return (today.day,)
