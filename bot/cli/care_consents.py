"""`estatebot admin care consent set|show`: an owner's consent per kind as collected on paper
(source ``admin``), and his decisions with their times (DOMAIN 4.6).

    care consent set --owner PHONE --kind greetings|events|surveys --granted yes|no [--wording W]
    care consent show --owner PHONE

A no cancels that kind's pending messages to him at once, as a no in chat does
(``services.care.consent.record``).
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.cli.common import AdminError, Subparsers, admin_session
from bot.settings import Settings
from dialogs.phones import normalize_phone
from storage.models import Owner
from storage.uow import UnitOfWork

PAPER = "paper"  # the default wording version of a consent collected on paper


def register_into(commands: Subparsers) -> None:
    """Add the consent subcommands to `estatebot admin care`."""
    from services.care.consent import ConsentKind

    consent = commands.add_parser("consent", help="an owner's consents: record one from paper, show the history")
    actions = consent.add_subparsers()
    put = actions.add_parser("set", help="record an owner's decision for one kind (as collected on paper)")
    put.add_argument("--owner", required=True, metavar="PHONE")
    put.add_argument("--kind", required=True, choices=[kind.value for kind in ConsentKind])
    put.add_argument("--granted", required=True, choices=["yes", "no"])
    put.add_argument("--wording", default=PAPER, help=f"the version of the form he signed (default: {PAPER})")
    put.set_defaults(func=_set)
    show = actions.add_parser("show", help="an owner's decisions, oldest first, with their times")
    show.add_argument("--owner", required=True, metavar="PHONE")
    show.set_defaults(func=_show)


async def _owner(uow: UnitOfWork, phone: str) -> Owner:
    e164 = normalize_phone(phone)
    if e164 is None:
        raise AdminError(f"not a phone number: {phone!r}")
    owner = await uow.owners.by_phone(e164)
    if owner is None:
        raise AdminError(f"no owner with phone {e164}")
    if owner.anonymised_at is not None:
        raise AdminError(f"owner {owner.id} was anonymised; his consents cannot change")
    return owner


async def _set(settings: Settings, args: argparse.Namespace) -> int:
    from services.care.consent import ConsentKind, Source, owner_zone, record

    wording = args.wording.strip()
    if not wording or len(wording) > 32:
        raise AdminError("--wording is 1 to 32 characters")
    kind, granted, now = ConsentKind(args.kind), args.granted == "yes", datetime.now(UTC)
    async with admin_session(settings) as uow:
        owner = await _owner(uow, args.owner)
        previous = (await uow.consents.latest(owner.id)).get(kind.value)
        changed = await record(uow, owner.id, kind, granted, wording, Source.ADMIN, now)  # cancelled / restored
        zone = await owner_zone(uow, owner.id)
        was = "never asked" if previous is None else ("yes" if previous.granted else "no")
        who = f"{owner.name} ({owner.phone})"
        await uow.commit()
    print(f"{who}: {kind.value} {'yes' if granted else 'no'} (was {was}), recorded "
          f"{now.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M} {zone}, source admin, wording {wording}")
    if not granted:
        print(f"{changed} pending {kind.value} message(s) cancelled")
    elif changed:
        print(f"{changed} {kind.value} message(s) of today, cancelled when it was turned off, will be sent again")
    return 0


async def _show(settings: Settings, args: argparse.Namespace) -> int:
    from services.care.consent import owner_zone

    async with admin_session(settings) as uow:
        owner = await _owner(uow, args.owner)
        history = [(row.recorded_at, row.kind, row.granted, row.source, row.wording)
                   for row in await uow.consents.history(owner.id)]
        zone = await owner_zone(uow, owner.id)
        print(f"{owner.name} ({owner.phone}), times in {zone}")
    if not history:
        print("no decision recorded for any kind yet")
        return 0
    print("recorded\tkind\tdecision\tsource\twording")
    for recorded_at, kind, granted, source, wording in history:
        print(f"{recorded_at.astimezone(ZoneInfo(zone)):%Y-%m-%d %H:%M}\t{kind}\t{'yes' if granted else 'no'}\t"
              f"{source}\t{wording}")
    return 0
