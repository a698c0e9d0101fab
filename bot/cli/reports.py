"""`estatebot admin report weekly`: the weekly complaint report's figures (DOMAIN 1.7) printed, for one
office or the company. Chat delivery, the workbook and the other periods come later (issue 15)."""

from __future__ import annotations

import argparse
from collections import Counter
from datetime import UTC, datetime

from bot.cli import report_exports, report_monthly, report_statistics
from bot.cli.common import AdminError, Subparsers, admin_session
from bot.settings import Settings
from services.reports.weekly import (
    FIGURES,
    REPAIR_CLASSES,
    Met,
    PeriodReport,
    company_week,
    last_week,
    office_week,
    parse_week,
)


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


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _average(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _figures(counter: Counter[str]) -> str:
    return ", ".join(f"{name} {counter[name]}" for name in FIGURES)


_CLASS_NAMES = {("A", "builder"): "A (builder's deposit)", ("B", "company"): "B borne by the company",
                ("B", "owner"): "B paid by the owner"}


def _met(what: str, met: Met) -> str:
    return f"{what}: {met.met} of {met.due} met ({_percent(met.rate)})"


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
    _print(report, args.project or "company")
    return 0


def _print(report: PeriodReport, scope: str) -> None:
    year, week, _ = report.monday.isocalendar()
    print(f"weekly complaint report {year}-W{week:02d} ({report.monday} – {report.sunday}), {scope}"
          f" [{', '.join(sorted(report.project_codes)) or 'no offices'}]")
    print(f"total: {_figures(report.totals)}")
    for title, table in (("by category", report.by_category), ("by department", report.by_department)):
        print(title + ":")
        for key, counter in sorted(table.items()):
            print(f"  {key}: {_figures(counter)}")
    print(_met("progress within 3 working days", report.progress))
    print(_met("resolved within 7 days or the agreed extension", report.resolution))
    print(f"owner confirmation: {report.confirmed} of {report.totals['closed']} closed "
          f"({_percent(report.confirmation_rate)})")
    print(f"ratings: result {_average(report.rating_result.value)} ({report.rating_result.count}), "
          f"attitude {_average(report.rating_attitude.value)} ({report.rating_attitude.count})")
    print(f"major complaints: {len(report.majors)}")
    for code, major in report.majors:
        print(f"  {major.number} [{code}] {major.category} / {major.department}, {major.status}, "
              f"received {major.received_at:%Y-%m-%d %H:%M} UTC")
    print("repairs completed (warranty class: repairs, settled cost in yuan):")
    others = sorted(set(report.repair_costs) - set(REPAIR_CLASSES))
    for class_payer in (*REPAIR_CLASSES, *others):
        cost = report.repair_costs[class_payer]
        name = _CLASS_NAMES.get(class_payer, "/".join(class_payer))
        print(f"  {name}: {cost.repairs}, {cost.cost_fen // 100}.{cost.cost_fen % 100:02d}")
