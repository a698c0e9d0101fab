"""`estatebot admin report quarterly|yearly`: the statistics of a quarter or a year (DOMAIN 1.7, 1.8,
2.7) printed in English for one office or the company — complaint figures, repair workers'
evaluation, complaint handlers' ratings, the communication log's counts — and, with ``--xlsx``, the
workbook in the reader's language."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.common import Subparsers, admin_errors, admin_session
from bot.settings import Settings
from services.common.locale import SUPPORTED_LOCALES
from services.people import admin
from services.reports.periods import Period, PeriodKind, last_complete, parse_period

if TYPE_CHECKING:
    from services.reports.statistics import Statistics
    from services.reports.weekly import Met


def register(reports: Subparsers) -> None:
    for kind, example, what in ((PeriodKind.QUARTER, "2026-Q4", "quarter"), (PeriodKind.YEAR, "2026", "year")):
        command = reports.add_parser(kind.value, help=f"print a {what}'s statistics (office or company)")
        command.add_argument(f"--{what}", dest="period", type=_period(kind),
                             help=f"e.g. {example} (default: the last complete {what})")
        command.add_argument("--project", help="office (project) code; default: the whole company")
        command.add_argument("--xlsx", type=Path, help="also write the workbook to this file")
        command.add_argument("--locale", default=SUPPORTED_LOCALES[0], choices=SUPPORTED_LOCALES,
                             help="the workbook's language (default zh_Hans_CN)")
        command.set_defaults(func=_statistics, kind=kind)


def _period(kind: PeriodKind) -> Callable[[str], Period]:
    def parse(text: str) -> Period:
        try:
            return parse_period(text, kind)
        except ValueError as error:
            raise argparse.ArgumentTypeError(str(error)) from error

    return parse


async def _statistics(settings: Settings, args: argparse.Namespace) -> int:
    from dialogs.text import N_, Msg, Text
    from services.people.project_names import project_text
    from services.reports.statistics import company_statistics, office_statistics, statistics_workbook

    period: Period = args.period or last_complete(args.kind, datetime.now(UTC).date())
    async with admin_session(settings) as uow:
        if args.project:
            project = await admin.project_by_code(uow, args.project)
            stats = await office_statistics(uow, project, period)
            scope: Text = project_text(project)
        else:
            stats = await company_statistics(uow, period)
            scope = Msg(N_("Whole company"))
    _print(stats, args.project or "company")
    if args.xlsx:
        from bot.i18n import Catalogs

        with admin_errors(OSError):
            args.xlsx.write_bytes(statistics_workbook(stats, scope, period, Catalogs().get(args.locale).label))
        print(f"workbook ({args.locale}) written to {args.xlsx}")
    return 0


def _percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"


def _average(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _yuan(fen: int) -> str:
    return f"{fen // 100}.{fen % 100:02d}"


def _met(met: Met) -> str:
    return f"{met.met}/{met.due} ({_percent(met.rate)})"


def _print(stats: Statistics, scope: str) -> None:
    period, report = stats.period, stats.complaints
    print(f"{period.kind.value} statistics {period.code} ({period.start} – {period.last_day}), {scope}"
          f" [{', '.join(sorted(report.project_codes)) or 'no offices'}]")
    totals = report.totals
    print(f"complaints: new {totals['new']}, closed {totals['closed']}, open {totals['open']}, "
          f"overdue {totals['overdue']}; progress on time {_met(report.progress)}, "
          f"resolved on time {_met(report.resolution)}; confirmed {report.confirmed} of {totals['closed']}; "
          f"ratings: result {_average(report.rating_result.value)}, attitude {_average(report.rating_attitude.value)}; "
          f"major {len(report.majors)}")
    print("repair workers (jobs, on time, reworks, confirmed, ratings, quality, attitude, rated 1-2, settled yuan):")
    if not stats.workers:
        print("  none")
    for w in stats.workers:
        print(f"  {w.name or '(nobody named)'}: {w.jobs}, {w.on_time} ({_percent(w.on_time_rate)}), {w.reworks}, "
              f"{w.confirmed}, {w.quality.count}, {_average(w.quality.value)}, {_average(w.attitude.value)}, "
              f"{w.low}, {_yuan(w.cost_fen)}")
    print("complaint handlers (closed, confirmed, ratings, result, attitude, progress on time, resolved on time):")
    if not stats.handlers:
        print("  none")
    for h in stats.handlers:
        print(f"  {h.name or '(nobody named)'}: {h.closed}, {h.confirmed} ({_percent(h.confirmation_rate)}), "
              f"{h.result.count}, {_average(h.result.value)}, {_average(h.attitude.value)}, {_met(h.progress)}, "
              f"{_met(h.resolution)}")
    log = stats.communication
    kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(log.logged.items())) or "none"
    hours = "—" if log.average_hours is None else f"{log.average_hours:.1f} h"
    print(f"communication log: {log.total} ({kinds}); answered {log.answered}; average time to answer {hours}")
