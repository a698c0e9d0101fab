"""(being written)"""

from __future__ import annotations

from bot.cli.common import Subparsers


def register_into(commands: Subparsers) -> None:
    """Add this module's subcommands to `estatebot admin care`."""
