"""`estatebot admin migrate|downgrade`: the only admin commands that change the database schema."""

from __future__ import annotations

import argparse

from bot.cli.common import Subparsers
from bot.settings import Settings
from storage.migrate import current_revision, downgrade, upgrade


def register(admin: Subparsers) -> None:
    migrate = admin.add_parser("migrate", help="upgrade the database schema")
    migrate.add_argument("--revision", default="head")
    migrate.set_defaults(func=_migrate)
    down = admin.add_parser("downgrade", help="downgrade the database schema to a revision")
    down.add_argument("revision")
    down.set_defaults(func=_downgrade)


async def _migrate(settings: Settings, args: argparse.Namespace) -> int:
    before = await current_revision(settings.database_url)
    await upgrade(settings.database_url, args.revision)
    after = await current_revision(settings.database_url)
    if before == after:
        print(f"database already at revision {after}; nothing to do")
    else:
        print(f"database upgraded from {before or 'an empty database'} to revision {after}")
    if args.revision == "head":
        from bot.cli.surveys import install_shipped_questionnaires

        for questionnaire in await install_shipped_questionnaires(settings):
            print(f"questionnaire {questionnaire} installed")
    return 0


async def _downgrade(settings: Settings, args: argparse.Namespace) -> int:
    before = await current_revision(settings.database_url)
    await downgrade(settings.database_url, args.revision)
    print(f"database downgraded from {before} to revision {await current_revision(settings.database_url) or 'none'}")
    return 0
