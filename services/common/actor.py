"""Plain values that use cases share: who is acting, and what a finished dialog produced."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from dialogs.engine import Reply
from services.people.identity import Identity
from services.pushes.transport import Edit

if TYPE_CHECKING:
    from storage.uow import UnitOfWork


@dataclass(frozen=True)
class Actor:
    """The person behind an update, as services need them."""

    identity: Identity
    chat_id: int
    locale: str
    timezone: str = "Asia/Shanghai"


@dataclass(frozen=True)
class Completion:
    """What a finished dialog did: more replies, and optionally a dialog to start next; ``edits``:
    messages sent before that it changed (a card whose follow-up it closed, in every chat)."""

    replies: tuple[Reply, ...] = ()
    then: tuple[str, Mapping[str, Any]] | None = None
    edits: tuple[Edit, ...] = ()


Completer = Callable[["UnitOfWork", Actor, Mapping[str, Any], datetime], Awaitable[Completion]]
