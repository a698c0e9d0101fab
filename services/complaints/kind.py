"""The complaint as a case kind: what the shared case code asks of it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from dialogs.text import N_, Msg, Text
from services.cases.follow_up import follow_up_if_low
from services.cases.history import record
from services.cases.kinds import Buttons, Deadline
from services.cases.notices import tell_rated
from services.cases.results import ActionResult
from services.cases.statuses import OPEN, Status, move
from services.complaints import actions, cards, filing
from services.complaints.rules import staff_buttons
from storage.models import Staff, Ticket, Unit
from storage.uow import UnitOfWork


class ComplaintKind:
    name = filing.KIND
    prefix = filing.PREFIX
    intake_dialog = "complaint"
    rating_dialog = "ticket_rating"
    resolved_text = N_("Your complaint {number} has been handled.")
    reopened_text = N_("Your complaint {number} has been reopened; we will get back to you.")

    def category_label(self, ticket: Ticket) -> Msg:
        return cards.category_label(ticket)

    async def staff_card(self, uow: UnitOfWork, ticket: Ticket, headline: Msg, *, viewer: Staff | None = None,
                         now: datetime | None = None) -> Text:
        return await cards.staff_card(uow, ticket, headline, viewer=viewer, now=now)

    async def staff_buttons(self, uow: UnitOfWork, staff: Staff, ticket: Ticket) -> Buttons:
        return staff_buttons(staff, ticket)

    async def owner_card(self, uow: UnitOfWork, ticket: Ticket, unit: Unit | None) -> Text:
        return cards.owner_card(ticket, unit)

    def may_see(self, staff: Staff, ticket: Ticket) -> bool:
        return False  # nobody beyond the shared rule

    async def staff_press(self, uow: UnitOfWork, staff: Staff, ticket: Ticket, code: str,
                          now: datetime) -> ActionResult:
        return await actions.staff_press(uow, staff, ticket, code, now)

    def deadlines(self, ticket: Ticket) -> list[Deadline]:
        if ticket.status not in OPEN:
            return []
        due: list[Deadline] = []
        if ticket.progress_reported_at is None and ticket.progress_due:
            due.append(Deadline("progress", ticket.progress_due, N_("Progress report")))
        if ticket.resolve_due:
            due.append(Deadline("resolve", ticket.resolve_due, N_("Resolution")))
        return due

    async def extension_agreed(self, uow: UnitOfWork, ticket: Ticket, until: date, now: datetime) -> None:
        return None  # the ticket's own deadline is all there is

    async def reopen(self, uow: UnitOfWork, ticket: Ticket) -> None:
        move(ticket, Status.ACCEPTED if ticket.handler_id else Status.NEW)

    async def rate(self, uow: UnitOfWork, ticket: Ticket, answers: Mapping[str, Any], now: datetime) -> None:
        ticket.rating_result, ticket.rating_attitude = int(answers["result"]), int(answers["attitude"])
        ticket.rating_comment = answers.get("comment")
        move(ticket, Status.CLOSED)
        ticket.closed_at = now
        rated = await record(uow, ticket, "rated", now, actor="owner", result=ticket.rating_result,
                             attitude=ticket.rating_attitude, comment=ticket.rating_comment)
        await follow_up_if_low(uow, ticket, now, self.ratings(answers), ticket.rating_comment)
        await tell_rated(uow, ticket, rated, now, self.ratings(answers), ticket.rating_comment)

    def ratings(self, answers: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
        return ((N_("Result rating"), int(answers["result"])), (N_("Attitude rating"), int(answers["attitude"])))


COMPLAINT = ComplaintKind()
