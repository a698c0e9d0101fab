"""`estatebot admin report weekly`: the weekly complaint report's figures (DOMAIN 1.7) printed, for one
office or the company. Chat delivery, the workbook and the other periods come later (issue 15)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from bot.cli import report_exports, report_monthly, report_statistics
from bot.cli.common import AdminError, Subparsers, admin_session
from bot.cli.report_figures import print_report
from bot.settings import Settings
from services.reports.weekly import company_week, last_week, office_week, parse_week


def register(admin_commands: Subparsers) -> None:
    reports = admin_commands.add_parser("report", help="complaint reports").add_subparsers()
    weekly = reports.add_parser("weekly", help="print a week's complaint figures (office or company)")
    weekly.add_argument("--week", type=_week, help="ISO week, e.g. 2026-W49 (default: last week)")
    weekly.add_argument("--project", help="office (project) code; default: the whole company")
    weekly.set_defaults(func=_weekly)
    for module in (report_monthly, report_statistics, report_exports):
        module.register(reports)


def _week(text: str) -> str:
    try:
        parse_week(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not an ISO week like 2026-W49: {text}") from error
    return text


async def _weekly(settings: Settings, args: argparse.Namespace) -> int:
    monday = parse_week(args.week) if args.week else last_week(datetime.now(UTC).date())
    async with admin_session(settings) as uow:
        if args.project:
            project = await uow.projects.by_code(args.project)
            if project is None:
                raise AdminError(f"no project {args.project}")
            report = await office_week(uow, project, monday)
        else:
            report = await company_week(uow, monday)
    print_report(report, args.project or "company")
    return 0
