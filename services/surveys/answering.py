"""An owner answering a survey in chat: the dialog of an invitation (``survey:<invitation id>``),
each answer kept on the invitation as it is given (nothing lost when the owner stops), resuming at
the first unanswered question, and the finished answers written as ``SurveyAnswer`` rows.

The dialog is the questionnaire's (``Questionnaire.dialog_spec``), with the owner's way out: its
Cancel reads "⏸ Continue later", ratings show their words (5 · 非常满意 … 1 · 非常不满意), and a
question that is not required can be skipped. There is no confirmation: the last answer ends it,
and the thank-you is the only reply — the completer's, so that an owner whose answers opened a
follow-up is told in the same message who will contact them.

An owner may also decline (🚫 Don't ask me again): status "declined", no more reminders, not a
response; what was answered by then is kept and followed up, as at expiry.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from dialogs.engine import Dialog, Reply
from dialogs.spec import dialog_from_data
from dialogs.text import N_, Lines, Msg, Text
from services.chats.ended import end_from_outside
from services.common.actor import Actor, Completion
from services.pushes.rules import RuleSettings
from services.surveys.follow_up import MANAGER, follow_up_answers
from services.surveys.questionnaire import THANK_YOU, Question, Questionnaire
from services.surveys.vocabulary import stage_on
from storage.models.surveys import SurveyAnswer, SurveyInvitation
from storage.uow import UnitOfWork

PREFIX = "survey"
INVITATION_KEY = "survey_invitation"  # the dialog's context: which invitation it answers
ANSWERING = ("invited", "started")
DECLINED = "declined"  # the owner pressed "Don't ask me again": no more reminders, not a response
PAUSED = N_("Saved. You can continue where you stopped at any time: send /survey.")

_settings = RuleSettings()
_questionnaires: dict[int, Questionnaire] = {}  # by template id: a stored version never changes
_dialogs: dict[tuple[int, str], Dialog] = {}  # by template id and dialog name, built once per process
_MAX_DIALOGS = 2048  # one per invitation being answered; forgotten all at once when full


def use_settings(settings: RuleSettings) -> None:
    """The operator's settings (the topic threshold); the runtime passes them at start."""
    global _settings
    _settings = settings


def dialog_name(invitation_id: int) -> str:
    return f"{PREFIX}:{invitation_id}"


def invitation_of(name: str) -> int | None:
    prefix, _, rest = name.partition(":")
    return int(rest) if prefix == PREFIX and rest.isdigit() else None


def questionnaire_of(template_id: int, spec: Mapping[str, Any]) -> Questionnaire:
    found = _questionnaires.get(template_id)
    if found is None:
        found = _questionnaires[template_id] = Questionnaire.from_json(spec)
    return found


def survey_dialog(questionnaire: Questionnaire, name: str) -> Dialog:
    """The questionnaire's dialog as owners answer it in chat."""
    spec = questionnaire.dialog_spec(name)
    skippable = {q.name for q in questionnaire.questions if not q.required}
    for step in spec["steps"]:
        if step["type"] == "rating":
            step.setdefault("scale_labels", True)
        if step["key"] in skippable:
            step.setdefault("optional", True)
    spec.pop("done_text", None)  # the completer thanks: with who will call, when a follow-up opened
    spec.setdefault("pause_text", {"msgid": PAUSED})
    spec.setdefault("title", {"text": dict(questionnaire.title)})
    return dialog_from_data(spec)


async def load_dialog(name: str, uow: Any) -> Dialog | None:
    """The dialog loader for ``survey:<invitation id>`` (``DIALOGS_SOURCE``): ``uow`` is the chat
    turn's unit of work."""
    invitation_id = invitation_of(name)
    if not isinstance(uow, UnitOfWork) or invitation_id is None:
        return None
    invitation = await uow.survey_responses.invitation(invitation_id)
    template = await uow.survey_responses.template(invitation.template_id) if invitation is not None else None
    if template is None:
        return None
    found = _dialogs.get((template.id, name))
    if found is None:
        if len(_dialogs) >= _MAX_DIALOGS:
            _dialogs.clear()
        found = _dialogs[(template.id, name)] = survey_dialog(questionnaire_of(template.id, template.spec), name)
    return found


