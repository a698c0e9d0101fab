"""`estatebot admin care …`: care messages (DOMAIN 4) and the owner's consents.

Each part adds its subcommands to the `care` group from its own module: templates and the dry run
(``care_templates``), notices to a project's owners (``care_notices``), the per-owner calendar —
specialists, delivery guides, family occasions — (``care_calendar``), the owners' consents
(``care_consents``).
"""

from __future__ import annotations

from bot.cli import care_calendar, care_consents, care_notices, care_templates
from bot.cli.common import Subparsers


def register(admin_commands: Subparsers) -> None:
    care = admin_commands.add_parser("care", help="care messages: templates, dry run, notices, calendar, consents")
    commands = care.add_subparsers()
    care_templates.register_into(commands)
    care_notices.register_into(commands)
    care_calendar.register_into(commands)
    care_consents.register_into(commands)
