"""`estatebot admin invite --phone …`: a one-time invitation code for an imported owner."""

from __future__ import annotations

import argparse

from bot.cli.common import Subparsers, admin_session
from bot.settings import Settings
from services.common.clock import SystemClock
from services.people import admin


def register(admin_commands: Subparsers) -> None:
    invite = admin_commands.add_parser("invite", help="a one-time invitation code for an owner")
    invite.add_argument("--phone", required=True)
    invite.set_defaults(func=_invite)


async def _invite(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        name, code = await admin.new_owner_code(uow, args.phone, SystemClock().now())
        await uow.commit()
        print(f"invitation code for {name}: {code}  (valid 14 days; the owner types it, or sends /start {code})")
    return 0
