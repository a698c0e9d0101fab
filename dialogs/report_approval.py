"""The monthly complaint summary's approval in chat (services/reports/monthly.py): the approver's
comment when he sends it back, customer service's explanation when it resubmits."""

from __future__ import annotations

from dialogs.engine import Dialog, TextStep
from dialogs.text import N_, Msg

RETURN_DIALOG = "monthly_report_return"
RESUBMIT_DIALOG = "monthly_report_resubmit"

MONTHLY_REPORT_RETURN = Dialog(
    name=RETURN_DIALOG,
    steps=(
        TextStep(key="comment", prompt=Msg(N_("What should customer service check or correct? They get your comment "
                                              "with the report.")), min_len=2, max_len=1000),
    ),
)

MONTHLY_REPORT_RESUBMIT = Dialog(
    name=RESUBMIT_DIALOG,
    steps=(
        TextStep(key="note", prompt=Msg(N_("What was checked or corrected? The approver reads your note on the "
                                           "resubmitted report; its figures are computed again.")),
                 min_len=2, max_len=1000),
    ),
)
