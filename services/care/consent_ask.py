"""The consent question for owners bound before it was asked after binding (DOMAIN 4.6; issue 14
item 1): an owner who linked his chat before consent existed, and never decided about any kind,
gets the same question the chat asks after binding (``consent.next_question``: the first kind,
✅ Yes / No, thanks; his answer brings the next kind, as in chat) — once per wording version, key
``consent-ask:<owner>:<version>``, 09:00–20:00 in his project's time zone. Purpose CARE: asking for
consent needs none. Owners bound since then were asked when they bound, and are not asked again.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from weakref import WeakKeyDictionary
from zoneinfo import ZoneInfo

from dialogs.engine import Reply, reply_to_json
from services.calendar.delivery import delivery_window
from services.care.consent import WORDING, ConsentKind, question
from services.pushes.purposes import DEFAULT_PRIORITY, PRIORITY, Purpose
from services.pushes.rules import PlanRound
from storage.repositories.birthdays import Greeting

# Consent was asked after binding from this moment (the release of services/care/consent.py);
# owners bound earlier never saw the question.
ASKED_AFTER_BINDING_SINCE = datetime(2026, 12, 7, tzinfo=UTC)
FIRST = next(iter(ConsentKind))  # the question that starts the round of questions
VERSION = max(WORDING.values())  # a new wording asks the owners who still decided nothing again
# Questions per zone group and round: the first days after an upgrade spread over rounds (the search
# stops at this many), and the drain is not handed a whole legacy base at once.
BATCH = 1000


def first_question() -> Reply:
    return question(FIRST)


class ConsentAskRule:
    name = "consent_ask"

    def __init__(self) -> None:
        # The local day each zone was found to have nobody left to ask, per database: that search
        # reads every owner, and once a day is enough (who was bound before the cutoff and is
        # undecided only shrinks). A restart searches again.
        self._searched: WeakKeyDictionary[object, dict[str, date]] = WeakKeyDictionary()

    async def plan(self, round_: PlanRound) -> None:
        payload = {"reply": reply_to_json(first_question()), "media": []}
        searched = self._searched.setdefault(round_.uow.consent_asks.database(), {})
        # Zones with the same local date and delivery window (Shanghai, Hong Kong, Taipei) are
        # searched in one statement: the search reads every bound owner, once for all of them.
        groups: dict[tuple[date, tuple[datetime, datetime]], list[str]] = {}
        every = await round_.uow.birthdays.timezones()
        for zone in every:
            today = round_.now.astimezone(ZoneInfo(zone)).date()
            if searched.get(zone) != today:
                groups.setdefault((today, delivery_window(round_.now, zone)), []).append(zone)
        for (today, (start, until)), zones in groups.items():
            row = Greeting(purpose=Purpose.CARE.value, priority=PRIORITY.get(Purpose.CARE, DEFAULT_PRIORITY),
                           payload=payload, not_before=start, send_until=until, now=round_.now)
            keys = await round_.uow.consent_asks.add_questions(
                None if zones == every else zones, ASKED_AFTER_BINDING_SINCE, VERSION, row, BATCH)
            if len(keys) < BATCH:
                searched.update(dict.fromkeys(zones, today))
            round_.uow.enqueued += len(keys)  # the sender is woken after commit
            for key in keys:
                round_.planned(key)
