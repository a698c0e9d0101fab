"""`estatebot admin project add|list`: projects (communities)."""

from __future__ import annotations

import argparse

from bot.cli.common import Subparsers, admin_session
from bot.settings import Settings
from services.common.clock import SystemClock
from services.people import admin


def register(admin_commands: Subparsers) -> None:
    project = admin_commands.add_parser("project", help="projects (communities)").add_subparsers()
    add = project.add_parser("add")
    add.add_argument("code")
    add.add_argument("name")
    add.add_argument("--region", default="CN", choices=admin.REGIONS)
    add.add_argument("--timezone", default="Asia/Shanghai")
    add.set_defaults(func=_add)
    project.add_parser("list").set_defaults(func=_list)


async def _add(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        project = await admin.add_project(uow, args.code, args.name, args.region, args.timezone, SystemClock().now())
        await uow.commit()
        print(f"project {project.code} ({project.name}) added, id {project.id}")
    return 0


async def _list(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        projects = await uow.projects.all()
        if not projects:
            print("no projects yet; add one with: estatebot admin project add CODE NAME")
        for project in projects:
            print(f"{project.code}\t{project.name}\t{project.region}\t{project.timezone}")
    return 0
