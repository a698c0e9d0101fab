"""`estatebot admin inbox`: the latest entries of the communication log (inquiries, suggestions, praise)."""

from __future__ import annotations

import argparse
from zoneinfo import ZoneInfo

from bot.cli.common import Subparsers, admin_session
from bot.settings import Settings


def register(admin: Subparsers) -> None:
    inbox = admin.add_parser("inbox", help="the communication log (inquiries, suggestions, praise)")
    inbox.add_argument("--limit", type=int, default=20)
    inbox.set_defaults(func=_inbox)


async def _inbox(settings: Settings, args: argparse.Namespace) -> int:
    from services.inquiries.log import entry_number

    zone = ZoneInfo(settings.timezone)  # the office's time, as staff read it in chat
    async with admin_session(settings) as uow:
        entries = await uow.communication.recent(limit=args.limit)
        if not entries:
            print("the communication log is empty")
        else:
            print(f"number\treceived ({settings.timezone})\tkind\tstatus\tname\ttext")
        for entry in entries:
            who = entry.name or "-"
            print(f"{entry_number(entry.id)}\t{entry.created_at.astimezone(zone):%Y-%m-%d %H:%M}\t{entry.kind}\t"
                  f"{entry.status}\t{who}\t{entry.text}")
    return 0
