"""What a follow-up is about (a case, a survey answer), as the shared follow-up needs it.

A subject is built per follow-up by the loader its kind registers (``register_subject``): the case
follow-up registers one for ``ticket_id``, the survey follow-up one for ``invitation_id``. The card,
the buttons, the outcome, the queue and the reminders (``flow.py``, ``reminders.py``) ask the
subject only what differs: its reference and category, who may see and act, what the owner rated
and said, the buttons' data, where its attempts and outcome are recorded, and the wording.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from dialogs.engine import Button
from dialogs.text import N_, Text
from storage.models import FollowUp, Staff
from storage.uow import UnitOfWork

Buttons = tuple[tuple[Button, ...], ...]


@dataclass(frozen=True)
class FollowUpTexts:
    """The msgids a subject words its follow-up with; ``{number}`` is the subject's reference,
    ``{date}`` the due day, ``{n}`` a count, ``{category}`` the subject's category."""

    opened: str
    reminder: str
    view: str
    not_reached: str
    closed_satisfied: str
    closed_unsatisfied: str
    queue: str
    queue_late: str
    refusal: str  # pressed by someone who may see but not act
    stale: str  # the outcome dialog finished, but the follow-up moved on meanwhile


CASE_TEXTS = FollowUpTexts(
    opened=N_("⚠️ Dissatisfied owner on {number}: please re-visit"),
    reminder=N_("⏰ Follow-up on {number} is not done yet: please call the owner (due {date})"),
    view=N_("📞 Follow-up on {number}"),
    not_reached=N_("Recorded: the owner of {number} was not reached (call {n}). The follow-up "
                   "stays open; you will be reminded on the next working day."),
    closed_satisfied=N_("The follow-up on {number} is closed: the owner is satisfied now."),
    closed_unsatisfied=N_("The follow-up on {number} is closed: the owner is still not satisfied. It is recorded on "
                          "the case."),
    queue=N_("📞 Follow-up {number} · {category} · call by {date}"),
    queue_late=N_("⏰ 📞 Follow-up {number} · {category} · was due {date}"),
    refusal=N_("Only the customer-service manager records follow-ups."),
    stale=N_("This case changed meanwhile; nothing was recorded."),
)


class Subject(Protocol):
    """A follow-up's subject, loaded for one follow-up (and one unit of work)."""

    reference: str  # the case number; the household for a survey answer
    category: Text  # what kind of thing it is, for the queue line
    project_id: int | None
    zone: str  # the project's time zone
    region: str  # its working-day calendar
    texts: FollowUpTexts
    outcome_dialog: str  # the dialog that records a call that reached the owner

    def may_see(self, staff: Staff) -> bool:
        """May open the follow-up's card at all."""

    def may_act(self, staff: Staff) -> bool:
        """May call the owner and record the follow-up (gets the full phone number)."""

    async def people(self, uow: UnitOfWork) -> list[Staff]:
        """Who gets the follow-up's card and reminders: everyone who may act, on the bot."""

    async def card_lines(self, uow: UnitOfWork, follow_up: FollowUp, viewer: Staff, now: datetime) -> list[Text]:
        """Between the headline and the status: the owner, the phone as ``viewer`` may see it, what
        was rated and said."""

    def buttons(self, follow_up: FollowUp) -> Buttons:
        """✅ reached / 📵 not reached."""

    def view_button(self, follow_up: FollowUp) -> Button:
        """The queue entry's button: opens the follow-up's card."""

    async def record_attempt(self, uow: UnitOfWork, now: datetime, **data: Any) -> None:
        """Keep a call that did not reach the owner where the subject keeps its history."""

    async def record_closed(self, uow: UnitOfWork, now: datetime, **data: Any) -> None:
        """Keep the outcome of the call that reached the owner where the subject keeps its history."""


SubjectLoader = Callable[[UnitOfWork, FollowUp, bool], Awaitable[Subject | None]]
_LOADERS: list[SubjectLoader] = []


def register_subject(loader: SubjectLoader) -> None:
    """A loader returns the subject of a follow-up it knows (``lock``: lock the subject's row for an
    update), else None. Registered once each (``services/capabilities.py``)."""
    if loader not in _LOADERS:
        _LOADERS.append(loader)


async def subject_of(uow: UnitOfWork, follow_up: FollowUp, *, lock: bool = False) -> Subject | None:
    for loader in _LOADERS:
        subject = await loader(uow, follow_up, lock)
        if subject is not None:
            return subject
    return None
