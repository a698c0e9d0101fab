"""The complaint figures of a period printed for the admin CLI (`admin report weekly`, `admin report
monthly`): one office's or the company's, in English; and, on request, the report's workbook and key
chart as the managers get them in chat, in a chosen language."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from bot.cli.common import admin_errors
from dialogs.text import Msg, Text
from services.common.locale import SUPPORTED_LOCALES
from services.people.project_names import project_text
from services.reports.periods import Period
from services.reports.weekly import FIGURES, REPAIR_CLASSES, Met, PeriodReport
from storage.models import Project


def add_file_options(command: argparse.ArgumentParser) -> None:
    command.add_argument("--xlsx", type=Path, help="also write the report's workbook to this file")
    command.add_argument("--png", type=Path, help="also write the report's key chart (PNG) to this file")
    command.add_argument("--locale", default=SUPPORTED_LOCALES[0], choices=SUPPORTED_LOCALES,
                         help="the language of the workbook and chart (default zh_Hans_CN)")


def write_files(report: PeriodReport, project: Project | None, period: Period, args: argparse.Namespace) -> None:
    """The workbook and chart asked for with --xlsx / --png, as sent in chat."""
    if not (args.xlsx or args.png):
        return
    from bot.i18n import Catalogs
    from services.reports.render import COMPANY, key_chart_png, report_workbook

    label = Catalogs().get(args.locale).label
    scope: Text = project_text(project) if project is not None else Msg(COMPANY)
    if args.xlsx:
        with admin_errors(OSError):
            args.xlsx.write_bytes(report_workbook(report, scope, period, label))
        print(f"workbook ({args.locale}) written to {args.xlsx}")
    if args.png:
        with admin_errors(OSError):
            args.png.write_bytes(key_chart_png(report, scope, period, label))
        print(f"chart ({args.locale}) written to {args.png}")


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


def print_report(report: PeriodReport, scope: str, title: str | None = None) -> None:
    """The figures; ``title`` heads them ("monthly complaint summary 2026-11"), else the ISO week's."""
    if title is None:
        year, week, _ = report.monday.isocalendar()
        title = f"weekly complaint report {year}-W{week:02d}"
    print(f"{title} ({report.start} – {report.last_day}), {scope}"
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
