"""`estatebot admin report …` subcommands (issue 15). STUB."""

from __future__ import annotations

from bot.cli.common import Subparsers


def register(reports: Subparsers) -> None:
    return None