async def keep_answers(uow: UnitOfWork, actor: Actor, name: str, answers: Mapping[str, Any], now: datetime) -> None:
    """The step hook: the answers so far, kept on the invitation (status "started")."""
    invitation_id = invitation_of(name)
    invitation = await uow.survey_responses.invitation(invitation_id, lock=True) if invitation_id else None
    if invitation is None or invitation.owner_id != actor.identity.owner_id or invitation.status not in ANSWERING:
        return
    invitation.answers = dict(answers)
    invitation.status = "started"


async def complete_answers(uow: UnitOfWork, actor: Actor, answers: Mapping[str, Any], now: datetime) -> Completion:
    """The last answer: the rows written, the invitation done, its low answers followed up. The
    thank-you is the only reply; where an answer of 1–2 opened a follow-up it says who will call."""
    invitation_id = answers.get(INVITATION_KEY)
    invitation = await uow.survey_responses.invitation(invitation_id, lock=True) if isinstance(invitation_id, int) \
        else None
    if invitation is None or invitation.owner_id != actor.identity.owner_id:
        return _only(Msg(NOT_YOURS))
    if invitation.status == "done":  # answered twice (two instances, a double tap)
        return _only(Msg(ALREADY_DONE))
    if invitation.status not in ANSWERING:  # expired or declined meanwhile (its answers were written then)
        return _only(Msg(DECLINED_BEFORE if invitation.status == DECLINED else CLOSED))
    given = {key: value for key, value in answers.items() if key != INVITATION_KEY}
    await close(uow, invitation, given, now, status="done")
    return _only(await thank_you(uow, invitation.id))


SERVICE_WILL_CALL = N_("We are sorry we fell short: our customer service will contact you about it shortly.")
MANAGER_WILL_CALL = N_("We are sorry we fell short: our customer service manager will call you personally.")


async def thank_you(uow: UnitOfWork, invitation_id: int) -> Text:
    """The thank-you; with who will contact the owner when the answers opened a follow-up (an
    overall 1: the customer-service manager, as the complaint flow says)."""
    follow_up = await uow.follow_ups.of_invitation(invitation_id)
    if follow_up is None:
        return Msg(THANK_YOU)
    return Lines((Msg(THANK_YOU), Msg(MANAGER_WILL_CALL if follow_up.assignee == MANAGER else SERVICE_WILL_CALL)))


def _only(text: Text) -> Completion:
    return Completion((Reply(text, remove_keyboard=True),))


async def close(
    uow: UnitOfWork, invitation: SurveyInvitation, answers: Mapping[str, Any], now: datetime, *, status: str
) -> list[SurveyAnswer]:
    """End an invitation ("done"; "expired" or "declined" with what was answered): its answers become rows,
    and the low ones are followed up (every dissatisfied answer is, partial or not)."""
    template = await uow.survey_responses.template(invitation.template_id)
    owner = await uow.survey_responses.owner(invitation.owner_id)
    rows: list[SurveyAnswer] = []
    if template is not None:
        zone = await uow.survey_responses.timezone(invitation.project_id)
        stage = stage_on(owner.move_in_date if owner is not None else None, now.astimezone(ZoneInfo(zone)).date())
        rows = answer_rows(questionnaire_of(template.id, template.spec), invitation, answers, stage.value, now)
        uow.survey_responses.add_answers(rows)
    invitation.answers = dict(answers)
    invitation.status = status
    if status == "done":
        invitation.answered_at = now
    await uow.flush()
    await follow_up_answers(uow, invitation, rows, now, topic_threshold=_settings.survey_topic_threshold)
    return rows


