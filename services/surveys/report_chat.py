"""The campaign report in chat (DOMAIN 3.6): the customer-service manager presses 📈 Report on a
campaign's card and gets the PNG chart, the 《客户满意度测量结果报告》 workbook, and the rates under
them (for a mid-year campaign the 《客户满意度监测信息》: response against target, most dissatisfied
items).

The files are rendered for the presser (``label``, their catalog) and kept in the database with the
outbox row that uploads them, in the press's own transaction: a restart before they are sent loses
nothing, and the three messages arrive in order."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime

from dialogs.actions import CampaignPress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, Lines, Msg, Plain, Text
from services.calendar.delivery import staff_delivery_time
from services.cases.results import ActionResult
from services.people.roles import SUPERVISOR_ROLES, Department
from services.pushes.outbox import enqueue, store_upload
from services.pushes.purposes import Purpose
from services.surveys.chart import chart_png
from services.surveys.report import REPORT_TITLE, report_data, report_summary, report_xlsx
from storage.models import Staff
from storage.models.surveys import SurveyCampaign
from storage.uow import UnitOfWork

NO_CHAT = N_("The report cannot be sent: this chat is not known to the bot.")


def file_names(campaign: SurveyCampaign, label: Callable[[Text], str]) -> tuple[str, str]:
    """The chart's and the workbook's file names, in the reader's language: the report's title and
    the campaign ("客户满意度测量结果报告 2026年终客户满意度调查.xlsx"); characters a file name cannot
    hold become "_"."""
    title = f"{label(Msg(REPORT_TITLE))} {campaign.name}"
    safe = "".join("_" if ch in _NOT_IN_FILE_NAMES or ord(ch) < 32 else ch for ch in title).strip(" .")[:120]
    return f"{safe}.png", f"{safe}.xlsx"


_NOT_IN_FILE_NAMES = frozenset('/\\:*?"<>|')


async def report_replies(uow: UnitOfWork, campaign: SurveyCampaign, staff: Staff, now: datetime, *,
                         label: Callable[[Text], str] | None = None) -> ActionResult:
    """The chart, the workbook and the rates, queued for the staff member's chat as one outbox row."""
    if staff.chat_id is None or label is None:
        return ActionResult(refusal=NO_CHAT)
    data = await report_data(uow, campaign)
    png_name, xlsx_name = file_names(campaign, label)
    # Drawing and writing take a few hundred ms of CPU: off the event loop, which serves every chat.
    png = await asyncio.to_thread(chart_png, data.metrics, label)
    xlsx = await asyncio.to_thread(report_xlsx, data, label)
    media = [await store_upload(uow, "photo", png_name, png, now),
             await store_upload(uow, "document", xlsx_name, xlsx, now)]
    await enqueue(uow, key=f"survey-report:{campaign.id}:{staff.id}:{now.isoformat()}", purpose=Purpose.ANSWER,
                  chat_id=staff.chat_id, staff_id=staff.id, now=now, media=media,
                  reply=Reply(report_summary(data)))
    return ActionResult()


async def announce_closed(uow: UnitOfWork, campaign: SurveyCampaign, now: datetime) -> int:
    """A campaign has closed: its customer-service managers (the company-wide ones for a company-wide
    campaign) get the final rates in working hours, with 📈 Report for the chart and the workbook in
    their own language. Once per campaign and person (the key); how many were queued."""
    not_before = await staff_delivery_time(uow, campaign.project_id, now)
    people = await uow.staff.reachable(campaign.project_id, departments=[Department.CUSTOMER_SERVICE],
                                       roles=list(SUPERVISOR_ROLES))
    managers = [p for p in people if p.chat_id is not None and (campaign.project_id is not None or p.project_id is None)]
    if not managers:
        return 0
    data = await report_data(uow, campaign)
    text = Lines((Msg(N_("🏁 The survey campaign {name} has closed. Its final rates:"), {"name": Plain(campaign.name)}),
                  report_summary(data)))
    buttons = ((Button(Msg(N_("📈 Report")), encode(CampaignPress(campaign.id, "report"))),),)
    queued = 0
    for person in managers:
        assert person.chat_id is not None
        if await enqueue(uow, key=f"survey_campaign:{campaign.id}:closed:staff:{person.id}", purpose=Purpose.REMINDER,
                         chat_id=person.chat_id, staff_id=person.id, now=now, not_before=not_before,
                         reply=Reply(text, buttons)):
            queued += 1
    return queued
