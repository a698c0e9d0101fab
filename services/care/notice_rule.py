"""The notice push rule (services/care/notices.py): a scheduled notice whose ``send_on`` has come
in its project's time zone is written to the outbox for its owners in ONE set-based statement
(storage/repositories/care_notices.py), pushed 09:00–20:00 there, then marked ``sent`` — from then
on its rows' own statuses tell how delivery goes (services/care/stats.py)."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from dialogs.engine import Reply, reply_to_json
from services.calendar.delivery import delivery_window
from services.care.notices import campaign_prefix, notice_text
from services.pushes.purposes import DEFAULT_PRIORITY, PRIORITY, Purpose
from services.pushes.rules import PlanRound
from storage.repositories.care_notices import NoticeRows


class NoticeRule:
    name = "care_notices"

    async def plan(self, round_: PlanRound) -> None:
        uow = round_.uow
        # A day ahead of UTC covers every zone's local today; each project's own date decides.
        for notice, project, building in await uow.care_notices.due(round_.now.date() + timedelta(days=1)):
            if notice.send_on > round_.now.astimezone(ZoneInfo(project.timezone)).date():
                continue
            text = await notice_text(uow, notice, project, building)
            start, until = delivery_window(round_.now, project.timezone)
            rows = NoticeRows(prefix=campaign_prefix(notice), purpose=Purpose.EVENT.value,
                              priority=PRIORITY.get(Purpose.EVENT, DEFAULT_PRIORITY),
                              payload={"reply": reply_to_json(Reply(text)), "media": [dict(m) for m in notice.media or []],
                                       "files_after": True},  # the text, then its attachments
                              not_before=start, send_until=until, now=round_.now)
            # Who is in scope now, in the same transaction as the rows: the statistics keep it as "when planned".
            audience = await uow.care_notices.audience(notice.project_id, notice.building_id)
            keys = await uow.care_notices.fan_out(notice.project_id, notice.building_id, rows)
            await uow.care_notices.mark_sent(notice.id, round_.now, audience.at_planning(len(keys)))
            uow.enqueued += len(keys)  # the sender is woken after commit
            for key in keys:
                round_.planned(key)
