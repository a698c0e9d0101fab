"""The repair as a case kind: what the shared case code asks of it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from dialogs.text import N_, Msg, Text
from services.cases.kinds import Buttons, Deadline
from services.cases.results import ActionResult
from services.cases.statuses import REPAIR_WORK, Status
from services.people.roles import Department, Role
from services.repairs import cards, filing, flow
from services.repairs.permissions import repair_buttons
from storage.models import Staff, Ticket, Unit
from storage.uow import UnitOfWork


class RepairKind:
    name = filing.KIND
    prefix = filing.PREFIX
    intake_dialog = "repair"
    rating_dialog = "repair_rating"
    resolved_text = N_("Your repair {number} has been completed and checked.")
    reopened_text = N_("Your repair {number} has been reopened; we will get back to you.")

    def category_label(self, ticket: Ticket) -> Msg:
        return cards.category_label(ticket)

    async def staff_card(self, uow: UnitOfWork, ticket: Ticket, headline: Msg, *, viewer: Staff | None = None,
                         now: datetime | None = None) -> Text:
        return await cards.repair_card(uow, ticket, headline, viewer=viewer, now=now)

    async def staff_buttons(self, uow: UnitOfWork, staff: Staff, ticket: Ticket) -> Buttons:
        return await repair_buttons(uow, staff, ticket)

    async def owner_card(self, uow: UnitOfWork, ticket: Ticket, unit: Unit | None) -> Text:
        return await cards.repair_owner_card(uow, ticket, unit)

    def may_see(self, staff: Staff, ticket: Ticket) -> bool:
        # The repair team works repairs; the deputy chief engineer and finance see their costs.
        return staff.department in (Department.REPAIR, Department.FINANCE) or staff.role == Role.DEPUTY_CHIEF_ENGINEER

    async def staff_press(self, uow: UnitOfWork, staff: Staff, ticket: Ticket, code: str,
                          now: datetime) -> ActionResult:
        return await flow.staff_press(uow, staff, ticket, code, now)

    def deadlines(self, ticket: Ticket) -> list[Deadline]:
        if ticket.status == Status.SURVEY and ticket.progress_due:
            # Due the next working day: no reminder the day before; escalated like any deadline once late.
            return [Deadline("progress", ticket.progress_due, N_("Site survey"), remind_before=False)]
        if ticket.status in REPAIR_WORK and ticket.resolve_due:
            return [Deadline("resolve", ticket.resolve_due, N_("Resolution"))]
        return []

    async def extension_agreed(self, uow: UnitOfWork, ticket: Ticket, until: date, now: datetime) -> None:
        await flow.extension_agreed(uow, ticket, until, now)

    async def reopen(self, uow: UnitOfWork, ticket: Ticket) -> None:
        await flow.reopened(uow, ticket)

    async def rate(self, uow: UnitOfWork, ticket: Ticket, answers: Mapping[str, Any], now: datetime) -> None:
        await flow.rate(uow, ticket, int(answers["quality"]), int(answers["attitude"]), answers.get("comment"), now)

    def ratings(self, answers: Mapping[str, Any]) -> tuple[tuple[str, int], ...]:
        return flow.callback_ratings(int(answers["quality"]), int(answers["attitude"]))


REPAIR = RepairKind()
