"""Short dialogs around a ticket: staff actions that need input, and the owner's replies."""

from __future__ import annotations

from dialogs.engine import ChoiceStep, DateStep, Dialog, PhotosStep, RatingStep, TextStep
from dialogs.text import N_, Msg

TRANSFER = Dialog(
    name="ticket_transfer",
    steps=(
        ChoiceStep(key="target", prompt=Msg(N_("Transfer to which department or person?")), options_from="targets",
                   columns=1),
        TextStep(key="reason", prompt=Msg(N_("Why? Whoever receives the case will read this; it is recorded.")),
                 min_len=2, max_len=500),
    ),
)
ASSIST = Dialog(
    name="ticket_assist",
    steps=(
        ChoiceStep(key="department", prompt=Msg(N_("Which department should assist?")), options_from="departments",
                   columns=1),
        TextStep(key="note", prompt=Msg(N_("What do you need from them?")), min_len=2, max_len=500),
    ),
)
MEASURES = Dialog(
    name="ticket_measures",
    steps=(TextStep(key="measures", prompt=Msg(N_("Which handling measures do you set? The handler will receive them.")),
                    min_len=2, max_len=1000),),
)
PROGRESS = Dialog(
    name="ticket_progress",
    title=Msg(N_("Progress report")),
    steps=(TextStep(key="text", prompt=Msg(N_("Please write the progress report.")), min_len=2, max_len=1000),),
)
EXTEND = Dialog(
    name="ticket_extend",
    steps=(
        DateStep(key="until", prompt=Msg(N_("Until which date do you need?")),
                 min_offset_days=1, max_offset_days=90),
        TextStep(key="reason", prompt=Msg(N_("Why is more time needed? The owner will read this.")),
                 min_len=2, max_len=500),
    ),
)
RESOLVE = Dialog(
    name="ticket_resolve",
    title=Msg(N_("Handling result")),
    steps=(TextStep(key="result", prompt=Msg(N_("What was done? The owner will read this and confirm.")),
                    min_len=2, max_len=1000),),
)
MAJOR = Dialog(
    name="ticket_major",
    steps=(TextStep(key="reason", prompt=Msg(N_("Why is this a major complaint? (media, legal risk, repeated …)")),
                    min_len=2, max_len=500),),
)
REOPEN = Dialog(
    name="ticket_reopen",
    steps=(TextStep(key="reason", prompt=Msg(N_("What is still not resolved?")), min_len=2, max_len=1000),),
)
ADD_INFO = Dialog(
    name="ticket_add_info",
    title=Msg(N_("Additional information")),
    steps=(
        TextStep(key="text", prompt=Msg(N_("What would you like to add?")), min_len=2, max_len=1000),
        PhotosStep(key="attachments", prompt=Msg(N_("You may send photos or PDF files.")),
                   optional=True, max_items=6),
    ),
)
RATING = Dialog(
    name="ticket_rating",
    steps=(
        RatingStep(key="result", prompt=Msg(N_("How satisfied are you with the result? (1 = very dissatisfied, 5 = very satisfied)"))),
        RatingStep(key="attitude", prompt=Msg(N_("How satisfied are you with our staff's attitude?"))),
        TextStep(key="comment", prompt=Msg(N_("Any expectations or suggestions? Type them, or press Skip.")),
                 optional=True, max_len=500),
    ),
    # No done text: the use case answers, as it alone knows whether the ratings were recorded.
)

TICKET_DIALOGS = (TRANSFER, ASSIST, MEASURES, PROGRESS, EXTEND, RESOLVE, MAJOR, REOPEN, ADD_INFO, RATING)
