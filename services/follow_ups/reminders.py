"""An open follow-up (回访) is reminded to whoever may act on it on every working day from its due
day on, until the call is recorded (one reminder a day: the key names the day it is delivered on)."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from dialogs.text import DateText, Msg
from services.calendar.delivery import working_delivery_time
from services.follow_ups.flow import send_follow_up
from services.follow_ups.subject import subject_of
from services.pushes.rules import PlanRound


class FollowUpRule:
    name = "follow_ups"

    async def plan(self, round_: PlanRound) -> None:
        uow, now = round_.uow, round_.now
        for follow_up in await uow.follow_ups.open_for(None):
            subject = await subject_of(uow, follow_up)
            if subject is None:
                continue
            calendar = await round_.calendar(subject.region)
            staff_at = working_delivery_time(now, subject.zone, calendar)
            day = staff_at.astimezone(ZoneInfo(subject.zone)).date()
            opened = working_delivery_time(follow_up.opened_at, subject.zone, calendar)
            # Not before its day, nor on the morning the opening card itself is delivered.
            if day < follow_up.due or day <= opened.astimezone(ZoneInfo(subject.zone)).date():
                continue
            key = f"follow_up:{follow_up.id}:remind:{day.isoformat()}"
            headline = Msg(subject.texts.reminder, {"number": subject.reference, "date": DateText(follow_up.due)})
            if await send_follow_up(uow, follow_up, subject, key, headline, now, not_before=staff_at):
                round_.report.reminders += 1
                round_.planned(key)
