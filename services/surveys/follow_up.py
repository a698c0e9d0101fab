"""Follow-up of unhappy survey answers (DOMAIN 3.5): every answer of 1–2 opens a follow-up for
customer service, an overall score of 1 goes to the customer-service manager personally, and an item
scored 1–2 by many owners of one project in a campaign opens a topic investigation (专题调查,
``topics.py``).

One follow-up per household's answers, listing every low item (less noise than one per item).
The follow-up itself — card, buttons, outcome dialog, reminders, queue entry — is the shared one
(``services/follow_ups``); this module is the survey answer as its subject and what opens it. The
share handled (done / all follow-ups of a campaign; goal 100 %) is ``handled_share``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from dialogs.actions import FollowUpPress, encode
from dialogs.engine import Button
from dialogs.phones import display_phone, mask_phone
from dialogs.text import N_, Field, Label, Localized, Msg, Plain, Text
from services.calendar.delivery import project_place, staff_delivery_time, working_delivery_time
from services.calendar.workdays import calendar_for
from services.cases.results import NOT_VALID, ActionResult
from services.cases.units import unit_label
from services.common.actor import Actor
from services.follow_ups import flow
from services.follow_ups.flow import CODES, NOT_REACHED, OPEN, REACHED, VIEW
from services.follow_ups.subject import CASE_TEXTS, Buttons, FollowUpTexts
from services.people.roles import SUPERVISOR_ROLES, Department
from services.surveys.answer_text import question_label, question_spec, score_text
from services.surveys.topics import flag_topic
from services.surveys.vocabulary import AREA_LABELS, LOW_UP_TO, Area, Loyalty
from storage.models import FollowUp, Owner, Staff
from storage.models.surveys import SurveyAnswer, SurveyCampaign, SurveyInvitation, SurveyTemplate
from storage.uow import UnitOfWork

MANAGER, SERVICE = "manager", "service"  # follow_ups.assignee: the CS manager personally | customer service
REASON = "low_answer"
STILL_UNHAPPY = "still_unhappy"  # customer service's call left the owner unhappy: the manager re-visits
OUTCOME_DIALOG = "survey_follow_up_outcome"
COMMENT_SUFFIX = "__comment"  # the free-text comment asked after a rating of 1–2

SURVEY_TEXTS = FollowUpTexts(
    opened=N_("⚠️ Dissatisfied survey answers from {number}: please re-visit"),
    reminder=N_("⏰ Follow-up of the survey answers from {number} is not done yet: please call the owner (due {date})"),
    view=N_("📞 Follow-up of the survey answers from {number}"),
    not_reached=CASE_TEXTS.not_reached,
    closed_satisfied=N_("The follow-up of the survey answers from {number} is closed: the owner is satisfied now."),
    closed_unsatisfied=N_("The follow-up of the survey answers from {number} is closed: the owner is still not "
                          "satisfied. The customer-service manager gets it to re-visit the owner."),
    queue=CASE_TEXTS.queue,
    queue_late=CASE_TEXTS.queue_late,
    refusal=N_("Only customer service records this follow-up."),
    stale=flow.STALE,
)
UNSATISFIED = N_("😟 {number} is still not satisfied after the follow-up of the survey answers ({campaign}) by "
                 "{name}: please re-visit the owner. Agreed: {agreed}")
# An overall score of 1, or an owner still unhappy after customer service's call: the
# customer-service manager re-visits personally.
MANAGER_TEXTS = replace(SURVEY_TEXTS, refusal=CASE_TEXTS.refusal, closed_unsatisfied=N_(
    "The follow-up of the survey answers from {number} is closed: the owner is still not satisfied. It is "
    "recorded with the survey answers."))


# ---------------------------------------------------------------- the survey answer as a subject


class SurveySubject:
    """A household's low survey answers as the subject of their follow-up."""

    outcome_dialog = OUTCOME_DIALOG

    def __init__(self, follow_up: FollowUp, invitation: SurveyInvitation, campaign: SurveyCampaign,
                 template: SurveyTemplate | None, owner: Owner | None, unit: str, zone: str, region: str) -> None:
        self.follow_up, self.invitation, self.campaign = follow_up, invitation, campaign
        self.template, self.owner = template, owner
        self.reference = unit
        self.category: Text = Plain(campaign.name)
        self.project_id = invitation.project_id
        self.zone, self.region = zone, region
        self.texts = MANAGER_TEXTS if follow_up.assignee == MANAGER else SURVEY_TEXTS

    def may_see(self, staff: Staff) -> bool:
        """Customer service of the owner's project (or company-wide)."""
        return (staff.active and staff.department == Department.CUSTOMER_SERVICE
                and (staff.project_id is None or self.project_id in (None, staff.project_id)))

    def may_act(self, staff: Staff) -> bool:
        """Anyone of customer service; the managers only, when it is theirs personally."""
        return self.may_see(staff) and (self.follow_up.assignee != MANAGER or staff.role in SUPERVISOR_ROLES)

    async def people(self, uow: UnitOfWork) -> list[Staff]:
        roles = list(SUPERVISOR_ROLES) if self.follow_up.assignee == MANAGER else []
        people = await uow.staff.reachable(self.project_id, departments=[Department.CUSTOMER_SERVICE], roles=roles)
        return [person for person in people if self.may_act(person)]

    async def card_lines(self, uow: UnitOfWork, follow_up: FollowUp, viewer: Staff, now: datetime) -> list[Text]:
        """The owner (the full number only to whoever calls while it is open, DOMAIN 5.2), each low item with its
        score and comment, and the other free-text answers."""
        phone = self.owner.phone if self.owner is not None else None
        calls = self.may_act(viewer) and follow_up.status == OPEN  # masked for observers and once closed
        shown = "—" if not phone else display_phone(phone) if calls else mask_phone(phone)
        if phone and calls:
            _record_phone_shown(follow_up, viewer, now)
        lines: list[Text] = [
            Field(Msg(N_("Satisfaction survey")), self.category),
            Field(Msg(N_("Owner")), Plain(self.owner.name if self.owner is not None else "—")),
            Field(Msg(N_("Unit")), Plain(self.reference)),
            Field(Msg(N_("Phone")), Plain(shown)),
        ]
        if follow_up.assignee == MANAGER and follow_up.reason == REASON:
            lines.append(Msg(N_("Overall satisfaction 1: the customer-service manager re-visits personally.")))
        answers = await uow.follow_ups.survey_answers(self.invitation.id)
        low = {str(name) for name, _score in follow_up.ratings}
        comments = {row.question.removesuffix(COMMENT_SUFFIX): row.text for row in answers
                    if row.question.endswith(COMMENT_SUFFIX) and row.text}
        for name, score in follow_up.ratings:
            rated = next((row for row in answers if row.question == name), None)
            lines.append(self.answer_line(str(name), score_text(int(score), self.template, str(name))))
            comment = comments.get(str(name)) or (rated.text if rated is not None else None)
            if comment:
                lines.append(Field(Msg(N_("Comment")), Plain(comment)))
        for row in answers:  # what else the owner wrote
            if row.text and row.score is None and not row.question.endswith(COMMENT_SUFFIX) and row.question not in low:
                lines.append(self.answer_line(row.question, Plain(row.text)))
        return lines

    def answer_line(self, name: str, answer: Text) -> Text:
        """"【工程质量】您对房屋的工程质量满意吗？ — 2 · 不满意": the question as asked (a "label: value"
        line would add a colon to its question mark), its service area in brackets when it has one."""
        area = _area((question_spec(self.template, name) or {}).get("area"))
        label = self.label(name)
        if isinstance(label, Localized):  # "其他建议：" — a colon before the dash says nothing
            label = Localized({locale: text.rstrip().rstrip(":：") or text for locale, text in label.texts.items()})
        if area is None:
            return Msg(N_("{question} — {answer}"), {"question": label, "answer": answer})
        return Msg(N_("[{area}] {question} — {answer}"),
                   {"area": Msg(AREA_LABELS[area]), "question": label, "answer": answer})

    def label(self, name: str) -> Label:
        """A question's label in the reader's locale, from the version the owner answered."""
        return question_label(self.template, name)

    def buttons(self, follow_up: FollowUp) -> Buttons:
        return ((Button(Msg(N_("✅ Reached: record the outcome")), encode(FollowUpPress(follow_up.id, REACHED))),
                 Button(Msg(N_("📵 Not reached")), encode(FollowUpPress(follow_up.id, NOT_REACHED)))),)

    def view_button(self, follow_up: FollowUp) -> Button:
        return Button(Plain(f"📞 {self.reference}"), encode(FollowUpPress(follow_up.id, VIEW)))

    async def record_attempt(self, uow: UnitOfWork, now: datetime, **data: Any) -> None:
        """Nothing more to keep: the follow-up's row holds its attempts (and when the last was)."""

    async def record_closed(self, uow: UnitOfWork, now: datetime, **data: Any) -> None:
        """The follow-up's row holds who closed it, when, and the outcome. An owner customer service
        left still unhappy is the manager's to re-visit (DOMAIN 3.5): a follow-up of the CS manager's
        own opens on the same answers, its card saying who called and what was agreed, with the full
        number and the buttons to record the re-visit."""
        if data.get("satisfied") or self.follow_up.assignee != SERVICE:
            return
        recorder = await uow.staff.get(int(data["staff_id"])) if data.get("staff_id") else None
        again = FollowUp(
            invitation_id=self.invitation.id, question=self.follow_up.question, owner_id=self.follow_up.owner_id,
            assignee=MANAGER, project_id=self.project_id, reason=STILL_UNHAPPY, ratings=list(self.follow_up.ratings),
            comment=self.follow_up.comment, opened_at=now, status=OPEN, attempts=0,
            due=await flow.due_day(uow, self.zone, self.region, now),
        )
        uow.follow_ups.add(again)
        await uow.flush()
        subject = await survey_subject(uow, again)
        if subject is None:
            return
        headline = Msg(UNSATISFIED, {"number": self.reference, "campaign": self.category,
                                     "name": Plain(recorder.name if recorder is not None else "—"),
                                     "agreed": Plain(str(data.get("agreed") or "—"))})
        not_before = working_delivery_time(now, self.zone, await calendar_for(uow, self.region))
        await flow.send_follow_up(uow, again, subject, f"follow_up:{again.id}:opened", headline, now,
                                  not_before=not_before)


