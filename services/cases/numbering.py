"""统一编号: ``TS-2026-000123`` — a prefix per case kind, the year, a sequence that never
repeats or skips. The counter row is bumped with one atomic upsert in the caller's
transaction, so a rolled-back filing gives its number back and parallel filings queue on
the row lock (PostgreSQL) or the write lock (SQLite)."""

from __future__ import annotations

import re

from storage.uow import UnitOfWork

NUMBER = re.compile(r"^\s*([A-Za-z]{2})-(\d{4})-(\d{6})\s*$")


async def next_number(uow: UnitOfWork, prefix: str, year: int) -> str:
    value = await uow.tickets.next_sequence_value(prefix, year)
    return f"{prefix}-{year}-{value:06d}"


def parse_number(text: str) -> str | None:
    """A typed case number in its canonical form (``bx-2026-000001`` → ``BX-2026-000001``)."""
    match = NUMBER.match(text)
    return f"{match[1].upper()}-{match[2]}-{match[3]}" if match else None
