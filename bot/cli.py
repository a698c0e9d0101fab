"""`estatebot` command line: `run` starts the bot; `admin …` maintains roster, staff and schema.

The admin commands never import aiogram (it costs seconds to import); only `run` does.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import Any

from bot.settings import Settings
from services.common.clock import SystemClock
from services.people import admin
from services.people.roster_import import import_roster, missing_columns, read_table
from storage.db import create_engine, create_sessionmaker
from storage.migrate import downgrade, upgrade
from storage.uow import UnitOfWork


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        result: int = asyncio.run(args.func(settings, args))
        return result
    except admin.AdminError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="estatebot", description="Customer-service bot for owners and staff.")
    commands = parser.add_subparsers()
    run = commands.add_parser("run", help="start the bot (polling, webhook, or the local sandbox without a token)")
    run.set_defaults(func=_run)

    admin_parser = commands.add_parser("admin", help="administration").add_subparsers()
    migrate = admin_parser.add_parser("migrate", help="upgrade the database schema")
    migrate.add_argument("--revision", default="head")
    migrate.set_defaults(func=_migrate)
    down = admin_parser.add_parser("downgrade", help="downgrade the database schema to a revision")
    down.add_argument("revision")
    down.set_defaults(func=_downgrade)

    project = admin_parser.add_parser("project", help="projects (communities)").add_subparsers()
    project_add = project.add_parser("add")
    project_add.add_argument("code")
    project_add.add_argument("name")
    project_add.add_argument("--region", default="CN", choices=admin.REGIONS)
    project_add.add_argument("--timezone", default="Asia/Shanghai")
    project_add.set_defaults(func=_project_add)
    project.add_parser("list").set_defaults(func=_project_list)

    importer = admin_parser.add_parser("import", help="import owners and units from .csv or .xlsx")
    importer.add_argument("file", type=Path)
    importer.add_argument("--dry-run", action="store_true", help="validate only")
    importer.set_defaults(func=_import)

    staff = admin_parser.add_parser("staff", help="staff members").add_subparsers()
    staff_add = staff.add_parser("add", help="add a staff member and print their one-time binding code")
    staff_add.add_argument("--name", required=True)
    staff_add.add_argument("--department", required=True)
    staff_add.add_argument("--role", default="member")
    staff_add.add_argument("--phone")
    staff_add.add_argument("--project")
    staff_add.set_defaults(func=_staff_add)
    staff.add_parser("list").set_defaults(func=_staff_list)
    deactivate = staff.add_parser("deactivate")
    deactivate.add_argument("staff_id", type=int)
    deactivate.set_defaults(func=_staff_deactivate)
    code = staff.add_parser("code", help="a new one-time binding code for a staff member")
    code.add_argument("staff_id", type=int)
    code.set_defaults(func=_staff_code)

    invite = admin_parser.add_parser("invite", help="a one-time invitation code for an owner")
    invite.add_argument("--phone", required=True)
    invite.set_defaults(func=_invite)

    routing = admin_parser.add_parser("routing", help="which department leads each complaint category").add_subparsers()
    routing_set = routing.add_parser("set", help="override the default department for a project's category")
    routing_set.add_argument("project")
    routing_set.add_argument("category")
    routing_set.add_argument("department")
    routing_set.set_defaults(func=_routing_set)
    routing_show = routing.add_parser("show", help="the routing table a project uses")
    routing_show.add_argument("project")
    routing_show.set_defaults(func=_routing_show)

    inbox = admin_parser.add_parser("inbox", help="the communication log (inquiries, suggestions, praise)")
    inbox.add_argument("--limit", type=int, default=20)
    inbox.set_defaults(func=_inbox)

    calendar = admin_parser.add_parser("calendar", help="working-day calendars (holiday schedules)").add_subparsers()
    calendar_load = calendar.add_parser(
        "load", help="load holiday schedules from a CSV file: date, working (1/0, 上班/休息), name (optional)"
    )
    calendar_load.add_argument("region", type=str.upper, choices=admin.REGIONS)
    calendar_load.add_argument("file", type=Path)
    calendar_load.set_defaults(func=_calendar_load)
    calendar_show = calendar.add_parser("show", help="a year's weekday holidays and working weekends, and their source")
    calendar_show.add_argument("region", type=str.upper, choices=admin.REGIONS)
    calendar_show.add_argument("year", type=int)
    calendar_show.set_defaults(func=_calendar_show)

    warranty = admin_parser.add_parser("warranty", help="warranty periods and seasons (DOMAIN 2.2)").add_subparsers()
    warranty_set = warranty.add_parser("set", help="a contract's longer period for a component (project or building)")
    warranty_set.add_argument("project")
    warranty_set.add_argument("component")
    warranty_set.add_argument("side", choices=("builder", "owner"))
    warranty_set.add_argument("period", help="5y, 18m, 3s (heating/cooling periods) or life")
    warranty_set.add_argument("--building")
    warranty_set.set_defaults(func=_warranty_set)
    warranty_seasons = warranty.add_parser("seasons", help="heating/cooling seasons (MM-DD/MM-DD) and design life")
    warranty_seasons.add_argument("project")
    warranty_seasons.add_argument("--heating")
    warranty_seasons.add_argument("--cooling", help="MM-DD/MM-DD, or none")
    warranty_seasons.add_argument("--design-life", type=int)
    warranty_seasons.set_defaults(func=_warranty_seasons)
    warranty_show = warranty.add_parser("show", help="the statutory minimums and a project's settings")
    warranty_show.add_argument("project")
    warranty_show.set_defaults(func=_warranty_show)

    repairs = admin_parser.add_parser("repairs", help="repair records and workers' ratings").add_subparsers()
    export = repairs.add_parser("export", help="《维修服务及回访记录表》 of a period as .xlsx")
    export.add_argument("period", help="2026Q4, 2026 or 2026-11 (by the date the repair was received)")
    export.add_argument("file", type=Path)
    export.add_argument("--project")
    export.add_argument("--locale", default="zh_Hans_CN")
    export.set_defaults(func=_repairs_export)
    ratings = repairs.add_parser("ratings", help="each repair worker's jobs and average ratings in a period")
    ratings.add_argument("period", help="2026Q4, 2026 or 2026-11")
    ratings.add_argument("--project")
    ratings.set_defaults(func=_repairs_ratings)
    return parser


async def _with_uow(settings: Settings, work: Callable[[UnitOfWork], Awaitable[Any]]) -> Any:
    await upgrade(settings.database_url)
    engine = create_engine(settings.database_url)
    try:
        async with UnitOfWork(create_sessionmaker(engine)) as uow:
            return await work(uow)
    finally:
        await engine.dispose()


async def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    await upgrade(settings.database_url, args.revision)
    print(f"database at revision {args.revision}")
    return 0


async def _downgrade(settings: Settings, args: argparse.Namespace) -> int:
    await downgrade(settings.database_url, args.revision)
    print(f"database downgraded to {args.revision}")
    return 0


async def _project_add(settings: Settings, args: argparse.Namespace) -> int:
    async def work(uow: UnitOfWork) -> None:
        project = await admin.add_project(uow, args.code, args.name, args.region, args.timezone, SystemClock().now())
        await uow.commit()
        print(f"project {project.code} ({project.name}) added, id {project.id}")

    await _with_uow(settings, work)
    return 0


async def _project_list(settings: Settings, args: argparse.Namespace) -> int:
    async def work(uow: UnitOfWork) -> None:
        for project in await uow.projects.all():
            print(f"{project.code}\t{project.name}\t{project.region}\t{project.timezone}")

    await _with_uow(settings, work)
    return 0


async def _import(settings: Settings, args: argparse.Namespace) -> int:
    path: Path = args.file
    if not await asyncio.to_thread(path.exists):
        raise admin.AdminError(f"no such file: {path}")
    try:
        missing = await asyncio.to_thread(missing_columns, path)
        rows = await asyncio.to_thread(read_table, path)
    except ValueError as exc:
        raise admin.AdminError(str(exc)) from None
    if missing:
        raise admin.AdminError(f"missing columns: {', '.join(missing)}")

    async def work(uow: UnitOfWork) -> int:
        report = await import_roster(uow, rows, SystemClock().now())
        if not report.ok:
            print(f"{len(report.errors)} problem(s) found; nothing was imported:", file=sys.stderr)
            for error in report.errors:
                print(f"  {error}", file=sys.stderr)
            return 1
        if not args.dry_run:
            await uow.commit()
        verb = "would import" if args.dry_run else "imported"
        print(
            f"{verb} {report.rows} rows: {report.owners_created} new owners, {report.owners_updated} updated, "
            f"{report.buildings_created} new buildings, {report.units_created} new units, "
            f"{report.links_created} owner-unit links"
        )
        return 0

    result: int = await _with_uow(settings, work)
    return result


async def _staff_add(settings: Settings, args: argparse.Namespace) -> int:
    async def work(uow: UnitOfWork) -> None:
        new = await admin.add_staff(uow, name=args.name, department=args.department, role=args.role,
                                    phone=args.phone, project_code=args.project, now=SystemClock().now())
        await uow.commit()
        print(f"staff {new.staff.id} {new.staff.name} ({new.staff.department}/{new.staff.role}) added")
        print(f"one-time binding code: {new.code}  (send /start {new.code} to the bot; valid 3 days)")

    await _with_uow(settings, work)
    return 0


async def _staff_list(settings: Settings, args: argparse.Namespace) -> int:
    async def work(uow: UnitOfWork) -> None:
        for staff in await uow.staff.all():
            state = "active" if staff.active else "inactive"
            bound = "bound" if staff.telegram_user_id else "not bound"
            print(f"{staff.id}\t{staff.name}\t{staff.department}\t{staff.role}\t{state}\t{bound}")

    await _with_uow(settings, work)
    return 0


async def _staff_deactivate(settings: Settings, args: argparse.Namespace) -> int:
    async def work(uow: UnitOfWork) -> None:
        staff = await admin.deactivate_staff(uow, args.staff_id)
        await uow.commit()
        print(f"staff {staff.id} {staff.name} deactivated")

    await _with_uow(settings, work)
    return 0


async def _staff_code(settings: Settings, args: argparse.Namespace) -> int:
    async def work(uow: UnitOfWork) -> None:
        code = await admin.new_staff_code(uow, args.staff_id, SystemClock().now())
        await uow.commit()
        print(f"one-time binding code: {code}")

    await _with_uow(settings, work)
    return 0


async def _invite(settings: Settings, args: argparse.Namespace) -> int:
    async def work(uow: UnitOfWork) -> None:
        name, code = await admin.new_owner_code(uow, args.phone, SystemClock().now())
        await uow.commit()
        print(f"invitation code for {name}: {code}  (valid 14 days; the owner types it, or sends /start {code})")

    await _with_uow(settings, work)
    return 0


async def _routing_set(settings: Settings, args: argparse.Namespace) -> int:
    from services.complaints.routing import set_override

    async def work(uow: UnitOfWork) -> None:
        project = await admin.project_by_code(uow, args.project)
        try:
            await set_override(uow, project.id, args.category, args.department)
        except ValueError as exc:
            raise admin.AdminError(str(exc)) from None
        await uow.commit()
        print(f"{project.code}: {args.category} complaints now go to {args.department}")

    await _with_uow(settings, work)
    return 0


async def _routing_show(settings: Settings, args: argparse.Namespace) -> int:
    from services.complaints.routing import DEFAULT_ROUTES, lead_department

    async def work(uow: UnitOfWork) -> None:
        project = await admin.project_by_code(uow, args.project)
        for category, default in DEFAULT_ROUTES.items():
            department = await lead_department(uow, project.id, category.value)
            note = "" if department == default.value else f"  (default: {default.value})"
            print(f"{category.value}\t{department}{note}")

    await _with_uow(settings, work)
    return 0


async def _inbox(settings: Settings, args: argparse.Namespace) -> int:
    from services.inquiries.log import entry_number

    async def work(uow: UnitOfWork) -> None:
        for entry in await uow.communication.recent(limit=args.limit):
            who = entry.name or "-"
            print(f"{entry_number(entry.id)}\t{entry.created_at:%Y-%m-%d %H:%M}\t{entry.kind}\t{entry.status}\t"
                  f"{who}\t{entry.text}")

    await _with_uow(settings, work)
    return 0


async def _calendar_load(settings: Settings, args: argparse.Namespace) -> int:
    from services.calendar.workdays import load_calendar

    path: Path = args.file
    if not await asyncio.to_thread(path.is_file):
        raise admin.AdminError(f"no such file: {path}")

    async def work(uow: UnitOfWork) -> int:
        report = await load_calendar(uow, args.region, path, SystemClock().now())
        if not report.ok:
            print(f"{len(report.errors)} problem(s) found; nothing was loaded:", file=sys.stderr)
            for error in report.errors:
                print(f"  {error}", file=sys.stderr)
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

    result: int = await _with_uow(settings, work)
    return result


_WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


async def _calendar_show(settings: Settings, args: argparse.Namespace) -> int:
    from services.calendar.workdays import MAX_YEAR, MIN_YEAR, year_summary

    if not MIN_YEAR <= args.year <= MAX_YEAR:
        raise admin.AdminError(f"the year must be between {MIN_YEAR} and {MAX_YEAR}")

    async def work(uow: UnitOfWork) -> None:
        summary = await year_summary(uow, args.region, args.year)
        if summary.status == "loaded":
            loaded_at = f"{summary.loaded_at:%Y-%m-%d %H:%M} UTC" if summary.loaded_at else "?"
            status = (f"loaded from {summary.source or '?'} at {loaded_at}; "
                      f"days not in the file follow the statutory rules ({summary.package})")
        elif summary.status == "published":
            status = f"published schedule ({summary.package})"
        else:
            status = (f"assumed: schedule not yet published; statutory holidays by rule ({summary.package}), "
                      f"no adjusted weekends. Load it with: estatebot admin calendar load {summary.region} FILE.csv")
        print(f"{summary.region} {summary.year}: {status}")
        for day in summary.days:
            kind = "working" if day.working else "holiday"
            origin = "\tloaded" if day.loaded else ""
            print(f"{day.day}\t{_WEEKDAYS[day.day.weekday()]}\t{kind}\t{day.name or ''}{origin}".rstrip("\t"))

    await _with_uow(settings, work)
    return 0


async def _warranty_set(settings: Settings, args: argparse.Namespace) -> int:
    from services.repairs.warranty_admin import WarrantySettingError, set_override

    async def work(uow: UnitOfWork) -> None:
        project = await admin.project_by_code(uow, args.project)
        try:
            await set_override(uow, project, args.component, args.side, args.period, args.building)
        except WarrantySettingError as exc:
            raise admin.AdminError(str(exc)) from None
        await uow.commit()
        where = f"{project.code} {args.building}" if args.building else project.code
        print(f"{where}: {args.component} {args.side}'s warranty is now {args.period} by contract")

    await _with_uow(settings, work)
    return 0


async def _warranty_seasons(settings: Settings, args: argparse.Namespace) -> int:
    from services.repairs.warranty_admin import WarrantySettingError, set_seasons

    async def work(uow: UnitOfWork) -> None:
        project = await admin.project_by_code(uow, args.project)
        try:
            set_seasons(project, args.heating, args.cooling, args.design_life)
        except WarrantySettingError as exc:
            raise admin.AdminError(str(exc)) from None
        await uow.commit()
        print(f"{project.code}: heating {project.heating_season or '11-15/03-15 (default)'}, cooling "
              f"{project.cooling_season or 'none'}, design life {project.design_life_years or 50} years")

    await _with_uow(settings, work)
    return 0


async def _warranty_show(settings: Settings, args: argparse.Namespace) -> int:
    from services.repairs.warranty import Period
    from services.repairs.warranty_admin import period_code, statutory_table
    from storage.models import Building

    async def work(uow: UnitOfWork) -> None:
        project = await admin.project_by_code(uow, args.project)
        print(f"{project.code}: heating {project.heating_season or '11-15/03-15 (default)'}, cooling "
              f"{project.cooling_season or 'none'}, design life {project.design_life_years or 50} years")
        print("component\tbuilder minimum\towner minimum")
        for line in statutory_table():
            print("\t".join(line))
        for row in await uow.repairs.overrides(project.id):
            building = await uow.session.get(Building, row.building_id) if row.building_id else None
            where = building.name if building else "project"
            code = period_code(Period(row.period_kind, row.period_count))  # type: ignore[arg-type]
            print(f"override\t{where}\t{row.component}\t{row.side}\t{code}")

    await _with_uow(settings, work)
    return 0


async def _report_scope(uow: UnitOfWork, args: argparse.Namespace) -> tuple[Any, Any, int | None, str]:
    from services.repairs.reports import period

    try:
        start, end = period(args.period)
    except ValueError as exc:
        raise admin.AdminError(str(exc)) from None
    project = await admin.project_by_code(uow, args.project) if args.project else None
    return start, end, project.id if project else None, project.timezone if project else "Asia/Shanghai"


async def _repairs_export(settings: Settings, args: argparse.Namespace) -> int:
    from bot.i18n import Catalogs
    from services.repairs.reports import COLUMNS, RECORD_TITLE, record_rows, write_xlsx

    async def work(uow: UnitOfWork) -> int:
        start, end, project_id, zone = await _report_scope(uow, args)
        rows = await record_rows(uow, start, end, project_id, zone)
        tr = Catalogs().get(args.locale)
        rendered = [[cell if isinstance(cell, int) else tr.label(cell) for cell in row] for row in rows]
        write_xlsx(args.file, tr.gettext(RECORD_TITLE), [tr.gettext(c) for c in COLUMNS], rendered)
        print(f"{len(rows)} repairs received {start} to {end} written to {args.file}")
        return len(rows)

    await _with_uow(settings, work)
    return 0


async def _repairs_ratings(settings: Settings, args: argparse.Namespace) -> int:
    from services.repairs.reports import worker_ratings

    async def work(uow: UnitOfWork) -> None:
        start, end, project_id, zone = await _report_scope(uow, args)
        print(f"repairs received {start} to {end}")
        print("worker\tjobs\trated\tquality\tattitude\tlow ratings")
        for r in await worker_ratings(uow, start, end, project_id, zone):
            quality = f"{r.quality:.2f}" if r.quality is not None else "-"
            attitude = f"{r.attitude:.2f}" if r.attitude is not None else "-"
            print(f"{r.name}\t{r.jobs}\t{r.rated}\t{quality}\t{attitude}\t{r.low}")

    await _with_uow(settings, work)
    return 0


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    await upgrade(settings.database_url)
    from bot.app import Runtime, run_polling, run_webhook

    runtime = Runtime.create(settings)
    if settings.bot_token is not None:
        token = settings.bot_token.get_secret_value()
        if settings.webhook_url:
            await run_webhook(runtime, token)
        else:
            await run_polling(runtime, token)
        return 0
    from bot.sandbox.runner import run_sandbox

    await run_sandbox(runtime)
    return 0
