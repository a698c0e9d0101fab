"""The care dry run (issue 14 item 5; ``estatebot admin care preview``): who would get which care
message, when and in which locale, over the next days — and nothing is sent or kept.

The care push rules (those of ``services/care/``, whatever they are: birthdays, notices, the
calendar, the consent question …) run as the planner runs them, at 10:00 local of each day in each
project's time zone, on a clock passed explicitly, in the caller's unit of work; the rows they
wrote are read back and the caller rolls the unit of work back. Days run in order in the one
transaction, so a rule sees what it "planned" the days before (keys stay idempotent).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from dialogs.engine import Reply, reply_from_json
from services.common.locale import resolve_locale
from services.pushes.drain import named
from services.pushes.purposes import Purpose
from services.pushes.rules import PlanRound, PushRule, RuleSettings, registered_rules
from storage.uow import UnitOfWork

PREVIEW_TIME = time(10, 0)
# The purposes of care messages (DOMAIN 4): what the dry run lists.
CARE_PURPOSES = (Purpose.CARE.value, Purpose.GREETING.value, Purpose.EVENT.value)
# Care rules that write no care message but change records (anonymising old owners would hide them
# from the other rules of the dry run).
NOT_PREVIEWED = frozenset({"retention"})


@dataclass(frozen=True)
class PreviewRow:
    day: date  # the local day of the round that planned it
    key: str
    kind: str  # the key's first part: birthday, consent-ask, milestone …
    purpose: str
    recipient: str  # the owner's or staff member's name
    phone: str | None
    locale: str
    zone: str
    not_before: datetime  # in ``zone``
    reply: Reply | None  # ``{name}`` filled as the drain fills it
    attachments: tuple[str, ...]


def care_rules() -> tuple[PushRule, ...]:
    """The registered rules of ``services/care/`` (new ones appear without changes here)."""
    return tuple(rule for rule in registered_rules()
                 if type(rule).__module__.startswith("services.care.") and rule.name not in NOT_PREVIEWED)


async def preview(uow: UnitOfWork, first: date, days: int, *, default_locale: str, default_zone: str,
                  rules: Sequence[PushRule] | None = None, settings: RuleSettings | None = None) -> list[PreviewRow]:
    """What the care rules would write on ``days`` days from ``first``. Writes to ``uow``: the caller
    must roll it back (never commit)."""
    chosen = care_rules() if rules is None else tuple(rules)
    zones = await uow.birthdays.timezones()
    found: list[PreviewRow] = []
    for offset in range(days):
        day = first + timedelta(days=offset)
        for zone in zones:
            now = datetime.combine(day, PREVIEW_TIME, ZoneInfo(zone))
            before = await uow.care_preview.last_outbox_id()
            round_ = PlanRound(uow, now, settings)
            for rule in chosen:
                await rule.plan(round_)
            for row in await uow.care_preview.planned_after(before, CARE_PURPOSES):
                row_zone = row.zone or default_zone
                reply = named(reply_from_json(row.payload["reply"]), row.name) if row.payload.get("reply") else None
                media = tuple(str(item.get("name") or item.get("kind") or "?") for item in row.payload.get("media") or ())
                found.append(PreviewRow(
                    day, row.key, row.key.split(":", 1)[0], row.purpose, row.name, row.phone,
                    resolve_locale(row.locale, row.chat_locale, None, default_locale), row_zone,
                    row.not_before.astimezone(ZoneInfo(row_zone)), reply, media))
    return found
