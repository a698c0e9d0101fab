"""`estatebot admin survey report …`: survey reports (DOMAIN 3.6). Filled in by the reports work."""

from __future__ import annotations

from bot.cli.common import Subparsers


def register_into(survey_commands: Subparsers) -> None:
    """Add the report subcommands to the `survey` group (``bot.cli.surveys.register`` calls it)."""
