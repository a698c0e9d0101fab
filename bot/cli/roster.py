"""`estatebot admin import FILE`: owners and units from a .csv or .xlsx roster."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli.common import AdminError, Subparsers, admin_errors, admin_session, print_problems
from bot.settings import Settings
from services.common.clock import SystemClock
from services.people.roster_import import file_columns, import_roster, in_file_terms, missing_columns, read_table


def register(admin: Subparsers) -> None:
    importer = admin.add_parser("import", help="import owners and units from .csv or .xlsx")
    importer.add_argument("file", type=Path)
    importer.add_argument("--dry-run", action="store_true", help="validate only")
    importer.set_defaults(func=_import)


async def _import(settings: Settings, args: argparse.Namespace) -> int:
    path: Path = args.file
    if not await asyncio.to_thread(path.exists):
        raise AdminError(f"no such file: {path}")
    with admin_errors(ValueError):
        missing = await asyncio.to_thread(missing_columns, path)
        columns = await asyncio.to_thread(file_columns, path)
        rows = await asyncio.to_thread(read_table, path)
    if missing:
        raise AdminError(f"missing columns: {', '.join(missing)}")

    async with admin_session(settings) as uow:
        report = await import_roster(uow, rows, SystemClock().now())
        if not report.ok:
            print_problems(in_file_terms(report.errors, columns), "imported")
            return 1
        if not args.dry_run:
            await uow.commit()
        verb = "would import" if args.dry_run else "imported"
        units_updated = f", {report.units_updated} unit date(s) changed" if report.units_updated else ""
        print(
            f"{verb} {report.rows} rows: {report.owners_created} new owners, {report.owners_updated} updated, "
            f"{report.owners_unchanged} unchanged, {report.buildings_created} new buildings, "
            f"{report.units_created} new units, {report.links_created} owner-unit links{units_updated}"
        )
    return 0
