"""Timing a call on the event loop, with the loop's longest stall meanwhile (every chat waits that long)."""

from __future__ import annotations

import asyncio
import itertools
import time
from collections.abc import Awaitable, Callable
from typing import Any


async def _ticker(ticks: list[float], stop: asyncio.Event) -> None:
    """The event loop's heartbeat: a gap between two ticks is a stall."""
    while not stop.is_set():
        ticks.append(time.perf_counter())
        await asyncio.sleep(0.005)
    ticks.append(time.perf_counter())  # a call that never yields stalls the loop from start to end


async def timed(call: Callable[[], Awaitable[Any]]) -> tuple[float, float, Any]:
    """One call: its seconds, the event loop's longest stall meanwhile, its result."""
    ticks: list[float] = []
    stop = asyncio.Event()
    ticker = asyncio.create_task(_ticker(ticks, stop))
    await asyncio.sleep(0.02)
    started = time.perf_counter()
    result = await call()
    seconds = time.perf_counter() - started
    stop.set()
    await ticker
    gaps = [b - a for a, b in itertools.pairwise(ticks) if b >= started]
    return seconds, max(gaps, default=0.0), result
