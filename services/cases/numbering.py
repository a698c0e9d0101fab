"""统一编号: ``TS-2026-000123`` — a prefix per record type, the year, a sequence that never
repeats or skips. The counter row is bumped with one atomic upsert in the caller's
transaction, so a rolled-back filing gives its number back and parallel filings queue on
the row lock (PostgreSQL) or the write lock (SQLite)."""

from __future__ import annotations

from sqlalchemy import text

from storage.uow import UnitOfWork

PREFIXES = {"complaint": "TS", "repair": "BX"}  # 投诉 / 报修

_NEXT = text(
    "INSERT INTO number_sequences (prefix, year, value) VALUES (:prefix, :year, 1) "
    "ON CONFLICT (prefix, year) DO UPDATE SET value = number_sequences.value + 1 "
    "RETURNING value"
)


async def next_number(uow: UnitOfWork, kind: str, year: int) -> str:
    prefix = PREFIXES[kind]
    value = (await uow.session.execute(_NEXT, {"prefix": prefix, "year": year})).scalar_one()
    return f"{prefix}-{year}-{value:06d}"
