"""A ``Transport`` on either chat framework, for the tests that drive the drain without the bot's
handlers (the sender, the delivery window, leadership)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from bot.i18n import Catalogs
from bot.sandbox.emulator import DEFAULT_TOKEN
from bot.settings import Settings
from services.pushes.transport import Transport


@asynccontextmanager
async def transport_on(framework: str, settings: Settings, catalogs: Catalogs) -> AsyncIterator[Transport]:
    if framework == "ptb":
        from bot.telegram.ptb.app import build_application
        from bot.telegram.ptb.transport import PtbTransport

        # Not initialised (that asks getMe): a transport alone calls only what it sends, as aiogram's
        # Bot does, so that a follower instance makes no Bot API call at all.
        application = build_application(settings, DEFAULT_TOKEN)
        try:
            yield PtbTransport(application.bot, catalogs)
        finally:
            await application.bot.request.shutdown()
        return
    from bot.telegram.aiogram.app import build_bot
    from bot.telegram.aiogram.transport import AiogramTransport

    bot = build_bot(settings, DEFAULT_TOKEN)
    try:
        yield AiogramTransport(bot, catalogs)
    finally:
        await bot.session.close()
