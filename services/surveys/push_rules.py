"""The owner's side of a running campaign in the outbox: the invitation, at most two polite
reminders, and the expiry (DOMAIN 4.5, 4.6: owners are pushed 09:00–20:00 in the project's time
zone and reminded of an unanswered survey a polite few times at most).

- A sampled household whose owner is bound (and has not blocked the bot) is invited once the owner
  consented to surveys (services/care/consent.py; DOMAIN 4.6), or regardless while the operator's
  ``RuleSettings.survey_invitations_without_consent`` holds (consent collected on paper). Not
  consenting, the household stays sampled and is invited if the owner consents while the campaign
  runs. The invitation names the questionnaire and how many questions it has; it expires
  ``campaign.expires_after_days`` after it was sent. Its first line names the questionnaire and
  the campaign's kind (a mid-year sample must not look like a repeat of the year-end survey), and
  it says when the survey closes (that date in the project's time zone).
- Not answered (or left half-way) after ``REMIND_AFTER_DAYS`` (3, then 7 days): a reminder each,
  no more; each gives the closing date, the second says it is the last.
- 🚫 Don't ask me again: status "declined" (``answering.decline``); no reminders, not a response.
- Expired unanswered: status "expired"; what was answered by then is written as answer rows and
  its low answers followed up like any other (every dissatisfied answer is handled), but the
  household does not count as a response.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from dialogs.actions import SurveyPress, encode
from dialogs.engine import Button, Reply
from dialogs.text import N_, DateText, Lines, Localized, Msg, Plural, Text
from services.calendar.delivery import delivery_window
from services.care import consent
from services.chats.ended import end_from_outside
from services.pushes import outbox
from services.pushes.purposes import Purpose
from services.pushes.rules import PlanRound
from services.surveys.answering import CLOSED, close, dialog_name, progress, questionnaire_of
from services.surveys.vocabulary import CAMPAIGN_LABELS, CampaignKind
from storage.repositories.survey_responses import Invited

REMIND_AFTER_DAYS = (3, 7)  # after the invitation; at most these two reminders
SECONDS_PER_QUESTION = 20  # what the invitation says it takes

START, LATER, DECLINE = "start", "later", "decline"


class SurveyInvitationRule:
    name = "survey_invitations"

    async def plan(self, round_: PlanRound) -> None:
        to_invite = await round_.uow.survey_responses.to_invite()
        consenting = await self._consenting(round_, [invited.owner.id for invited in to_invite])
        for invited in to_invite:
            if invited.owner.id in consenting:
                await self._invite(round_, invited)
        unanswered = await round_.uow.survey_responses.unanswered()
        reminded = await self._consenting(round_, [invited.owner.id for invited in unanswered])
        for invited in unanswered:
            await self._remind_or_expire(round_, invited, reminded)

    @staticmethod
    async def _consenting(round_: PlanRound, owner_ids: list[int]) -> set[int]:
        """The owners who consented to surveys (one query); with the operator's switch (consent
        collected on paper) every owner who did not say no in chat or /settings."""
        return await consent.granted_owners(round_.uow, consent.ConsentKind.SURVEYS, owner_ids,
                                            presumed=round_.settings.survey_invitations_without_consent)

    async def _invite(self, round_: PlanRound, invited: Invited) -> None:
        invitation, campaign, owner = invited.invitation, invited.campaign, invited.owner
        assert owner.chat_id is not None  # to_invite: bound owners only
        questions = len(questionnaire_of(invited.template.id, invited.template.spec).questions)
        minutes = max(1, math.ceil(questions * SECONDS_PER_QUESTION / 60))
        expires_at = round_.now + timedelta(days=campaign.expires_after_days)
        text = Lines((
            _headline(invited),
            Plural("We would like to know how satisfied you are with your home and our service. The survey has "
                   "{n} question and takes about {minutes} minutes. You can stop at any time and continue later "
                   "with /survey.",
                   "We would like to know how satisfied you are with your home and our service. The survey has "
                   "{n} questions and takes about {minutes} minutes. You can stop at any time and continue later "
                   "with /survey.",
                   questions, {"minutes": minutes}),
            Msg(N_("The survey closes on {date}."), {"date": _closing_date(expires_at, invited.timezone)}),
        ))
        key = f"{dialog_name(invitation.id)}:invite"
        start, until = delivery_window(round_.now, invited.timezone)
        await outbox.enqueue(round_.uow, key=key, purpose=Purpose.SURVEY, chat_id=owner.chat_id,
                             reply=Reply(text, _buttons(invitation.id, N_("📝 Start the survey"))), now=round_.now,
                             not_before=start, send_until=until, owner_id=owner.id)
        invitation.status = "invited"
        invitation.invited_at = round_.now
        invitation.expires_at = expires_at
        round_.planned(key)

    async def _remind_or_expire(self, round_: PlanRound, invited: Invited, consenting: set[int]) -> None:
        invitation, owner = invited.invitation, invited.owner
        now = round_.now
        if invitation.expires_at is not None and now >= invitation.expires_at:
            await close(round_.uow, invitation, dict(invitation.answers or {}), now, status="expired")
            if owner.chat_id is not None:  # a question still open in the chat: its buttons say it closed
                await end_from_outside(round_.uow, owner.chat_id, dialog_name(invitation.id), now, notice=CLOSED)
            round_.planned(f"{dialog_name(invitation.id)}:expired")
            return
        if invitation.invited_at is None or invitation.reminders >= len(REMIND_AFTER_DAYS):
            return
        if now < invitation.invited_at + timedelta(days=REMIND_AFTER_DAYS[invitation.reminders]):
            return
        if owner.chat_id is None or owner.blocked or owner.id not in consenting:
            return  # no reminder to an owner who withdrew his consent (it would be cancelled anyway)
        number = invitation.reminders + 1
        key = f"{dialog_name(invitation.id)}:remind:{number}"
        start, until = delivery_window(now, invited.timezone)
        await outbox.enqueue(round_.uow, key=key, purpose=Purpose.SURVEY, chat_id=owner.chat_id,
                             reply=Reply(_reminder(invited, last=number == len(REMIND_AFTER_DAYS)),
                                         _buttons(invitation.id, _continue_label(invited))),
                             now=now, not_before=start, send_until=until, owner_id=owner.id)
        invitation.reminders = number
        invitation.last_reminded_at = now
        round_.report.reminders += 1
        round_.planned(key)


def _title(invited: Invited) -> Localized:
    title = dict(invited.template.title or {}) or dict(invited.template.spec.get("title") or {})
    return Localized(title or {"zh_Hans_CN": invited.campaign.name})


def _headline(invited: Invited) -> Text:
    """📝 the questionnaire's title · the campaign's kind (客户满意度调查表 · 年中抽样调查)."""
    title = _title(invited)
    try:
        kind = CampaignKind(invited.campaign.kind)
    except ValueError:
        return Msg(N_("📝 {title}"), {"title": title})
    return Msg(N_("📝 {title} · {campaign}"), {"title": title, "campaign": Msg(CAMPAIGN_LABELS[kind])})


def _closing_date(expires_at: datetime, zone: str) -> DateText:
    return DateText(expires_at.astimezone(ZoneInfo(zone)).date())


def _reminder(invited: Invited, *, last: bool) -> Lines:
    """The first and the last reminder differ: the last says so. Both give the closing date."""
    answers = dict(invited.invitation.answers or {})
    if not answers:
        body = Msg(N_("A gentle reminder: your opinion matters to us. The survey takes only a few "
                      "minutes; you can start it with the button below or with /survey."))
    else:
        done, asked = progress(questionnaire_of(invited.template.id, invited.template.spec), answers)
        body = Msg(N_("A gentle reminder: you have answered {done} of {asked} questions. Your answers are "
                      "kept; continue with the button below or with /survey."), {"done": done, "asked": asked})
    expires_at = invited.invitation.expires_at
    if expires_at is None:
        return Lines((_headline(invited), body))
    closes = {"date": _closing_date(expires_at, invited.timezone)}
    deadline = Msg(N_("This is our last reminder: the survey closes on {date}."), closes) if last \
        else Msg(N_("The survey closes on {date}."), closes)
    return Lines((_headline(invited), body, deadline))


def _continue_label(invited: Invited) -> str:
    return N_("📝 Continue the survey") if invited.invitation.answers else N_("📝 Start the survey")


def _buttons(invitation_id: int, start_label: str) -> tuple[tuple[Button, ...], ...]:
    return ((Button(Msg(start_label), encode(SurveyPress(invitation_id, START))),),
            (Button(Msg(N_("Not now")), encode(SurveyPress(invitation_id, LATER))),),
            (Button(Msg(N_("🚫 Don't ask me again")), encode(SurveyPress(invitation_id, DECLINE))),))
