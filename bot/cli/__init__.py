"""`estatebot` command line: `run` starts the bot; `admin …` maintains roster, staff and schema.

One module per command group, each with ``register(subparsers)``; this module assembles them. The admin
commands never import aiogram (it costs seconds to import); only `run` does, inside the command. Only
`admin migrate` / `admin downgrade` (and `run`, at start) change the schema; every other admin command
refuses to work on a database that is not at the head revision (``common.admin_session``).

The parser is the standard library's argparse: a command-line library would not earn its place for
~25 subcommands, and would add its import time to every admin call.
"""

from __future__ import annotations

import argparse
import logging
from collections.abc import Sequence

from bot.cli import (
    calendar,
    care,
    common,
    exports,
    inbox,
    invites,
    projects,
    repairs,
    reports,
    roster,
    routing,
    run,
    schema,
    staff,
    surveys,
    warranty,
)
from bot.settings import Settings

__all__ = ["main"]

# In the order `estatebot admin --help` lists them.
ADMIN_GROUPS = (schema, projects, roster, staff, invites, routing, inbox, calendar, warranty, repairs,
                surveys, care, reports, exports)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 2
    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if getattr(args, "admin", False):
        # An admin command's output is what it prints; Alembic's INFO lines ("Context impl SQLiteImpl")
        # on every command buried it. `admin migrate` says itself which revisions it went through.
        logging.getLogger("alembic").setLevel(logging.WARNING)
    return common.execute(args.func, settings, args)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="estatebot", description="Customer-service bot for owners and staff.")
    commands = parser.add_subparsers()
    run.register(commands)
    admin_parser = commands.add_parser("admin", help="administration")
    admin_parser.set_defaults(admin=True)
    admin = admin_parser.add_subparsers()
    for group in ADMIN_GROUPS:
        group.register(admin)
    return parser
