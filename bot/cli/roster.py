"""`estatebot admin import FILE`: owners and units from a .csv or .xlsx roster."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli.common import AdminError, Subparsers, admin_errors, admin_session, print_problems
from bot.settings import Settings
from services.common.clock import SystemClock
from services.people.roster_import import import_roster, missing_columns, read_table


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
        rows = await asyncio.to_thread(read_table, path)
    if missing:
        raise AdminError(f"missing columns: {', '.join(missing)}")

    async with admin_session(settings) as uow:
        report = await import_roster(uow, rows, SystemClock().now())
        if not report.ok:
            print_problems(report.errors, "imported")
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
