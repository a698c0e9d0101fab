"""The builder's countersignature of the 《现场勘察会签表》 (DOMAIN 2.3).

A survey of a job over 500 yuan asks the builder's representatives (staff of department
``builder``) to countersign it (✍️) or object with a reason (✋); the answer is recorded on the
survey and stands on the case card. While the request is open the builder sees the repair (it is
among the ticket's assisting departments, so it is in their ``/queue``); afterwards it does not.
A rejected estimate sends the repair back to the survey: the open request is withdrawn — its
unsent notices are cancelled and the representatives told — and the new survey asks again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dialogs.engine import Reply
from dialogs.text import N_, Msg
from services.cases.history import record
from services.cases.notices import notify_line
from services.cases.notify import notify_customer_service, notify_staff, send_card, staff_delivery
from services.cases.results import STALE
from services.common.actor import Actor, Completion
from services.people.roles import Department
from services.pushes.purposes import Purpose
from services.repairs.acting import acting, approvers_of, people
from services.repairs.permissions import RepairAction
from services.repairs.rules import Countersign
from storage.models import SiteSurvey, Staff, Ticket, TicketEvent
from storage.uow import UnitOfWork


def _request_key(survey: SiteSurvey) -> str:
    return f"countersign:{survey.ticket_id}:{survey.id}"


def _builder_sees(ticket: Ticket, sees: bool) -> None:
    others = [d for d in ticket.assisting_departments if d != Department.BUILDER]
    ticket.assisting_departments = [*others, Department.BUILDER.value] if sees else others


async def request_countersign(uow: UnitOfWork, ticket: Ticket, survey: SiteSurvey, surveyed: TicketEvent,
                              now: datetime) -> None:
    """Ask the builder's representatives; call it after the survey's status change, so the card
    they get shows where the repair stands."""
    survey.countersign = Countersign.PENDING
    _builder_sees(ticket, True)
    await uow.flush()
    builders = await people(uow, ticket, Department.BUILDER)
    headline = Msg(N_("🏗 Site survey of {number} to countersign (《现场勘察会签表》)"), {"number": ticket.number})
    await send_card(uow, builders, ticket, _request_key(survey), headline, now,
                    not_before=await staff_delivery(uow, ticket, now), purpose=Purpose.CASE)
    if not builders:
        await notify_customer_service(uow, ticket, surveyed, Msg(
            N_("⚠️ Nobody of the builder can be reached on the bot to countersign the survey of {number}"),
            {"number": ticket.number}), now, managers_only=True)


async def withdraw_countersign(uow: UnitOfWork, ticket: Ticket, now: datetime) -> None:
    """The survey is to be redone: an open countersign request is void."""
    survey = await uow.repairs.latest_survey(ticket.id)
    if survey is None or survey.countersign != Countersign.PENDING:
        return
    survey.countersign = Countersign.WITHDRAWN
    _builder_sees(ticket, False)
    await uow.outbox.cancel_pending(f"{_request_key(survey)}:", "countersign request withdrawn")
    event = await record(uow, ticket, "countersign_withdrawn", now, survey=survey.id)
    await notify_staff(uow, await people(uow, ticket, Department.BUILDER), ticket, event, Msg(
        N_("🏗 The countersign request for the survey of {number} is withdrawn: the survey will be redone"),
        {"number": ticket.number}), now, with_media=False)


async def tell_answered_builder(uow: UnitOfWork, ticket: Ticket, rejected: TicketEvent, now: datetime) -> None:
    """The estimate was rejected after the builder answered the survey: the representative who
    countersigned or objected gets one line saying the survey will be redone (an open request is
    withdrawn instead, ``withdraw_countersign``); the new survey asks again."""
    survey = await uow.repairs.latest_survey(ticket.id)
    if survey is None or survey.countersigned_by is None or survey.countersign not in (Countersign.SIGNED,
                                                                                        Countersign.OBJECTED):
        return
    builder = await uow.staff.get(survey.countersigned_by)
    if builder is None or not builder.active:
        return
    text = (N_("🏗 The estimate for {number} was rejected: the site survey you countersigned will be redone")
            if survey.countersign == Countersign.SIGNED else
            N_("🏗 The estimate for {number} was rejected: the site survey you objected to will be redone"))
    await notify_line(uow, [builder], ticket, rejected, Msg(text, {"number": ticket.number}), now)


async def countersign(uow: UnitOfWork, staff: Staff, ticket: Ticket, now: datetime) -> Reply:
    survey = await _open_survey(uow, ticket)
    survey.countersign, survey.countersigned_by, survey.countersigned_at = Countersign.SIGNED, staff.id, now
    _builder_sees(ticket, False)
    event = await record(uow, ticket, "survey_countersigned", now, actor="staff", staff_id=staff.id, survey=survey.id)
    surveyor = await uow.staff.get(survey.recorded_by)
    await notify_staff(uow, [surveyor] if surveyor and surveyor.active else [], ticket, event, Msg(
        N_("✍️ The builder countersigned the site survey of {number}"), {"number": ticket.number}), now,
        with_media=False)
    return Reply(Msg(N_("You countersigned the site survey of {number}."), {"number": ticket.number}))


async def complete_objection(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """The builder objects to the survey (e.g. to the responsible party it names): recorded on the
    survey and sent to the surveyor, customer service's managers and the cost approver waiting, who
    may reject the estimate and so have the survey redone."""
    found = await acting(uow, actor, answers, RepairAction.OBJECT)
    if found is None:
        return STALE
    staff, ticket = found
    reason = str(answers["reason"])
    survey = await _open_survey(uow, ticket)
    survey.countersign, survey.countersigned_by, survey.countersigned_at = Countersign.OBJECTED, staff.id, now
    survey.countersign_note = reason
    _builder_sees(ticket, False)
    event = await record(uow, ticket, "survey_objected", now, actor="staff", staff_id=staff.id, survey=survey.id,
                         reason=reason)
    told: dict[int, Staff] = {}
    surveyor = await uow.staff.get(survey.recorded_by)
    if surveyor is not None and surveyor.active:
        told[surveyor.id] = surveyor
    approval = await uow.repairs.pending_approval(ticket.id)
    waiting = next((s["step"] for s in approval.steps if s["status"] == "pending"), None) if approval else None
    for person in await approvers_of(uow, ticket, waiting) if waiting else []:
        told[person.id] = person
    headline = Msg(N_("✋ The builder objects to the site survey of {number}"), {"number": ticket.number})
    # The card's countersignature line carries the objection and its reason: no second "Reason" line.
    await notify_staff(uow, list(told.values()), ticket, event, headline, now, with_media=False)
    await notify_customer_service(uow, ticket, event, headline, now, managers_only=True)
    return Completion((Reply(Msg(N_("Your objection to the survey of {number} is recorded and was sent on."),
                                 {"number": ticket.number})),))


async def _open_survey(uow: UnitOfWork, ticket: Ticket) -> SiteSurvey:
    survey = await uow.repairs.latest_survey(ticket.id)
    assert survey is not None and survey.countersign == Countersign.PENDING, ticket.number  # checked by the press
    return survey
