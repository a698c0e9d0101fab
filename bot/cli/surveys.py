"""`estatebot admin survey …`: questionnaires (import, export, list); campaigns and reports add
their subcommands from their own modules (``survey_campaigns``, ``survey_reports``)."""

from __future__ import annotations

from bot.cli import survey_campaigns, survey_reports
from bot.cli.common import Subparsers


def register(admin_commands: Subparsers) -> None:
    survey = admin_commands.add_parser("survey", help="satisfaction surveys: questionnaires, campaigns, reports")
    commands = survey.add_subparsers()
    survey_campaigns.register_into(commands)
    survey_reports.register_into(commands)
