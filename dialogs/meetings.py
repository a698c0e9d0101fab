"""The owner meeting 顾客恳谈会 notice as customer service drafts it in chat (services/care/meetings.py):
the project (asked only of someone who covers several), the meeting's date, time and place, and
when the notice goes out; and the office manager's comment when he sends a draft back."""

from __future__ import annotations

from dialogs.engine import ChoiceStep, ConfirmStep, DateStep, Dialog, Option, TextStep
from dialogs.text import N_, Msg, Plain

DRAFT_DIALOG = "owner_meeting_draft"
RETURN_DIALOG = "owner_meeting_return"

# Half-hourly, 09:00–20:00: the times a meeting with owners is held (a typed "14:00" presses its button).
TIMES = tuple(f"{hour:02d}:{minute:02d}" for hour in range(9, 21) for minute in (0, 30) if (hour, minute) <= (20, 0))
# How many days before the meeting the notice goes out; 0: as soon as it is approved.
LEAD_DAYS = ("14", "7", "3", "0")

OWNER_MEETING_DRAFT = Dialog(
    name=DRAFT_DIALOG,
    title=Msg(N_("Owner meeting notice")),
    steps=(
        ChoiceStep(key="project", prompt=Msg(N_("For which project is the owner meeting?")),
                   label=Msg(N_("Project")), options_from="projects", auto_single=True, columns=1),
        DateStep(key="date", prompt=Msg(N_("On which day is the owner meeting?")), label=Msg(N_("Meeting date")),
                 min_offset_days=1, max_offset_days=366),
        ChoiceStep(key="time", prompt=Msg(N_("At what time does it begin?")), label=Msg(N_("Time")),
                   options=tuple(Option(time, Plain(time)) for time in TIMES), columns=4),
        TextStep(key="place", prompt=Msg(N_("Where is it held? Owners read the place as you type it "
                                            "(for example: the clubhouse, 2nd floor, Building 3).")),
                 label=Msg(N_("Place")), min_len=2, max_len=200),
        ChoiceStep(key="lead", prompt=Msg(N_("When should owners get the notice?")), label=Msg(N_("Sent to owners")),
                   options=(Option("14", Msg(N_("Two weeks before"))), Option("7", Msg(N_("One week before"))),
                            Option("3", Msg(N_("Three days before"))),
                            Option("0", Msg(N_("As soon as it is approved")))), columns=2),
        ConfirmStep(key="confirm", prompt=Msg(N_("Please check the owner meeting. After ✅ Confirm you see the notice "
                                                 "exactly as owners will read it, and submit it for approval."))),
    ),
)

OWNER_MEETING_RETURN = Dialog(
    name=RETURN_DIALOG,
    steps=(
        TextStep(key="comment", prompt=Msg(N_("What should be changed? Customer service gets your comment with the "
                                              "draft.")), min_len=2, max_len=1000),
    ),
)
