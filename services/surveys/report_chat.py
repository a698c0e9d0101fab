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

from dialogs.engine import Reply
from dialogs.text import N_, Text
from services.cases.results import ActionResult
from services.pushes.outbox import enqueue, store_upload
from services.pushes.purposes import Purpose
from services.surveys.chart import chart_png
from services.surveys.report import report_data, report_summary, report_xlsx
from storage.models import Staff
from storage.models.surveys import SurveyCampaign
from storage.uow import UnitOfWork

NO_CHAT = N_("The report cannot be sent: this chat is not known to the bot.")


def file_names(campaign: SurveyCampaign) -> tuple[str, str]:
    """The chart's and the workbook's file names (ASCII: every client keeps them)."""
    return f"survey-{campaign.id}-chart.png", f"survey-{campaign.id}-report.xlsx"


async def report_replies(uow: UnitOfWork, campaign: SurveyCampaign, staff: Staff, now: datetime, *,
                         label: Callable[[Text], str] | None = None) -> ActionResult:
    """The chart, the workbook and the rates, queued for the staff member's chat as one outbox row."""
    if staff.chat_id is None or label is None:
        return ActionResult(refusal=NO_CHAT)
    data = await report_data(uow, campaign)
    png_name, xlsx_name = file_names(campaign)
    # Drawing and writing take a few hundred ms of CPU: off the event loop, which serves every chat.
    png = await asyncio.to_thread(chart_png, data.metrics, label)
    xlsx = await asyncio.to_thread(report_xlsx, data, label)
    media = [await store_upload(uow, "photo", png_name, png, now),
             await store_upload(uow, "document", xlsx_name, xlsx, now)]
    await enqueue(uow, key=f"survey-report:{campaign.id}:{staff.id}:{now.isoformat()}", purpose=Purpose.ANSWER,
                  chat_id=staff.chat_id, staff_id=staff.id, now=now, media=media,
                  reply=Reply(report_summary(data)))
    return ActionResult()
