"""`estatebot admin calendar load|show`: working-day calendars (holiday schedules, 调休) by region."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from zoneinfo import ZoneInfo

from bot.cli.common import AdminError, Subparsers, admin_session, print_problems
from bot.settings import Settings
from services.common.clock import SystemClock
from services.people import admin

_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def register(admin_commands: Subparsers) -> None:
    calendar = admin_commands.add_parser(
        "calendar", help="working-day calendars (holiday schedules)").add_subparsers()
    load = calendar.add_parser(
        "load", help="load holiday schedules from a CSV file: date, working (1/0, 上班/休息), name (optional)"
    )
    load.add_argument("region", type=str.upper, choices=admin.REGIONS)
    load.add_argument("file", type=Path)
    load.set_defaults(func=_load)
    show = calendar.add_parser("show", help="a year's weekday holidays and working weekends, and their source")
    show.add_argument("region", type=str.upper, choices=admin.REGIONS)
    show.add_argument("year", type=int)
    show.set_defaults(func=_show)


async def _load(settings: Settings, args: argparse.Namespace) -> int:
    from services.calendar.schedule_import import load_calendar

    path: Path = args.file
    if not await asyncio.to_thread(path.is_file):
        raise AdminError(f"no such file: {path}")

    async with admin_session(settings) as uow:
        report = await load_calendar(uow, args.region, path, SystemClock().now())
        if not report.ok:
            print_problems(report.errors, "loaded")
            return 1
        await uow.commit()
        years = ", ".join(map(str, report.years))
        replaced = f" (replacing the earlier load of {', '.join(map(str, report.replaced_years))})" if (
            report.replaced_years) else ""
        print(f"loaded {report.region} {years} from {report.source}: {report.holidays} holiday(s), "
              f"{report.working_days} working day(s){replaced}")
        for warning in report.warnings:
            print(f"note: {warning}")
    return 0


async def _show(settings: Settings, args: argparse.Namespace) -> int:
    from services.calendar.schedule_import import MAX_YEAR, MIN_YEAR, year_summary

    if not MIN_YEAR <= args.year <= MAX_YEAR:
        raise AdminError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")

    async with admin_session(settings) as uow:
        summary = await year_summary(uow, args.region, args.year)
    if summary.status == "loaded":
        loaded_at = (f"{summary.loaded_at.astimezone(ZoneInfo(settings.timezone)):%Y-%m-%d %H:%M} "
                     f"({settings.timezone})" if summary.loaded_at else "?")
        status = (f"loaded from {summary.source or '?'} at {loaded_at}; "
                  f"days not in the file follow the statutory rules ({summary.package})")
    elif summary.status == "published":
        status = f"published schedule ({summary.package})"
    else:
        status = (f"assumed: schedule not yet published; statutory holidays by rule ({summary.package}), "
                  f"no adjusted weekends. Load it with: estatebot admin calendar load {summary.region} FILE.csv")
    print(f"{summary.region} {summary.year}: {status}")
    if not summary.days:
        print("no weekday holidays or working weekends")
    for day in summary.days:
        kind = "working" if day.working else "holiday"
        origin = "\tloaded" if day.loaded else ""
        print(f"{day.day}\t{_WEEKDAYS[day.day.weekday()]}\t{kind}\t{day.name or ''}{origin}".rstrip("\t"))
    return 0
