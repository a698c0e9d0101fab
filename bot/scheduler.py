"""The planner loop: every few minutes, turn deadlines into outbox rows (docs/architecture.md, Push rules).

It runs on the injected clock; planning is idempotent, so a restart or a second instance adds
nothing twice (on PostgreSQL one instance plans at a time under an advisory lock).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from services.common.clock import Clock
from services.pushes.planner import plan
from services.pushes.rules import RuleSettings
from storage.uow import UnitOfWork

log = logging.getLogger(__name__)


class PlannerLoop:
    def __init__(
        self, sessionmaker: async_sessionmaker[AsyncSession], clock: Clock, wake_sender: Callable[[], None],
        interval: float = 60.0, settings: RuleSettings | None = None,
    ) -> None:
        self._sessionmaker = sessionmaker
        self._settings = settings or RuleSettings()
        self._clock = clock
        self._wake_sender = wake_sender
        self._interval = interval
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    async def run_once(self) -> int:
        async with UnitOfWork(self._sessionmaker) as uow:
            report = await plan(uow, self._clock.now(), settings=self._settings)
            await uow.commit()
        planned = len(report.keys) + report.closed_unconfirmed
        if planned:
            log.info("planned %d pushes", planned)
            self._wake_sender()
        return planned

    async def run(self) -> None:
        while not self._stop.is_set():
            try:
                await self.run_once()
            except Exception:  # one failed round must not end planning; the next round retries
                log.exception("planning failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._stop.wait(), self._interval)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run())

    async def close(self) -> None:
        self._stop.set()
        if self._task is not None:
            await self._task
