"""统一编号 under concurrency: parallel filings never share, skip or reuse a number."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from services.cases.numbering import next_number
from storage.uow import UnitOfWork


async def test_parallel_filings_get_gap_free_unique_numbers(uow_factory: Callable[[], UnitOfWork]) -> None:
    async def file(n: int) -> str | None:
        async with uow_factory() as uow:
            number = await next_number(uow, "TS", 2026)
            await asyncio.sleep(0.001 * (n % 3))  # hold the transaction open a little
            if n % 4 == 3:
                return None  # this filing fails: its transaction rolls back and gives the number back
            await uow.commit()
            return number

    results = await asyncio.gather(*(file(n) for n in range(40)))
    committed = sorted(number for number in results if number is not None)
    assert len(committed) == 30
    assert committed == [f"TS-2026-{n:06d}" for n in range(1, 31)]  # unique and without gaps


async def test_sequences_are_per_prefix_and_year(uow_factory: Callable[[], UnitOfWork]) -> None:
    async with uow_factory() as uow:
        numbers = [
            await next_number(uow, "TS", 2026),
            await next_number(uow, "BX", 2026),
            await next_number(uow, "TS", 2027),
            await next_number(uow, "TS", 2026),
        ]
        await uow.commit()
    assert numbers == ["TS-2026-000001", "BX-2026-000001", "TS-2027-000001", "TS-2026-000002"]
