"""The customer-service manager's reason for refusing an owner's deletion request (DOMAIN 5.3)."""

from __future__ import annotations

from dialogs.engine import Dialog, TextStep
from dialogs.text import N_, Msg

DELETION_REFUSAL = Dialog(
    name="data_deletion_refusal",
    steps=(
        TextStep(key="reason", prompt=Msg(N_("Why is the deletion refused? The owner is told this reason.")),
                 min_len=5, max_len=1000),
    ),
)
