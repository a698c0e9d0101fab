"""The owner meeting 顾客恳谈会 notice as customer service drafts it in chat (services/care/meetings.py):
the project (asked only of someone who covers several), the meeting's date, time and place, and
when the notice goes out; and the office manager's comment when he sends a draft back."""

from __future__ import annotations

from dialogs.engine import (
    All,
    ChoiceStep,
    ConfirmStep,
    DateStep,
    DaysAfter,
    Dialog,
    Not,
    Option,
    Step,
    TextStep,
    TimeStep,
)
from dialogs.text import N_, Msg, Plain

DRAFT_DIALOG = "owner_meeting_draft"
RETURN_DIALOG = "owner_meeting_return"

# Half-hourly, 09:00–20:00: the times a meeting with owners is held (a typed "14:00" presses its button;
# any other minute in the range may be typed: "19:45", "晚上7点半").
TIMES = tuple(f"{hour:02d}:{minute:02d}" for hour in range(9, 21) for minute in (0, 30) if (hour, minute) <= (20, 0))
EARLIEST, LATEST = TIMES[0], TIMES[-1]
# How many days before the meeting the notice goes out; 0: as soon as it is approved.
LEAD_DAYS = ("14", "7", "3", "0")
TODAY = "today"  # the context's ISO date the dialog began: which send days are still ahead
SHORT_NOTICE_DAYS = 7  # a meeting fewer days away gives owners little notice: said on the question and the preview

_LEAD_LABELS = {"14": Msg(N_("Two weeks before")), "7": Msg(N_("One week before")),
                "3": Msg(N_("Three days before")), "0": Msg(N_("As soon as it is approved"))}
_ASK_LEAD = Msg(N_("When should owners get the notice?"))
_ASK_LEAD_SHORT = Msg(N_("⚠️ The meeting is less than a week away: owners will have little notice to arrange to "
                         "come. When should owners get the notice?"))


def _lead_step(key: str, leads: tuple[str, ...], days_ahead: tuple[int, int | None], *, short: bool) -> ChoiceStep:
    """The send-day question for meetings (above, up to] days ahead of the day the dialog began:
    only the send days still ahead, and "as soon as it is approved"."""
    above, up_to = days_ahead
    when = DaysAfter("date", TODAY, above)
    return ChoiceStep(key=key, prompt=_ASK_LEAD_SHORT if short else _ASK_LEAD, label=Msg(N_("Sent to owners")),
                      options=tuple(Option(lead, _LEAD_LABELS[lead]) for lead in leads), columns=2,
                      when=when if up_to is None else All((when, Not(DaysAfter("date", TODAY, up_to)))))


# One send-day question per span of days ahead; exactly one applies to a date (DaysAfter).
LEAD_STEPS: tuple[ChoiceStep, ...] = (
    _lead_step("lead", ("14", "7", "3", "0"), (14, None), short=False),
    _lead_step("lead_2w", ("7", "3", "0"), (7, 14), short=False),
    _lead_step("lead_1w", ("3", "0"), (6, 7), short=False),
    _lead_step("lead_6d", ("3", "0"), (3, 6), short=True),
    _lead_step("lead_3d", ("0",), (-1000, 3), short=True),
)


def lead_answers(lead: str) -> dict[str, str]:
    """An earlier send-day answer under every question that offers it (editing a notice)."""
    return {step.key: lead for step in LEAD_STEPS if any(option.code == lead for option in step.options)}


def chosen_lead(answers: dict[str, object]) -> str | None:
    """The send-day answer of the question that applied."""
    return next((str(answers[step.key]) for step in LEAD_STEPS if step.key in answers), None)


_STEPS: tuple[Step, ...] = (
    ChoiceStep(key="project", prompt=Msg(N_("For which project is the owner meeting?")),
               label=Msg(N_("Project")), options_from="projects", auto_single=True, columns=1),
    DateStep(key="date", prompt=Msg(N_("On which day is the owner meeting?")), label=Msg(N_("Meeting date")),
             min_offset_days=1, max_offset_days=366),
    TimeStep(key="time", prompt=Msg(N_("At what time does it begin?")), label=Msg(N_("Time")),
             options=tuple(Option(time, Plain(time)) for time in TIMES), columns=4, earliest=EARLIEST, latest=LATEST),
    TextStep(key="place", prompt=Msg(N_("Where is it held? Owners in every language will read the place exactly as "
                                        "you type it (for example: the clubhouse, 2nd floor, Building 3).")),
             label=Msg(N_("Place")), min_len=2, max_len=200),
    *LEAD_STEPS,
    ConfirmStep(key="confirm", prompt=Msg(N_("Please check the owner meeting. After ✅ Confirm you see the notice "
                                             "exactly as owners will read it, and submit it for approval."))),
)

OWNER_MEETING_DRAFT = Dialog(name=DRAFT_DIALOG, title=Msg(N_("Owner meeting notice")), steps=_STEPS)

OWNER_MEETING_RETURN = Dialog(
    name=RETURN_DIALOG,
    steps=(
        TextStep(key="comment", prompt=Msg(N_("What should be changed? Customer service gets your comment with the "
                                              "draft.")), min_len=2, max_len=1000),
    ),
)
