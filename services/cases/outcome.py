"""A case's outcome on its staff card: the latest result given to the owner and, once the case is
rated, the owner's ratings and comment — so a closed case opened from a lookup shows how it ended."""

from __future__ import annotations

from dialogs.text import N_, Field, Msg, Plain, Text
from services.cases.statuses import Status
from storage.models import Ticket

# From the moment a result is given to the owner, it stands on the card (the latest one).
RESULT_SHOWN = frozenset({Status.RESOLVED, Status.CONFIRMED, Status.CLOSED, Status.UNCONFIRMED})


def outcome_lines(ticket: Ticket, result_rating: str, attitude_rating: str = N_("Attitude rating")) -> list[Text]:
    """``result_rating``: the msgid the kind names its first rating by (result or quality)."""
    lines: list[Text] = []
    if ticket.result and ticket.status in RESULT_SHOWN:
        lines.append(Field(Msg(N_("Result")), Plain(ticket.result)))
    if ticket.rating_result is not None:
        lines.append(Field(Msg(result_rating), Plain(f"{ticket.rating_result}/5")))
    if ticket.rating_attitude is not None:
        lines.append(Field(Msg(attitude_rating), Plain(f"{ticket.rating_attitude}/5")))
    if ticket.rating_comment:
        lines.append(Field(Msg(N_("Comment")), Plain(ticket.rating_comment)))
    return lines
