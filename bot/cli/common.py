"""What every command group shares: the command signature, one unit of work per command, and error reporting.

``admin_session(settings)`` is the only place that opens the database for an admin command. It does not
migrate: it checks that the schema is at the head revision and refuses otherwise, so that only
``estatebot admin migrate`` (and ``estatebot run``, at start) ever change the schema.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from datetime import date
from typing import Any, TypeAlias

from sqlalchemy.ext.asyncio import AsyncEngine

from bot.settings import Settings
from services.people.admin import AdminError
from storage.db import create_engine, create_sessionmaker
from storage.migrate import schema_status
from storage.uow import UnitOfWork

__all__ = ["AdminError", "Command", "Subparsers", "admin_errors", "admin_session", "execute", "iso_date",
           "print_problems"]

Command: TypeAlias = Callable[[Settings, argparse.Namespace], Coroutine[Any, Any, int]]
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"

SCHEMA_OUT_OF_DATE = "the database schema is not up to date; run: estatebot admin migrate"


def execute(command: Command, settings: Settings, args: argparse.Namespace) -> int:
    """Run one command to its exit status; an ``AdminError`` is the user's mistake: one line, status 1."""
    try:
        return asyncio.run(command(settings, args))
    except AdminError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


@contextmanager
def admin_errors(*errors: type[Exception]) -> Iterator[None]:
    """Report a service's validation errors (``ValueError`` and the like) as the admin's mistake."""
    try:
        yield
    except errors as exc:
        raise AdminError(str(exc)) from None


def iso_date(text: str) -> date:
    """An argparse ``type`` for a YYYY-MM-DD date: a clear usage error otherwise."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from None


def print_problems(errors: Sequence[object], what: str) -> None:
    """The rows a file was refused for, on stderr: ``N problem(s) found; nothing was <what>:``."""
    print(f"{len(errors)} problem(s) found; nothing was {what}:", file=sys.stderr)
    for error in errors:
        print(f"  {error}", file=sys.stderr)


@asynccontextmanager
async def admin_session(settings: Settings) -> AsyncIterator[UnitOfWork]:
    """A unit of work on a database at the head revision; it rolls back unless the command commits."""
    engine = create_engine(settings.database_url)
    try:
        await _require_head(engine, settings.database_url)
        async with UnitOfWork(create_sessionmaker(engine)) as uow:
            yield uow
    finally:
        await engine.dispose()


async def _require_head(engine: AsyncEngine, url: str) -> None:
    status, revision = await schema_status(engine, url)
    if status == "unknown":
        raise AdminError(f"the database is at revision {revision}, which this version of estatebot "
                         "does not know; upgrade estatebot")
    if status == "behind":
        raise AdminError(SCHEMA_OUT_OF_DATE)
