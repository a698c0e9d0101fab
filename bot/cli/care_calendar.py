"""`estatebot admin care specialist|document|occasion …`: the per-owner care calendar (DOMAIN 4.1, 4.3, 4.4).

    care specialist set --owner PHONE (--staff PHONE | --none)
    care document add --project CODE FILE [--name N]      a delivery guide (PDF/JPEG/PNG, ≤ 20 MB)
    care document list [--project CODE]
    care document remove ID
    care occasion add --owner PHONE --kind wedding|birth|graduation|other --date YYYY-MM-DD [--note T] [--by NAME]
    care occasion list [--owner PHONE]
    care occasion remove ID
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
from datetime import UTC, datetime
from pathlib import Path

from bot.cli.common import AdminError, Subparsers, admin_session, iso_date
from bot.settings import Settings
from dialogs.phones import mask_phone
from services.care import calendar_admin
from services.people.admin import project_by_code


def register_into(commands: Subparsers) -> None:
    """Add this module's subcommands to `estatebot admin care`."""
    specialist = commands.add_parser("specialist", help="each owner's customer specialist").add_subparsers()
    put = specialist.add_parser("set", help="assign an owner's customer specialist (told to welcome him)")
    put.add_argument("--owner", required=True, help="the owner's phone")
    who = put.add_mutually_exclusive_group(required=True)
    who.add_argument("--staff", help="the specialist's phone")
    who.add_argument("--none", action="store_true", help="clear the assignment")
    put.set_defaults(func=_set_specialist)

    document = commands.add_parser("document", help="a project's delivery guides").add_subparsers()
    add = document.add_parser("add", help="a delivery guide attached to every delivery notice of the project")
    add.add_argument("--project", required=True)
    add.add_argument("file", type=Path, help="a PDF, JPEG or PNG file, at most 20 MB")
    add.add_argument("--name", help="the file name owners see (default: the file's)")
    add.set_defaults(func=_add_document)
    listing = document.add_parser("list", help="the delivery guides")
    listing.add_argument("--project")
    listing.set_defaults(func=_list_documents)
    remove = document.add_parser("remove", help="no longer attach a guide")
    remove.add_argument("id", type=int)
    remove.set_defaults(func=_remove_document)

    occasion = commands.add_parser("occasion", help="family occasions to congratulate").add_subparsers()
    put_occasion = occasion.add_parser("add", help="congratulate an owner on that date (with his consent)")
    put_occasion.add_argument("--owner", required=True, help="the owner's phone")
    put_occasion.add_argument("--kind", required=True, choices=calendar_admin.OCCASION_KINDS)
    put_occasion.add_argument("--date", required=True, type=iso_date, help="YYYY-MM-DD (the project's local date)")
    put_occasion.add_argument("--note", help="staff's own note; never sent")
    put_occasion.add_argument("--by", help="who recorded it (default: the OS user)")
    put_occasion.set_defaults(func=_add_occasion)
    list_occasions = occasion.add_parser("list", help="the recorded occasions")
    list_occasions.add_argument("--owner", help="the owner's phone")
    list_occasions.set_defaults(func=_list_occasions)
    remove_occasion = occasion.add_parser("remove", help="delete a recorded occasion")
    remove_occasion.add_argument("id", type=int)
    remove_occasion.set_defaults(func=_remove_occasion)



def _now() -> datetime:
    return datetime.now(UTC)


async def _set_specialist(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        owner, staff = await calendar_admin.set_specialist(uow, args.owner, None if args.none else args.staff)
        await uow.commit()
        who = f"{staff.name} (staff {staff.id})" if staff else "nobody"
        print(f"{owner.name} ({mask_phone(owner.phone)}): customer specialist is now {who}")
    return 0


async def _add_document(settings: Settings, args: argparse.Namespace) -> int:
    path: Path = args.file
    try:
        if (await asyncio.to_thread(path.stat)).st_size > calendar_admin.MAX_DOCUMENT_BYTES:
            raise AdminError(f"{path} is larger than 20 MB")
        content = await asyncio.to_thread(path.read_bytes)
    except OSError as exc:
        raise AdminError(f"cannot read {path}: {exc.strerror}") from None
    async with admin_session(settings) as uow:
        document = await calendar_admin.add_document(uow, args.project, args.name or path.name, content, _now())
        await uow.commit()
        kind = calendar_admin.document_kind(content)
        print(f"document {document.id}: {document.name} ({kind}, {len(content)} bytes) is attached to the "
              f"delivery notices of {args.project}")
    return 0


async def _list_documents(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        project_id = (await project_by_code(uow, args.project)).id if args.project else None
        documents = await uow.care_calendar.documents(project_id)
        if not documents:
            print("no delivery guides" + (f" for {args.project}" if args.project else ""))
        else:
            codes = {p.id: p.code for p in await uow.projects.all()}
            print("id\tproject\tname\tadded")
            for d in documents:
                print(f"{d.id}\t{codes.get(d.project_id, d.project_id)}\t{d.name}\t{d.added_at:%Y-%m-%d}")
    return 0


async def _remove_document(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        document = await calendar_admin.remove_document(uow, args.id, _now())
        await uow.commit()
        print(f"document {document.id} ({document.name}) is no longer attached to new delivery notices")
    return 0


async def _add_occasion(settings: Settings, args: argparse.Namespace) -> int:
    by = (args.by or getpass.getuser()).strip() or "admin"
    async with admin_session(settings) as uow:
        occasion = await calendar_admin.add_occasion(uow, args.owner, args.kind, args.date, args.note, by, _now())
        await uow.commit()
        print(f"occasion {occasion.id}: {args.kind} on {occasion.on_date.isoformat()}; congratulated that day "
              "09:00–20:00 if the owner consented to greetings")
        if occasion.on_date < _now().date():
            print("note: that date has passed; nothing will be sent for it")
    return 0


async def _list_occasions(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        owner_id = (await calendar_admin.owner_by_phone(uow, args.owner)).id if args.owner else None
        occasions = await uow.care_calendar.occasions(owner_id)
        if not occasions:
            print("no family occasions recorded")
            return 0
        print("id\towner\tkind\tdate\tnote")
        for o in occasions:
            owner = await uow.owners.get(o.owner_id)
            name = owner.name if owner else str(o.owner_id)
            print(f"{o.id}\t{name}\t{o.kind}\t{o.on_date.isoformat()}\t{o.note or ''}")
    return 0


async def _remove_occasion(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        await calendar_admin.remove_occasion(uow, args.id)
        await uow.commit()
        print(f"occasion {args.id} removed")
    return 0
