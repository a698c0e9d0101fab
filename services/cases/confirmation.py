"""The owner's confirmation of a result (DOMAIN 1.6, 2.5): one question, answered once."""

from __future__ import annotations

from dialogs.text import N_, Field, Lines, Msg, Plain, Text
from services.cases.kinds import Buttons, kind_of
from services.cases.notify import owner_button
from storage.models import Ticket


def confirmation_request(ticket: Ticket) -> Text:
    return Lines((
        Msg(kind_of(ticket).resolved_text, {"number": ticket.number}),
        Field(Msg(N_("Result")), Plain(ticket.result or "")),
        Msg(N_("Is it resolved to your satisfaction?")),
    ))


def confirmation_buttons(ticket: Ticket, resolution: int) -> Buttons:
    """Answers to one resolution (its event id): a button under an older result stays void."""
    return ((owner_button(ticket, N_("✅ Yes, resolved"), f"ok{resolution}"),
             owner_button(ticket, N_("❌ Not resolved"), f"no{resolution}")),)
