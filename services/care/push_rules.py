"""Birthday greetings in the outbox (DOMAIN 4.6, 4.7): on the day of an owner's birthday, in his
project's time zone, one greeting, pushed 09:00–20:00, only to owners whose latest decision about
greetings is a yes (the drain checks the consent again when sending; withdrawing cancels it).

- Solar birthdays due today: ONE set-based INSERT … SELECT … ON CONFLICT DO NOTHING per time zone
  (storage/repositories/birthdays.py); on 28 February of a common year the 29 February ones too.
- Lunar birthdays: converted per owner (services/care/birthdays.py; the lunar calendar is not in
  SQL), a row each through the outbox.
- Key ``birthday:<owner>:<year>``: the solar year for a solar birthday, the LUNAR year for a lunar
  one (a solar year can hold two lunar birthdays: 腊月初一 fell on 2024-01-11 and 2024-12-31).
- Planned from midnight to 20:00 local (before 09:00 the row waits for 09:00); a round after 20:00
  plans nothing for the day, rather than greeting a day late.
"""

from __future__ import annotations

from calendar import isleap
from datetime import date
from zoneinfo import ZoneInfo

from dialogs.engine import Reply, reply_to_json
from dialogs.text import N_, Msg
from services.calendar.delivery import WINDOW_END, delivery_time
from services.care.birthdays import birthday_in
from services.pushes import outbox
from services.pushes.purposes import DEFAULT_PRIORITY, PRIORITY, Purpose
from services.pushes.rules import PlanRound
from storage.repositories.birthdays import Greeting, LunarBirthday

GREETING = Msg(N_("🎂 Happy birthday! All of us at customer service wish you and your family good health and "
                  "happiness in the year ahead."))


class BirthdayRule:
    name = "birthday_greetings"

    async def plan(self, round_: PlanRound) -> None:
        for zone in await round_.uow.birthdays.timezones():
            local = round_.now.astimezone(ZoneInfo(zone))
            if local.time() >= WINDOW_END:
                continue
            today = local.date()
            greeting = Greeting(purpose=Purpose.GREETING.value,
                                priority=PRIORITY.get(Purpose.GREETING, DEFAULT_PRIORITY),
                                payload={"reply": reply_to_json(Reply(GREETING)), "media": []},
                                not_before=delivery_time(round_.now, zone), now=round_.now)
            keys = await round_.uow.birthdays.add_solar_greetings(
                zone, today.month, _solar_days(today), today.year, greeting)
            round_.uow.enqueued += len(keys)  # the sender is woken after commit
            for key in keys:
                round_.planned(key)
            for lunar in await round_.uow.birthdays.lunar_birthdays(zone):
                if (year := _lunar_year_due(lunar, today)) is not None:
                    await self._greet(round_, lunar, year, greeting)

    async def _greet(self, round_: PlanRound, lunar: LunarBirthday, year: int, greeting: Greeting) -> None:
        key = f"birthday:{lunar.owner_id}:{year}"
        if await outbox.enqueue(round_.uow, key=key, purpose=Purpose.GREETING, chat_id=lunar.chat_id,
                                reply=Reply(GREETING), now=round_.now, not_before=greeting.not_before,
                                owner_id=lunar.owner_id):
            round_.planned(key)


def _solar_days(today: date) -> tuple[int, ...]:
    """The birthdays celebrated today: 29 February's on 28 February of a common year."""
    if (today.month, today.day) == (2, 28) and not isleap(today.year):
        return (28, 29)
    return (today.day,)


def _lunar_year_due(lunar: LunarBirthday, today: date) -> int | None:
    """The lunar year whose birthday falls today (that of lunar year N-1 may fall in January or
    February of N), or None."""
    for year in (today.year - 1, today.year):
        try:
            if birthday_in(year, "lunar", lunar.month, lunar.day, lunar.leap) == today:
                return year
        except ValueError:  # a stored month/day no lunar calendar has: nothing to celebrate
            return None
    return None
