"""Deleting an owner's personal data on his request (DOMAIN 5.3).

The owner asks in chat (🗑 under /mydata's file, or ``/mydata delete``) and confirms once, having
read what it means; the request is recorded (``DataRequest`` deletion, requested) and goes to the
customer-service managers of his projects with ✅ Approve / ❌ Refuse. Approval tells the owner
(while his chat is still known) and anonymises him (``DataRequestRepository.anonymise``); a refusal
needs a reason, which the owner is told. Who decided and when stays on the request."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dialogs.actions import DataRequestPress, MyDataPress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, Msg, Plain
from services.cases.results import NOT_VALID, ActionResult
from services.common.actor import Actor, Completion
from services.people.identity import Kind
from services.people.roles import SUPERVISOR_ROLES, Department
from services.pushes.outbox import enqueue
from services.pushes.purposes import Purpose
from storage.models import Owner, Staff
from storage.models.care import DataRequest
from storage.uow import UnitOfWork

DELETE, CONFIRM, KEEP = "delete", "confirm", "keep"
APPROVE, REFUSE = "approve", "refuse"
REFUSAL_DIALOG = "data_deletion_refusal"

DELETE_BUTTON = N_("🗑 Delete my personal data")
EXPLAINED = N_("Deleting your personal data means: your name, phone number, birthday and the link to this chat are "
               "removed. Your cases and survey answers are kept without your identity, for statistics only. You "
               "can no longer use this bot as an owner unless you register again. Customer service decides on "
               "the request and we tell you here. Delete your personal data?")
CONFIRM_BUTTON, KEEP_BUTTON = N_("✅ Yes, delete it"), N_("✖ No, keep it")
KEPT = N_("Nothing was changed; your data is kept.")
ASKED = N_("Your request is recorded and sent to customer service. We will tell you here when it is decided.")
ALREADY_ASKED = N_("You have already asked for the deletion of your personal data; customer service will decide.")
NOT_AN_OWNER = N_("Only a registered owner can ask for the deletion of their personal data.")
MANAGER_CARD = N_("🗑 Owner {name} ({units}) asks for the deletion of their personal data (request #{id}). Approving "
                  "removes the name, phone, birthday and chat link; cases and survey answers are kept anonymised.")
APPROVE_BUTTON, REFUSE_BUTTON = N_("✅ Approve"), N_("❌ Refuse")
ONLY_MANAGERS = N_("Only the owner's customer-service manager decides on a deletion request.")
DECIDED = N_("This request has already been decided.")
DONE_OWNER = N_("Your personal data has been deleted as you asked. Thank you for having been with us; to use this "
                "bot as an owner again, please register again through customer service.")
DONE_MANAGER = N_("Done: the owner's personal data is deleted (request #{id}).")
REFUSED_OWNER = N_("Your request to delete your personal data was refused. The reason: {reason}")
REFUSED_MANAGER = N_("The request #{id} is refused; the owner is told the reason.")
CHANGED = N_("This request changed meanwhile; nothing was recorded.")


def delete_button() -> tuple[Button, ...]:
    return (Button(Msg(DELETE_BUTTON), encode(MyDataPress(DELETE))),)


def _explained() -> Reply:
    return Reply(Msg(EXPLAINED), ((Button(Msg(CONFIRM_BUTTON), encode(MyDataPress(CONFIRM))),
                                   Button(Msg(KEEP_BUTTON), encode(MyDataPress(KEEP)))),))


async def _owner(uow: UnitOfWork, actor: Actor) -> Owner | None:
    owner_id = actor.identity.owner_id
    if actor.identity.kind != Kind.OWNER or owner_id is None:
        return None
    owner = await uow.owners.get(owner_id)
    return owner if owner is not None and owner.anonymised_at is None else None


async def ask(uow: UnitOfWork, actor: Actor) -> Reply:
    """``/mydata delete``: what deletion means, with the confirmation buttons."""
    if await _owner(uow, actor) is None:
        return Reply(Msg(NOT_AN_OWNER))
    return _explained()


async def owner_press(uow: UnitOfWork, actor: Actor, press: MyDataPress, now: datetime) -> ActionResult:
    owner = await _owner(uow, actor)
    if owner is None:
        return ActionResult(refusal=NOT_AN_OWNER)
    if press.action == DELETE:
        return ActionResult(replies=[_explained()])
    if press.action == KEEP:
        return ActionResult(replies=[Reply(Msg(KEPT))], used=True)
    if press.action != CONFIRM:
        return ActionResult(refusal=NOT_VALID)
    if await uow.data_requests.open_deletion(owner.id) is not None:
        return ActionResult(replies=[Reply(Msg(ALREADY_ASKED))], used=True)
    request = await uow.data_requests.record(owner.id, "deletion", "requested", now)
    await _tell_managers(uow, owner, request, now)
    return ActionResult(replies=[Reply(Msg(ASKED))], used=True)


async def _projects(uow: UnitOfWork, owner_id: int) -> set[int]:
    return {unit.building.project_id for unit in await uow.units.units_of_owner(owner_id)}


async def _tell_managers(uow: UnitOfWork, owner: Owner, request: DataRequest, now: datetime) -> None:
    units = await uow.units.units_of_owner(owner.id)
    label = ", ".join(f"{u.building.project.name} {u.building.name}-{u.number}" for u in units) or "—"
    text = Msg(MANAGER_CARD, {"name": Plain(owner.name), "units": Plain(label), "id": request.id})
    buttons = ((Button(Msg(APPROVE_BUTTON), encode(DataRequestPress(request.id, APPROVE))),
                Button(Msg(REFUSE_BUTTON), encode(DataRequestPress(request.id, REFUSE)))),)
    managers: dict[int, Staff] = {}
    # No unit (an owner imported without one): the company-wide managers decide.
    projects: list[int | None] = [*sorted(await _projects(uow, owner.id))] or [None]
    for project_id in projects:
        for person in await uow.staff.reachable(project_id, departments=[Department.CUSTOMER_SERVICE],
                                                roles=list(SUPERVISOR_ROLES)):
            if project_id is not None or person.project_id is None:
                managers[person.id] = person
    for person in managers.values():
        assert person.chat_id is not None
        await enqueue(uow, key=f"data_request:{request.id}:staff:{person.id}", purpose=Purpose.REMINDER,
                      chat_id=person.chat_id, staff_id=person.id, now=now, reply=Reply(text, buttons))


async def _may_decide(uow: UnitOfWork, staff: Staff, request: DataRequest) -> bool:
    if not (staff.active and staff.department == Department.CUSTOMER_SERVICE and staff.role in SUPERVISOR_ROLES):
        return False
    if staff.project_id is None:
        return True
    return request.owner_id is not None and staff.project_id in await _projects(uow, request.owner_id)


async def _decidable(uow: UnitOfWork, actor: Actor, request_id: int) -> tuple[Staff, DataRequest, Owner] | str:
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    request = await uow.data_requests.get(request_id, lock=True)
    if request is None or request.kind != "deletion" or request.owner_id is None:
        return NOT_VALID
    if staff is None or not await _may_decide(uow, staff, request):
        return ONLY_MANAGERS
    owner = await uow.owners.get(request.owner_id)
    if request.status != "requested" or owner is None:
        return DECIDED
    return staff, request, owner


async def manager_press(uow: UnitOfWork, actor: Actor, press: DataRequestPress, now: datetime) -> ActionResult:
    if press.action not in (APPROVE, REFUSE):
        return ActionResult(refusal=NOT_VALID)
    found = await _decidable(uow, actor, press.request)
    if isinstance(found, str):
        return ActionResult(refusal=found)
    staff, request, owner = found
    if press.action == REFUSE:
        return ActionResult(begin=(REFUSAL_DIALOG, {"request": request.id}))
    chat_id = owner.chat_id  # he is told in the chat known until now; the drain reads his locale by id
    await uow.data_requests.anonymise(owner, now)  # also stops what was queued for him
    if chat_id is not None:
        await enqueue(uow, key=f"data_request:{request.id}:owner", purpose=Purpose.CASE, chat_id=chat_id,
                      owner_id=owner.id, now=now, reply=Reply(Msg(DONE_OWNER)))
    request.status, request.decided_by, request.decided_at, request.done_at = "done", staff.id, now, now
    return ActionResult(replies=[Reply(Msg(DONE_MANAGER, {"id": request.id}))], used=True)


async def complete_refusal(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """The reason closes the request as refused; the owner is told it."""
    found = await _decidable(uow, actor, int(answers["request"])) if answers.get("request") else NOT_VALID
    if isinstance(found, str):
        return Completion((Reply(Msg(CHANGED)),))
    staff, request, owner = found
    reason = str(answers["reason"])
    request.status, request.decided_by, request.decided_at, request.reason = "refused", staff.id, now, reason
    if owner.chat_id is not None:
        await enqueue(uow, key=f"data_request:{request.id}:owner", purpose=Purpose.CASE, chat_id=owner.chat_id,
                      owner_id=owner.id, now=now, reply=Reply(Msg(REFUSED_OWNER, {"reason": Plain(reason)})))
    return Completion((Reply(Msg(REFUSED_MANAGER, {"id": request.id})),))
