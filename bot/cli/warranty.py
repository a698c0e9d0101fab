"""`estatebot admin warranty set|seasons|show`: contract warranty periods, seasons and design life (DOMAIN 2.2)."""

from __future__ import annotations

import argparse

from bot.cli.common import Subparsers, admin_errors, admin_session
from bot.settings import Settings
from services.people import admin
from storage.models import Project


def register(admin_commands: Subparsers) -> None:
    warranty = admin_commands.add_parser(
        "warranty", help="warranty periods and seasons (DOMAIN 2.2)").add_subparsers()
    set_ = warranty.add_parser("set", help="a contract's longer period for a component (project or building)")
    set_.add_argument("project")
    set_.add_argument("component")
    set_.add_argument("side", choices=("builder", "owner"))
    set_.add_argument("period", help="5y, 18m, 3s (heating/cooling periods) or life")
    set_.add_argument("--building")
    set_.set_defaults(func=_set)
    seasons = warranty.add_parser("seasons", help="heating/cooling seasons (MM-DD/MM-DD) and design life")
    seasons.add_argument("project")
    seasons.add_argument("--heating")
    seasons.add_argument("--cooling", help="MM-DD/MM-DD, or none")
    seasons.add_argument("--design-life", type=int)
    seasons.set_defaults(func=_seasons)
    show = warranty.add_parser("show", help="the statutory minimums and a project's settings")
    show.add_argument("project")
    show.set_defaults(func=_show)


def _seasons_line(project: Project) -> str:
    return (f"{project.code}: heating {project.heating_season or '11-15/03-15 (default)'}, cooling "
            f"{project.cooling_season or 'none'}, design life {project.design_life_years or 50} years")


async def _set(settings: Settings, args: argparse.Namespace) -> int:
    from services.repairs.warranty_admin import WarrantySettingError, set_override

    async with admin_session(settings) as uow:
        project = await admin.project_by_code(uow, args.project)
        with admin_errors(WarrantySettingError):
            await set_override(uow, project, args.component, args.side, args.period, args.building)
        await uow.commit()
        where = f"{project.code} {args.building}" if args.building else project.code
        print(f"{where}: {args.component} {args.side}'s warranty is now {args.period} by contract")
    return 0


async def _seasons(settings: Settings, args: argparse.Namespace) -> int:
    from services.repairs.warranty_admin import WarrantySettingError, set_seasons

    async with admin_session(settings) as uow:
        project = await admin.project_by_code(uow, args.project)
        with admin_errors(WarrantySettingError):
            set_seasons(project, args.heating, args.cooling, args.design_life)
        await uow.commit()
        print(_seasons_line(project))
    return 0


async def _show(settings: Settings, args: argparse.Namespace) -> int:
    from services.repairs.warranty import Period
    from services.repairs.warranty_admin import period_code, statutory_table

    async with admin_session(settings) as uow:
        project = await admin.project_by_code(uow, args.project)
        print(_seasons_line(project))
        print("component\tbuilder minimum\towner minimum")
        for line in statutory_table():
            print("\t".join(line))
        overrides = await uow.repairs.overrides(project.id)
        if not overrides:
            print(f"no contract overrides for {project.code}: the statutory minimums apply")
        for row in overrides:
            building = await uow.units.building_by_id(row.building_id) if row.building_id else None
            where = building.name if building else "project"
            code = period_code(Period(row.period_kind, row.period_count))  # type: ignore[arg-type]
            print(f"override\t{where}\t{row.component}\t{row.side}\t{code}")
    return 0
