"""`estatebot admin staff add|list|deactivate|code`: staff members and their one-time binding codes."""

from __future__ import annotations

import argparse

from bot.cli.common import Subparsers, admin_session
from bot.settings import Settings
from services.common.clock import SystemClock
from services.people import admin


def register(admin_commands: Subparsers) -> None:
    staff = admin_commands.add_parser("staff", help="staff members").add_subparsers()
    add = staff.add_parser("add", help="add a staff member and print their one-time binding code")
    add.add_argument("--name", required=True)
    add.add_argument("--department", required=True)
    add.add_argument("--role", default="member")
    add.add_argument("--phone")
    add.add_argument("--project")
    add.set_defaults(func=_add)
    staff.add_parser("list").set_defaults(func=_list)
    deactivate = staff.add_parser("deactivate")
    deactivate.add_argument("staff_id", type=int)
    deactivate.set_defaults(func=_deactivate)
    code = staff.add_parser("code", help="a new one-time binding code for a staff member")
    code.add_argument("staff_id", type=int)
    code.set_defaults(func=_code)


async def _add(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        new = await admin.add_staff(uow, name=args.name, department=args.department, role=args.role,
                                    phone=args.phone, project_code=args.project, now=SystemClock().now())
        await uow.commit()
        print(f"staff {new.staff.id} {new.staff.name} ({new.staff.department}/{new.staff.role}) added")
        print(f"one-time binding code: {new.code}  (send /start {new.code} to the bot; valid 3 days)")
    return 0


async def _list(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        members = await uow.staff.all()
        if not members:
            print("no staff members yet; add one with: estatebot admin staff add --name … --department …")
        for staff in members:
            state = "active" if staff.active else "inactive"
            bound = "bound" if staff.telegram_user_id else "not bound"
            print(f"{staff.id}\t{staff.name}\t{staff.department}\t{staff.role}\t{state}\t{bound}")
    return 0


async def _deactivate(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        staff = await admin.deactivate_staff(uow, args.staff_id)
        await uow.commit()
        print(f"staff {staff.id} {staff.name} deactivated")
    return 0


async def _code(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        code = await admin.new_staff_code(uow, args.staff_id, SystemClock().now())
        await uow.commit()
        print(f"one-time binding code: {code}")
    return 0