def _area(code: Any) -> Area | None:
    return next((area for area in Area if area.value == code), None)


def _record_phone_shown(follow_up: FollowUp, viewer: Staff, now: datetime) -> None:
    """The first time a person is shown the full number of this follow-up's owner, it is kept with
    the time (once per person, as a case's ``phone_shown`` event)."""
    shown = list(follow_up.phone_shown or [])
    if all(entry[0] != viewer.id for entry in shown):
        follow_up.phone_shown = [*shown, [viewer.id, now.isoformat()]]


async def survey_subject(uow: UnitOfWork, follow_up: FollowUp, lock: bool = False) -> SurveySubject | None:
    """The subject loader of follow-ups about survey answers (registered in ``services/capabilities.py``)."""
    if follow_up.invitation_id is None:
        return None
    invitation = await uow.follow_ups.invitation(follow_up.invitation_id)
    campaign = await uow.follow_ups.campaign(invitation.campaign_id) if invitation is not None else None
    if invitation is None or campaign is None:
        return None
    template = await uow.follow_ups.template(invitation.template_id)
    owner = await uow.owners.get(invitation.owner_id)
    unit = next((unit_label(u) for u in await uow.units.units_of_owner(invitation.owner_id)
                 if u.id == invitation.unit_id), "—")
    zone, region = await project_place(uow, invitation.project_id)
    return SurveySubject(follow_up, invitation, campaign, template, owner, unit, zone, region)


