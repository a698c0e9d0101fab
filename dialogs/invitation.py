"""Typing an invitation code issued by staff (owners) or by the admin CLI (staff)."""

from __future__ import annotations

from dialogs.engine import Dialog, TextStep
from dialogs.text import N_, Msg

INVITATION = Dialog(
    name="invitation",
    title=Msg(N_("Invitation code")),
    steps=(
        TextStep(
            key="code",
            prompt=Msg(N_("Please type the invitation code you received (8 letters or digits).")),
            min_len=4,
            max_len=32,
        ),
    ),
)
