"""`estatebot run`: migrate the database, then start the bot (polling, webhook, or the local sandbox).

The bot runtime (the chat framework CHAT_FRAMEWORK names, aiogram or python-telegram-bot) is imported
inside the command, so that the admin commands never pay for it.
"""

from __future__ import annotations

import argparse

from bot.cli.common import AdminError, Subparsers
from bot.settings import Settings
from storage.migrate import upgrade


def register(commands: Subparsers) -> None:
    run = commands.add_parser("run", help="start the bot (polling, webhook, or the local sandbox without a token)")
    run.set_defaults(func=_run)


WEBHOOK_NEEDS_SECRET = ("webhook mode needs WEBHOOK_SECRET (1–256 characters A-Z, a-z, 0-9, _ and -): without "
                        "it anyone who finds WEBHOOK_URL could post updates as any owner or staff member")


async def _run(settings: Settings, args: argparse.Namespace) -> int:
    if settings.bot_token is not None and settings.webhook_url and not (
            settings.webhook_secret and settings.webhook_secret.get_secret_value()):
        raise AdminError(WEBHOOK_NEEDS_SECRET)
    await upgrade(settings.database_url)
    from bot.cli.surveys import install_shipped_questionnaires

    await install_shipped_questionnaires(settings)
    from bot.runtime import Runtime, freeze_startup_objects

    if settings.chat_framework == "ptb":
        from bot.telegram.ptb.app import run_polling, run_webhook
    else:
        from bot.telegram.aiogram.app import run_polling, run_webhook

    runtime = Runtime.create(settings)
    if settings.bot_token is not None:
        freeze_startup_objects()
        token = settings.bot_token.get_secret_value()
        if settings.webhook_url:
            await run_webhook(runtime, token)
        else:
            await run_polling(runtime, token)
        return 0
    from bot.sandbox.runner import run_sandbox

    freeze_startup_objects()
    await run_sandbox(runtime)
    return 0
