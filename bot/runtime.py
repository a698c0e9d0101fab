"""Everything built once per process and shared by all updates, free of any chat framework:
settings, the database, the clock, the catalogs, the chat core's pipeline, and the background
work (the outbox drain and the push planner) once an adapter hands it a transport.

On PostgreSQL several instances may share the database; only the leader runs the drain
(``bot/leadership.py``), the others hand their answers to it."""

from __future__ import annotations

import gc
from dataclasses import dataclass, field

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.i18n import Catalogs
from bot.leadership import LeaderSends, Leadership, LeaderTiming
from bot.scheduler import PlannerLoop
from bot.settings import Settings
from handlers import build_router
from handlers.pipeline import AnswerSender, Pipeline
from services.capabilities import install
from services.chats.updates import prune_processed_updates
from services.common.clock import Clock, SystemClock
from services.people.onboarding import prune_code_attempts
from services.pushes.drain import OutboxDrain
from services.pushes.ratelimit import RateLimiter
from services.pushes.transport import Transport
from services.reports.labels import use_labels as use_report_labels
from services.surveys.answering import use_settings as use_survey_settings
from storage.db import create_engine, create_sessionmaker
from storage.leadership import LeaderLock, announce_outbox_writes, shares_database
from storage.uow import UnitOfWork


def freeze_startup_objects() -> None:
    """Take what the start-up built out of the garbage collector's sight (``gc.freeze``).

    Modules, catalogs, dialogs, the chat framework's models and compiled statements live as long as
    the process: hundreds of thousands of objects that every full collection walks again. Under load
    that walking was a fifth of the bot's time (measured in ``bench/updates.py``: 0.7 s of 3.1 s);
    frozen, a collection looks only at what the updates allocate. Called once, just before the bot
    starts taking updates (``estatebot run``); tests, which start many runtimes in one process, don't.
    """
    gc.collect()
    gc.freeze()


@dataclass
class Runtime:
    settings: Settings
    engine: AsyncEngine
    sessionmaker: async_sessionmaker[AsyncSession]
    clock: Clock
    catalogs: Catalogs
    pipeline: Pipeline = field(init=False)
    sender: OutboxDrain | None = None  # the outbox drain, while this process sends (start_sender)
    planner: PlannerLoop | None = None  # the push planner, while an adapter runs
    plan_in_background: bool = True  # tests turn it off and plan on their own clock
    leadership: Leadership | None = None  # PostgreSQL: which instance sends (start_sender)
    leader_timing: LeaderTiming = field(default_factory=LeaderTiming)
    _transport: Transport | None = field(default=None, init=False, repr=False)
    _limiter: RateLimiter | None = field(default=None, init=False, repr=False)
    _relay: LeaderSends | None = field(default=None, init=False, repr=False)  # a follower's answers

    def __post_init__(self) -> None:
        install()  # case kinds and push rules, before anything plans or routes
        use_survey_settings(self.settings.rule_settings)  # a finished survey's topic threshold
        use_report_labels(lambda locale: self.catalogs.get(locale).label)  # report files rendered by the planner
        self.pipeline = Pipeline(
            self.sessionmaker, self.clock, build_router(), default_locale=self.settings.default_locale,
            timezone=self.settings.timezone, on_committed=self.wake_sender, outbound=self.answers,
            labels=lambda locale: self.catalogs.get(locale).label,
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
        await self.stop_background()
        await self.engine.dispose()

    def wake_sender(self) -> None:
        """A commit enqueued pushes: send them now rather than at the drain's next look."""
        if self.sender is not None:
            self.sender.wake()

    def answers(self) -> AnswerSender | None:
        """Where the pipeline's answers go: this process's drain while it sends; the leader's (through
        the outbox) while another instance leads; None before any adapter started (sent directly)."""
        return self.sender if self.sender is not None else self._relay

    async def start_sender(self, transport: Transport, limiter: RateLimiter | None = None) -> OutboxDrain | None:
        """The outbox drain as a background task; started once, however often called. On PostgreSQL
        only while this instance leads: the drain it returns, or None while another one does."""
        if self._transport is not None:
            return self.sender
        self._transport, self._limiter = transport, limiter or RateLimiter()  # one limiter per process
        if not shares_database(self.settings.database_url):
            await self._lead()
            return self.sender
        if self._relay is None:  # once per engine: a commit that adds rows wakes the leader, if that is not us
            self._relay = LeaderSends()
            announce_outbox_writes(self.engine, lambda: self.sender is None)
        self.leadership = Leadership(LeaderLock(self.settings.database_url), elected=self._lead,
                                     deposed=self._follow, notified=self.wake_sender, timing=self.leader_timing)
        await self.leadership.start()
        return self.sender

    async def _lead(self) -> None:
        assert self._transport is not None
        if self.sender is None:
            presumed = frozenset({"surveys"}) if self.settings.survey_invitations_without_consent else frozenset()
            self.sender = OutboxDrain(self.sessionmaker, self._transport, self.clock, self.settings.default_locale,
                                      self._limiter, presumed_consent=presumed)
            self.sender.start()

    async def _follow(self, lock_lost: bool = False) -> None:
        sender, self.sender = self.sender, None
        if sender is not None:
            if lock_lost:  # another instance may lead already: be silent before its first send
                sender.close_grace_seconds = min(sender.close_grace_seconds, self.leader_timing.takeover_pause / 2)
            await sender.close()

    async def start_background(self, transport: Transport) -> None:
        await self.start_sender(transport)
        if self.plan_in_background and self.planner is None:
            self.planner = self.planner_loop()
            self.planner.start()

    def planner_loop(self) -> PlannerLoop:
        """The push planner on this runtime's clock, with the operator's rule settings."""
        return PlannerLoop(self.sessionmaker, self.clock, self.wake_sender, settings=self.settings.rule_settings)

    async def stop_background(self) -> None:
        planner, self.planner = self.planner, None
        if planner is not None:
            await planner.close()
        leadership, self.leadership = self.leadership, None
        if leadership is not None:
            await leadership.close()  # stops the drain, then frees the lock for the next leader
        await self._follow()
        self._transport = None

    async def forget_old_records(self) -> int:
        """Update ids that can no longer be redelivered and wrong codes past every window; how
        many update ids were forgotten."""
        async with UnitOfWork(self.sessionmaker) as uow:
            removed = await prune_processed_updates(uow, self.clock.now())
            await prune_code_attempts(uow, self.clock.now())
            await uow.commit()
        return removed
