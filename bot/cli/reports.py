"""`estatebot admin report …`: the complaint reports (DOMAIN 1.7). This module holds the group and
`weekly` (a week's figures printed for one office or the company, the workbook and chart on
request); the monthly report and its approval, the statistics and the exports have a module each."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from bot.cli import report_exports, report_monthly, report_statistics
from bot.cli.common import AdminError, Subparsers, admin_session
from bot.cli.report_figures import add_file_options, print_report, write_files
from bot.settings import Settings
from services.reports.periods import Period, PeriodKind
from services.reports.weekly import company_week, last_week, office_week, parse_week
from storage.models import Project


def register(admin_commands: Subparsers) -> None:
    reports = admin_commands.add_parser("report", help="complaint reports").add_subparsers()
    weekly = reports.add_parser("weekly", help="print a week's complaint figures (office or company)")
    weekly.add_argument("--week", type=_week, help="ISO week, e.g. 2026-W49 (default: last week)")
    weekly.add_argument("--project", help="office (project) code; default: the whole company")
    add_file_options(weekly)
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
    project: Project | None = None
    async with admin_session(settings) as uow:
        if args.project:
            project = await uow.projects.by_code(args.project)
            if project is None:
                raise AdminError(f"no project {args.project}")
            report = await office_week(uow, project, monday)
        else:
            report = await company_week(uow, monday)
        print_report(report, args.project or "company")
        write_files(report, project, Period(PeriodKind.WEEK, report.start, report.end), args)
    return 0
