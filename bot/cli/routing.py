"""`estatebot admin routing set|show`: which department leads each complaint category of a project."""

from __future__ import annotations

import argparse

from bot.cli.common import Subparsers, admin_errors, admin_session
from bot.settings import Settings
from services.people import admin


def register(admin_commands: Subparsers) -> None:
    routing = admin_commands.add_parser(
        "routing", help="which department leads each complaint category").add_subparsers()
    set_ = routing.add_parser("set", help="override the default department for a project's category")
    set_.add_argument("project")
    set_.add_argument("category")
    set_.add_argument("department")
    set_.set_defaults(func=_set)
    show = routing.add_parser("show", help="the routing table a project uses")
    show.add_argument("project")
    show.set_defaults(func=_show)


async def _set(settings: Settings, args: argparse.Namespace) -> int:
    from services.complaints.routing import set_override

    async with admin_session(settings) as uow:
        project = await admin.project_by_code(uow, args.project)
        with admin_errors(ValueError):
            await set_override(uow, project.id, args.category, args.department)
        await uow.commit()
        print(f"{project.code}: {args.category} complaints now go to {args.department}")
    return 0


async def _show(settings: Settings, args: argparse.Namespace) -> int:
    from services.complaints.routing import DEFAULT_ROUTES, lead_department

    async with admin_session(settings) as uow:
        project = await admin.project_by_code(uow, args.project)
        for category, default in DEFAULT_ROUTES.items():
            department = await lead_department(uow, project.id, category.value)
            note = "" if department == default.value else f"  (default: {default.value})"
            print(f"{category.value}\t{department}{note}")
    return 0
