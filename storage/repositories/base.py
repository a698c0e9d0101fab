from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from sqlalchemy import CursorResult, Executable
from sqlalchemy.ext.asyncio import AsyncSession


class Repository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    @property
    def dialect(self) -> str:
        return self.session.get_bind().dialect.name

    async def core(self, statement: Executable,
                   params: Mapping[str, Any] | Sequence[Mapping[str, Any]] | None = None) -> CursorResult[Any]:
        """A Core statement (on tables, not mapped classes) on the session's connection, in its
        transaction: none of the ORM's bookkeeping, for the statements every update runs (they cost
        a fifth as much this way). It neither flushes pending ORM changes nor refreshes loaded
        objects: use it where neither matters."""
        return cast(CursorResult[Any], await self.session.execute(statement, params))
