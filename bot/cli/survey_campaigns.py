"""`estatebot admin survey campaign …`: survey campaigns (DOMAIN 3.3). Filled in by the campaigns work."""

from __future__ import annotations

from bot.cli.common import Subparsers


def register_into(survey_commands: Subparsers) -> None:
    """Add the campaign subcommands to the `survey` group (``bot.cli.surveys.register`` calls it)."""
