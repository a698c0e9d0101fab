"""The customer-service manager's record of a follow-up call that reached the owner (回访)."""

from __future__ import annotations

from dialogs.engine import ChoiceStep, Dialog, Option, TextStep
from dialogs.text import N_, Msg

FOLLOW_UP_OUTCOME = Dialog(
    name="follow_up_outcome",
    steps=(
        TextStep(key="agreed", prompt=Msg(N_("What did you agree with the owner? It is recorded on the case.")),
                 min_len=2, max_len=1000),
        ChoiceStep(key="satisfied", prompt=Msg(N_("Is the owner satisfied now?")),
                   options=(Option("yes", Msg(N_("Yes, satisfied"))), Option("no", Msg(N_("No, still dissatisfied"))))),
    ),
)
