"""`estatebot admin repairs export|ratings`: the repair record (《维修服务及回访记录表》) and workers' ratings."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from bot.cli.common import Subparsers, admin_errors, admin_session
from bot.settings import Settings
from services.people import admin
from storage.uow import UnitOfWork


def register(admin_commands: Subparsers) -> None:
    repairs = admin_commands.add_parser("repairs", help="repair records and workers' ratings").add_subparsers()
    export = repairs.add_parser("export", help="《维修服务及回访记录表》 of a period as .xlsx")
    export.add_argument("period", help="2026Q4, 2026 or 2026-11 (by the date the repair was received)")
    export.add_argument("file", type=Path)
    export.add_argument("--project")
    export.add_argument("--locale", default="zh_Hans_CN")
    export.set_defaults(func=_export)
    ratings = repairs.add_parser("ratings", help="each repair worker's jobs and average ratings in a period")
    ratings.add_argument("period", help="2026Q4, 2026 or 2026-11")
    ratings.add_argument("--project")
    ratings.set_defaults(func=_ratings)


async def _scope(uow: UnitOfWork, args: argparse.Namespace) -> tuple[date, date, int | None, str]:
    """The period [start, end), the project's id (None: all projects) and its time zone."""
    from services.repairs.reports import period

    with admin_errors(ValueError):
        start, end = period(args.period)
    project = await admin.project_by_code(uow, args.project) if args.project else None
    return start, end, project.id if project else None, project.timezone if project else "Asia/Shanghai"


async def _export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import Catalogs
    from services.repairs.reports import COLUMNS, RECORD_TITLE, period_text, record_rows, rendered, write_xlsx

    async with admin_session(settings) as uow:
        start, end, project_id, zone = await _scope(uow, args)
        rows = await record_rows(uow, start, end, project_id, zone)
        tr = Catalogs().get(args.locale)
        write_xlsx(args.file, tr.gettext(RECORD_TITLE), [tr.gettext(c) for c in COLUMNS], rendered(rows, tr.label))
        print(f"{len(rows)} repair(s) received {period_text(start, end)} written to {args.file}")
    return 0


async def _ratings(settings: Settings, args: argparse.Namespace) -> int:
    from services.repairs.reports import period_text, worker_ratings

    async with admin_session(settings) as uow:
        start, end, project_id, zone = await _scope(uow, args)
        ratings = await worker_ratings(uow, start, end, project_id, zone)
        print(f"repairs received {period_text(start, end)}")
        if not ratings:
            print("no completed repair jobs in this period")
            return 0
        print("worker\tjobs\trated\tquality\tattitude\tlow ratings")
        for r in ratings:
            quality = f"{r.quality:.2f}" if r.quality is not None else "-"
            attitude = f"{r.attitude:.2f}" if r.attitude is not None else "-"
            print(f"{r.name}\t{r.jobs}\t{r.rated}\t{quality}\t{attitude}\t{r.low}")
    return 0
