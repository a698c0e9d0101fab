"""`estatebot admin project add|list|name`: projects (communities) and their names per locale."""

from __future__ import annotations

import argparse

from bot.cli.common import Subparsers, admin_errors, admin_session
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
    name = project.add_parser("name", help="the project's name as a locale's readers write it (華苑, Huayuan)")
    name.add_argument("code")
    name.add_argument("locale", help="zh_Hans_CN, zh_Hant_HK, zh_Hant_TW or en")
    name.add_argument("name", nargs="?", help="the name; omit it to go back to the stored name")
    name.set_defaults(func=_name)


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
            names = "  ".join(f"{locale}={text}" for locale, text in sorted((project.names or {}).items()))
            print(f"{project.code}\t{project.name}\t{project.region}\t{project.timezone}" + (f"\t{names}" if names else ""))
    return 0


async def _name(settings: Settings, args: argparse.Namespace) -> int:
    from services.people.project_names import set_name

    async with admin_session(settings) as uow:
        project = await admin.project_by_code(uow, args.code)
        with admin_errors(ValueError):
            set_name(project, args.locale, args.name)
        await uow.commit()
        shown = (project.names or {}).get(args.locale)
        print(f"project {project.code}: {args.locale} readers see " + (shown or f"{project.name} (the stored name)"))
    return 0
