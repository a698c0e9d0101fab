"""Complaint reports in chat for managers and the leadership: /report, and its buttons
(services/reports/report_chat.py)."""

from __future__ import annotations

from dialogs.actions import ReportMenuPress
from handlers.inbound import ButtonIn, Context, MessageIn, Response
from handlers.router import Router
from services.reports import report_chat


async def _report(ctx: Context) -> Response:
    return Response([await report_chat.report_menu(ctx.uow, ctx.actor)])


async def _report_command(ctx: Context, message: MessageIn, args: str) -> Response | None:
    if not ctx.actor.identity.is_staff:
        return None  # owners are not told about staff workflow: an unknown command to them
    return await _report(ctx)


async def _press(ctx: Context, press: ReportMenuPress, button: ButtonIn) -> Response:
    result = await report_chat.press(ctx.uow, ctx.actor, press, ctx.now, label=ctx.label)
    if result.refusal is not None:
        return Response(alert=result.refusal)
    if not result.replies:  # the files and the summary were queued: say so on the button
        return Response(notice=report_chat.ON_ITS_WAY)
    return Response(list(result.replies))


def register(router: Router) -> None:
    router.command("report", _report_command)
    router.menu_item("report", _report)
    router.button(ReportMenuPress, _press)