def answer_rows(
    questionnaire: Questionnaire, invitation: SurveyInvitation, answers: Mapping[str, Any], stage: str,
    now: datetime,
) -> list[SurveyAnswer]:
    """One row per answered question that applies (a skipped one has none); a rating's comment
    rides on the rating's row."""
    rows: list[SurveyAnswer] = []
    for question in questionnaire.questions:
        value = answers.get(question.name)
        if value is None or value == [] or not _applies(question, answers):
            continue
        score, choice, text = _columns(question, value, answers)
        rows.append(SurveyAnswer(
            invitation_id=invitation.id, campaign_id=invitation.campaign_id, template_id=invitation.template_id,
            project_id=invitation.project_id, owner_id=invitation.owner_id, stage=stage, question=question.name,
            area=question.area.value if question.area else None,
            loyalty=question.loyalty.value if question.loyalty else None,
            score=score, choice=choice, text=text, answered_at=now,
        ))
    return rows


def _applies(question: Question, answers: Mapping[str, Any]) -> bool:
    return question.condition is None or question.condition.holds(answers, {})


def _columns(question: Question, value: Any, answers: Mapping[str, Any]) -> tuple[int | None, list[Any] | None,
                                                                                    str | None]:
    if question.type == "rating":
        comment = answers.get(question.comment_key or "")
        return int(value), None, comment if isinstance(comment, str) and int(value) <= 2 else None
    if question.type == "select_one":
        return None, [str(value)], None
    if question.type == "select_multiple":
        return None, [str(code) for code in value], None
    return None, None, str(value)


def progress(questionnaire: Questionnaire, answers: Mapping[str, Any]) -> tuple[int, int]:
    """(answered, asked) questions, for a reminder of a survey left half-way."""
    applying = [q for q in questionnaire.questions if _applies(q, answers)]
    return sum(1 for q in applying if q.name in answers), len(applying)


NOT_YOURS = N_("This survey was sent to someone else.")
ALREADY_DONE = N_("You have already answered this survey. Thank you!")
CLOSED = N_("This survey has closed. Thank you all the same.")
NONE_OPEN = N_("You have no survey to answer at the moment.")
DECLINED_BEFORE = N_("You chose not to take part in this survey, so it can no longer be answered. Thank you.")


async def openable(uow: UnitOfWork, actor: Actor, invitation_id: int, now: datetime) -> SurveyInvitation | str:
    """The invitation the owner may answer now, or the msgid saying why not."""
    invitation = await uow.survey_responses.invitation(invitation_id)
    if invitation is None or actor.identity.owner_id is None or invitation.owner_id != actor.identity.owner_id:
        return NOT_YOURS
    if invitation.status == "done":
        return ALREADY_DONE
    if invitation.status == DECLINED:
        return DECLINED_BEFORE
    campaign = await uow.survey_responses.campaign(invitation.campaign_id)
    expired = invitation.expires_at is not None and invitation.expires_at <= now
    if invitation.status not in ANSWERING or expired or campaign is None or campaign.status != "running":
        return CLOSED
    return invitation


DECLINED_REPLY = N_("All right, we will not ask you about this survey again. Thank you.")


async def decline(uow: UnitOfWork, invitation: SurveyInvitation, chat_id: int, now: datetime) -> None:
    """The owner will not answer: no more reminders, not a response. Answers given by then are kept
    and followed up (every dissatisfied answer is); its question still open in the chat ends."""
    await close(uow, invitation, dict(invitation.answers or {}), now, status=DECLINED)
    await end_from_outside(uow, chat_id, dialog_name(invitation.id), now, notice=DECLINED_BEFORE)


def start_of(invitation: SurveyInvitation) -> tuple[str, dict[str, object], dict[str, object]]:
    """(dialog name, context, answers so far): what ``Conversations.begin`` needs to (re)start it."""
    return dialog_name(invitation.id), {INVITATION_KEY: invitation.id}, dict(invitation.answers or {})
