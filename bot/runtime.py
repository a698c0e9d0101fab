"""Everything built once per process and shared by all updates, free of any chat framework:
settings, the database, the clock, the catalogs, the chat core's pipeline, and the background
work (the outbox drain and the push planner) once an adapter hands it a transport."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.i18n import Catalogs
from bot.scheduler import PlannerLoop
from bot.settings import Settings
from handlers import build_router
from handlers.pipeline import Pipeline
from services.capabilities import install
from services.chats.updates import prune_processed_updates
from services.common.clock import Clock, SystemClock
from services.people.onboarding import prune_code_attempts
from services.pushes.drain import OutboxDrain
from services.pushes.ratelimit import RateLimiter
from services.pushes.transport import Transport
from storage.db import create_engine, create_sessionmaker
from storage.uow import UnitOfWork


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    catalogs: Catalogs
    pipeline: Pipeline = field(init=False)
    sender: OutboxDrain | None = None  # the outbox drain, while an adapter runs (start_sender)
    planner: PlannerLoop | None = None  # the push planner, while an adapter runs
    plan_in_background: bool = True  # tests turn it off and plan on their own clock

    def __post_init__(self) -> None:
        install()  # case kinds and push rules, before anything plans or routes
        self.pipeline = Pipeline(
            self.sessionmaker, self.clock, build_router(), default_locale=self.settings.default_locale,
            timezone=self.settings.timezone, on_committed=self.wake_sender, outbound=lambda: self.sender,
        )

    @classmethod
    def create(cls, settings: Settings, clock: Clock | None = None, catalogs: Catalogs | None = None) -> Runtime:
        engine = create_engine(settings.database_url)
        return cls(settings, engine, create_sessionmaker(engine), clock or SystemClock(), catalogs or Catalogs())

    def use_clock(self, clock: Clock) -> None:
        """Move everything onto another clock (the sandbox's, which the web page moves)."""
        self.clock = clock
        self.pipeline.clock = clock

    async def close(self) -> None:
        await self.engine.dispose()

    def wake_sender(self) -> None:
        """A commit enqueued pushes: send them now rather than at the drain's next look."""
        if self.sender is not None:
            self.sender.wake()

    async def start_sender(self, transport: Transport, limiter: RateLimiter | None = None) -> OutboxDrain:
        """The outbox drain as a background task; started once, however often called."""
        if self.sender is None:
            self.sender = OutboxDrain(self.sessionmaker, transport, self.clock, self.settings.default_locale, limiter)
            self.sender.start()
        return self.sender

    async def start_background(self, transport: Transport) -> None:
        await self.start_sender(transport)
        if self.plan_in_background and self.planner is None:
            self.planner = PlannerLoop(self.sessionmaker, self.clock, self.wake_sender)
            self.planner.start()

    async def stop_background(self) -> None:
        planner, self.planner = self.planner, None
        if planner is not None:
            await planner.close()
        sender, self.sender = self.sender, None
        if sender is not None:
            await sender.close()

    async def forget_old_records(self) -> int:
        """Update ids that can no longer be redelivered and wrong codes past every window; how
        many update ids were forgotten."""
        async with UnitOfWork(self.sessionmaker) as uow:
            removed = await prune_processed_updates(uow, self.clock.now())
            await prune_code_attempts(uow, self.clock.now())
            await uow.commit()
        return removed
