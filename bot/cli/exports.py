"""`estatebot admin export complaints|communication PERIOD FILE`: the records as .xlsx,
《顾客来访/投诉处理单》 and 《与顾客沟通登记表》 (the repair record is `admin repairs export`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import Subparsers, admin_errors, admin_session
from bot.settings import Settings
from services.common.locale import SUPPORTED_LOCALES
from services.people import admin

if TYPE_CHECKING:
    from services.reports.exports import RowsOf


def register(admin_commands: Subparsers) -> None:
    exports = admin_commands.add_parser("export", help="records of a period as .xlsx").add_subparsers()
    for name, help_text, func in (
        ("complaints", "《顾客来访/投诉处理单》: the complaints received in a period", _complaints),
        ("communication", "《与顾客沟通登记表》: inquiries, suggestions and praise logged in a period", _communication),
    ):
        command = exports.add_parser(name, help=help_text)
        command.add_argument("period", help="2026Q4, 2026 or 2026-11 (by the day it was received, in the project's zone)")
        command.add_argument("file", type=Path)
        command.add_argument("--project", help="a project's code (default: all projects)")
        command.add_argument("--locale", default=SUPPORTED_LOCALES[0], choices=SUPPORTED_LOCALES,
                             help="the language of the title, headers and labels (default zh_Hans_CN)")
        command.set_defaults(func=func)


async def _complaints(settings: Settings, args: argparse.Namespace) -> int:
    from services.reports.exports import COMPLAINT_COLUMNS, COMPLAINT_TITLE, complaint_rows

    return await _export(settings, args, COMPLAINT_TITLE, COMPLAINT_COLUMNS, complaint_rows, "complaint(s) received")


async def _communication(settings: Settings, args: argparse.Namespace) -> int:
    from services.reports.exports import COMMUNICATION_COLUMNS, COMMUNICATION_TITLE, communication_rows

    return await _export(settings, args, COMMUNICATION_TITLE, COMMUNICATION_COLUMNS, communication_rows,
                         "message(s) logged")


async def _export(settings: Settings, args: argparse.Namespace, title: str, columns: tuple[str, ...],
                  rows_of: RowsOf, what: str) -> int:
    from bot.i18n import Catalogs
    from services.common.sheets import rendered
    from services.repairs.reports import period, period_text
    from services.reports.exports import write_record

    async with admin_session(settings) as uow:
        with admin_errors(ValueError):
            start, end = period(args.period)
        project = await admin.project_by_code(uow, args.project) if args.project else None
        zone = project.timezone if project else "Asia/Shanghai"
        rows = await rows_of(uow, start, end, project.id if project else None, zone)
        tr = Catalogs().get(args.locale)
        write_record(args.file, tr.gettext(title), [tr.gettext(c) for c in columns], rendered(rows, tr.label))
        print(f"{len(rows)} {what} {period_text(start, end)} written to {args.file}")
    return 0