# ---------------------------------------------------------------- opening follow-ups and topics


def low_rows(rows: Sequence[SurveyAnswer]) -> list[SurveyAnswer]:
    return [row for row in rows if row.score is not None and 1 <= row.score <= LOW_UP_TO]


async def follow_up_answers(
    uow: UnitOfWork, invitation: SurveyInvitation, rows: Sequence[SurveyAnswer], now: datetime, *,
    topic_threshold: int,
) -> None:
    """A household's finished answers: one follow-up listing every item answered 1–2 (the CS
    manager's personally when overall satisfaction is 1), and a topic investigation for an item
    that reaches ``topic_threshold`` low households of the project in the campaign. Idempotent."""
    low = low_rows(rows)
    if not low:
        return
    await uow.flush()  # the answers just added count for the topics
    if await uow.follow_ups.of_invitation(invitation.id) is None:
        await _open(uow, invitation, low, rows, now)
    for question in dict.fromkeys(row.question for row in low):
        await flag_topic(uow, invitation, question, now, topic_threshold)


async def _open(uow: UnitOfWork, invitation: SurveyInvitation, low: list[SurveyAnswer],
                rows: Sequence[SurveyAnswer], now: datetime) -> None:
    overall = next((row for row in low if row.loyalty == Loyalty.OVERALL), None)
    assignee = MANAGER if overall is not None and overall.score == 1 else SERVICE
    comments = [row.text for row in rows if row.text and row.score is None] + [row.text for row in low if row.text]
    zone, region = await project_place(uow, invitation.project_id)
    follow_up = FollowUp(
        invitation_id=invitation.id, question=(overall or low[0]).question, owner_id=invitation.owner_id,
        assignee=assignee, project_id=invitation.project_id, reason=REASON,
        ratings=[[row.question, int(row.score or 0)] for row in low], comment="\n".join(comments) or None,
        opened_at=now, status=OPEN, attempts=0, due=await flow.due_day(uow, zone, region, now),
    )
    uow.follow_ups.add(follow_up)
    await uow.flush()
    subject = await survey_subject(uow, follow_up)
    if subject is None:
        return
    headline = Msg(subject.texts.opened, {"number": subject.reference})
    await flow.send_follow_up(uow, follow_up, subject, f"follow_up:{follow_up.id}:opened", headline, now,
                              not_before=await staff_delivery_time(uow, invitation.project_id, now))


