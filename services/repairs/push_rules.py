"""The repair rule of the planner (DOMAIN 2.5, 2.6): a cost approval waiting over a working day is
sent to its approvers again; the callback is customer service's task when it falls due. (An overdue
site survey is a deadline of the repair kind, escalated by ``services/cases/push_rules.DeadlineRule``
like every other.)"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from dialogs.text import N_, Msg
from services.calendar.delivery import working_delivery_time
from services.cases.notify import send_card
from services.cases.statuses import Status
from services.people.roles import Department
from services.pushes.purposes import Purpose
from services.pushes.rules import Place, PlanRound
from services.repairs.acting import approvers_of
from services.repairs.filing import KIND
from storage.models import Ticket


class RepairRule:
    name = "repairs"

    async def plan(self, round_: PlanRound) -> None:
        for ticket in await round_.open_tickets():
            if ticket.kind == KIND:
                await self._one(round_, ticket, await round_.place(ticket))

    async def _one(self, round_: PlanRound, ticket: Ticket, place: Place) -> None:
        uow, now = round_.uow, round_.now
        staff_at = working_delivery_time(now, place.zone, place.calendar)
        approval = (await uow.repairs.pending_approval(ticket.id)
                    if ticket.status in (Status.APPROVAL, Status.COMPLETED) else None)
        if approval is not None:
            asked_on = approval.created_at.astimezone(ZoneInfo(place.zone)).date()
            waiting = next((s for s in approval.steps if s["status"] == "pending"), None)
            if waiting is not None and place.calendar.working_days_between(asked_on, place.today) >= 1:
                key = f"remind:approval:{approval.id}:{waiting['step']}"
                headline = Msg(N_("⏳ Reminder: the cost of {number} waits for your approval"),
                               {"number": ticket.number})
                if await send_card(uow, await approvers_of(uow, ticket, waiting["step"]), ticket, key, headline, now,
                                   not_before=staff_at, purpose=Purpose.REMINDER):
                    round_.report.reminders += 1
                    round_.planned(key)
        if ticket.status == Status.CONFIRMED:
            repair = await uow.repairs.get(ticket.id)
            if (repair is not None and repair.callback_at is None and repair.callback_due
                    and place.today >= repair.callback_due):
                key = f"callback:{ticket.id}"
                people = list(await uow.staff.reachable(ticket.project_id,
                                                        departments=[Department.CUSTOMER_SERVICE]))
                headline = Msg(N_("📞 Callback due today: ask the owner of {number} to rate the repair"),
                               {"number": ticket.number})
                if await send_card(uow, people, ticket, key, headline, now, not_before=staff_at,
                                   purpose=Purpose.REMINDER):
                    round_.report.reminders += 1
                    round_.planned(key)
