"""One bot process of tests/e2e/test_instances.py (``python -m tests.e2e.instance``).

What `estatebot run` does in webhook mode — settings from the environment (CHAT_FRAMEWORK too), the webhook with its
secret, the drain and the planner, leadership on PostgreSQL — on a clock that starts at
``ESTATEBOT_TEST_NOW`` and runs, so that staff pushes go out at once whatever the real time. The
test migrates the database. SIGTERM stops it as a deploy would (the webhook server closes, the
drain stops, the leader lock is released).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
from datetime import datetime

from bot.runtime import Runtime
from bot.settings import Settings
from services.common.clock import ManualClock


async def serve(settings: Settings, start: datetime) -> None:
    clock = ManualClock()
    clock.advance(start - clock.now())  # real time, shifted to start at ``start``
    runtime = Runtime.create(settings, clock=clock)
    assert settings.bot_token is not None
    task = asyncio.current_task()
    assert task is not None
    asyncio.get_running_loop().add_signal_handler(signal.SIGTERM, task.cancel)
    if settings.chat_framework == "ptb":
        from bot.telegram.ptb.app import run_webhook
    else:
        from bot.telegram.aiogram.app import run_webhook
    with contextlib.suppress(asyncio.CancelledError):
        await run_webhook(runtime, settings.bot_token.get_secret_value())


def main() -> None:
    settings = Settings()
    logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    asyncio.run(serve(settings, datetime.fromisoformat(os.environ["ESTATEBOT_TEST_NOW"])))


if __name__ == "__main__":
    main()
