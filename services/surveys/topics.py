"""Topic investigations (专题调查, DOMAIN 3.5): an item scored 1–2 by ``threshold`` or more
households of one project in one campaign is flagged once (the item is unique in
``survey_topics``); the project's customer-service managers are told through the outbox
(``topic:<id>``) with a button to record the findings in chat, which close it."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from dialogs.actions import TopicPress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, Msg, Plain
from services.calendar.delivery import staff_delivery_time
from services.cases.results import NOT_VALID, ActionResult
from services.common.actor import Actor, Completion
from services.people.roles import SUPERVISOR_ROLES, Department
from services.pushes import outbox
from services.pushes.purposes import Purpose
from services.surveys.answer_text import question_label
from storage.models import Staff
from storage.models.surveys import SurveyInvitation, SurveyTopic
from storage.uow import UnitOfWork

TOPIC_DIALOG = "survey_topic_findings"
FINDINGS = "find"  # TopicPress action: record the findings
OPEN, DONE = "open", "done"


async def flag_topic(uow: UnitOfWork, invitation: SurveyInvitation, question: str, now: datetime,
                     threshold: int) -> None:
    """After a household scored ``question`` 1–2: flag the item once it has ``threshold`` such
    households of the project in the campaign (once: a second call, or a race, adds nothing)."""
    count = await uow.follow_ups.low_households(invitation.campaign_id, invitation.project_id, question)
    if count < threshold:
        return
    topic = await uow.follow_ups.add_topic_once(invitation.campaign_id, invitation.project_id, question, count, now)
    if topic is not None:
        await _tell_topic(uow, topic, invitation, now)


async def _tell_topic(uow: UnitOfWork, topic: SurveyTopic, invitation: SurveyInvitation, now: datetime) -> None:
    """The customer-service managers of the project hear of it once (``topic:<id>``), with a button
    to record the findings."""
    campaign = await uow.follow_ups.campaign(topic.campaign_id)
    template = await uow.follow_ups.template(invitation.template_id)
    project = await uow.projects.get(topic.project_id) if topic.project_id else None
    text = Msg(N_("🔎 Topic investigation: «{question}» was scored 1–2 by {n} owners of {project} in {campaign}. "
                  "Please investigate and record the findings."),
               {"question": question_label(template, topic.question), "n": topic.low_count,
                "project": Plain(project.name if project else "—"), "campaign": Plain(campaign.name if campaign else "—")})
    buttons = ((Button(Msg(N_("📝 Record the findings")), encode(TopicPress(topic.id, FINDINGS))),),)
    not_before = await staff_delivery_time(uow, topic.project_id, now)
    people = await uow.staff.reachable(topic.project_id, departments=[Department.CUSTOMER_SERVICE],
                                       roles=list(SUPERVISOR_ROLES))
    for person in people:
        if person.chat_id is not None:
            await outbox.enqueue(uow, key=f"topic:{topic.id}:staff:{person.id}", purpose=Purpose.REMINDER,
                                 chat_id=person.chat_id, reply=Reply(text, buttons), now=now, not_before=not_before,
                                 staff_id=person.id)


def _may_investigate(staff: Staff, topic: SurveyTopic) -> bool:
    return (staff.active and staff.department == Department.CUSTOMER_SERVICE and staff.role in SUPERVISOR_ROLES
            and (staff.project_id is None or topic.project_id in (None, staff.project_id)))


async def topic_press(uow: UnitOfWork, actor: Actor, press: TopicPress, now: datetime) -> ActionResult:
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    topic = await uow.follow_ups.topic(press.topic) if staff is not None else None
    if staff is None or topic is None or press.action != FINDINGS:
        return ActionResult(refusal=NOT_VALID)
    if not _may_investigate(staff, topic):
        return ActionResult(refusal=N_("Only the customer-service manager records the findings."))
    if topic.status != OPEN:
        return ActionResult(refusal=N_("This topic investigation is already closed."))
    return ActionResult(begin=(TOPIC_DIALOG, {"topic": topic.id}))


async def complete_topic(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """The findings close the topic investigation."""
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    topic = await uow.follow_ups.topic(int(answers["topic"]), lock=True) if answers.get("topic") else None
    if staff is None or topic is None or topic.status != OPEN or not _may_investigate(staff, topic):
        return Completion((Reply(Msg(N_("This topic investigation changed meanwhile; nothing was recorded."))),))
    topic.status, topic.findings, topic.closed_at, topic.closed_by = DONE, str(answers["findings"]), now, staff.id
    return Completion((Reply(Msg(N_("The topic investigation is closed; its findings are recorded."))),))
