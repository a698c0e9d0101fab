"""What a press on a case button or a finished case dialog gives back to the chat."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from dialogs.engine import Button, Reply
from dialogs.text import N_, Msg, Text
from services.common.actor import Completion


@dataclass
class ActionResult:
    replies: list[Reply] = field(default_factory=list)
    refusal: str | None = None  # msgid shown as an alert; nothing changed
    begin: tuple[str, dict[str, Any]] | None = None  # a dialog to start for the presser
    # The press did what its button offered (the case changed): the pressed message loses its
    # buttons, and shows ``done`` under its text when given ("Your answer: ✅ Yes, resolved").
    used: bool = False
    done: Text | None = None
    # What the presser may still do from that message when no new card with buttons came back
    # (e.g. a worker's card after asking for more time still offers ✔️ 登记完工); empty: nothing.
    left: tuple[tuple[Button, ...], ...] = ()
    # Paging through a list: the first reply takes the pressed message's place (text and buttons)
    # instead of coming as a new message.
    in_place: bool = False


NOT_VALID = N_("This button is not valid.")
NO_LONGER_VALID = N_("This button is no longer valid.")

# A dialog finished, but the case moved on meanwhile (another press, the planner).
STALE = Completion((Reply(Msg(N_("This case changed meanwhile; nothing was recorded."))),))
