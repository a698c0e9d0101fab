"""`estatebot admin survey import|export|templates`: questionnaires edited in Excel (XLSForm layout).

Campaigns and reports add their subcommands to the same `survey` group from their own modules
(``survey_campaigns.register_into``, ``survey_reports.register_into``).
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from bot.cli import survey_campaigns, survey_reports
from bot.cli.common import AdminError, Subparsers, admin_errors, admin_session, print_problems
from bot.settings import Settings


def register(admin_commands: Subparsers) -> None:
    survey = admin_commands.add_parser("survey", help="satisfaction surveys: questionnaires, campaigns, reports")
    commands = survey.add_subparsers()
    importer = commands.add_parser("import", help="import a questionnaire (.xlsx, XLSForm layout) as a new version")
    importer.add_argument("file", type=Path)
    importer.set_defaults(func=_import)
    export = commands.add_parser("export", help="write a questionnaire's version to .xlsx, to edit and import again")
    export.add_argument("form_id")
    export.add_argument("file", type=Path)
    export.add_argument("--version", help="the version to export (default: the latest imported)")
    export.set_defaults(func=_export)
    templates = commands.add_parser("templates", help="list the questionnaires and their versions")
    templates.set_defaults(func=_templates)
    survey_campaigns.register_into(commands)
    survey_reports.register_into(commands)


async def _import(settings: Settings, args: argparse.Namespace) -> int:
    from services.common.clock import SystemClock
    from services.surveys.templates import ImportRefused, import_workbook

    path: Path = args.file
    if not await asyncio.to_thread(path.is_file):
        raise AdminError(f"no such file: {path}")
    data = await asyncio.to_thread(path.read_bytes)
    async with admin_session(settings) as uow:
        try:
            outcome = await import_workbook(uow, data, path.name, SystemClock().now())
        except ImportRefused as refused:
            print_problems(refused.problems, "imported")
            return 1
        template = outcome.template
        for warning in outcome.warnings:
            print(f"warning: {warning}")
        if not outcome.created:
            print(f"{template.form_id} version {template.version} is already imported with the same content; "
                  "nothing changed")
            return 0
        done = (f"imported {template.form_id} version {template.version}: "
                f"{len(template.spec.get('questions', []))} question(s), {len(outcome.warnings)} warning(s)")
        await uow.commit()
    print(done)
    return 0


async def _export(settings: Settings, args: argparse.Namespace) -> int:
    from services.surveys.templates import export_workbook

    async with admin_session(settings) as uow:
        with admin_errors(LookupError):
            template, data = await export_workbook(uow, args.form_id, args.version)
        done = f"{template.form_id} version {template.version} written to {args.file}"
    await asyncio.to_thread(args.file.write_bytes, data)
    print(done)
    return 0


async def _templates(settings: Settings, args: argparse.Namespace) -> int:
    async with admin_session(settings) as uow:
        lines = [
            f"{t.form_id}\t{t.version}\t{t.title.get('zh_Hans_CN') or next(iter(t.title.values()), '')}\t"
            f"{len(t.spec.get('questions', []))}\t{t.imported_at:%Y-%m-%d %H:%M} UTC"
            for t in await uow.survey_templates.all_versions()
        ]
    if not lines:
        print("no questionnaires; import one with: estatebot admin survey import FILE.xlsx")
        return 0
    print("form_id\tversion\ttitle\tquestions\timported_at")
    print("\n".join(lines))
    return 0


async def install_shipped_questionnaires(settings: Settings) -> list[str]:
    """Import the questionnaires shipped with the bot whose form is not in the database yet (after
    `admin migrate` and at `run`'s start); their "form_id version"."""
    from services.common.clock import SystemClock
    from services.surveys.templates import install_shipped

    async with admin_session(settings) as uow:
        added = [f"{t.form_id} {t.version}" for t in await install_shipped(uow, SystemClock().now())]
        await uow.commit()
    return added