async def handled_share(uow: UnitOfWork, campaign_id: int) -> tuple[int, int]:
    """(done, all) follow-ups of a campaign's answers: the share handled (goal 100 %)."""
    return await uow.follow_ups.handled_share(campaign_id)


# ---------------------------------------------------------------- buttons and dialogs


async def follow_up_press(uow: UnitOfWork, actor: Actor, press: FollowUpPress, now: datetime) -> ActionResult:
    """A button on a survey follow-up's card; forged, foreign or stale presses change nothing."""
    staff = await uow.staff.get(actor.identity.staff_id) if actor.identity.staff_id else None
    follow_up = await uow.follow_ups.get(press.follow_up, lock=True) if staff is not None else None
    if staff is None or follow_up is None or follow_up.invitation_id is None or press.action not in CODES:
        return ActionResult(refusal=NOT_VALID)
    subject = await survey_subject(uow, follow_up)
    if subject is None or not subject.may_see(staff):
        return ActionResult(refusal=NOT_VALID)
    if press.action == VIEW:
        return await flow.press(uow, staff, subject, follow_up, VIEW, now)
    if not subject.may_act(staff):
        return ActionResult(refusal=subject.texts.refusal)
    if follow_up.status != OPEN:
        return ActionResult(refusal=flow.ALREADY_CLOSED)
    result = await flow.press(uow, staff, subject, follow_up, press.action, now)
    result.used = press.action == NOT_REACHED  # recorded: its reply carries the buttons now
    return result
