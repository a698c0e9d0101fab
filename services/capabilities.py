"""The composition root of the services: every capability's case kinds, dialog completers and
push rules, registered in one place. The runtime (``bot``) and the chat core (``handlers``) import
this module; nothing below it does, so the capabilities never depend on each other through it.

To add a capability: give it a package under ``services/``, then register its case kind, the
use case that completes each of its dialogs, and its push rules here (docs/architecture.md).
"""

from __future__ import annotations

from dialogs.source import DIALOGS_SOURCE, Loader
from services.calendar.schedule_warning import ScheduleWarningRule
from services.care.cadence import CadenceRule
from services.care.calendar_rules import DeliveryNoticeRule, InspectionNoticeRule, OccasionRule, WelcomeRule
from services.care.consent_ask import ConsentAskRule
from services.care.deletion import complete_refusal
from services.care.meeting_approval import complete_return as complete_meeting_return
from services.care.meetings import complete_draft as complete_meeting_draft
from services.care.notice_rule import NoticeRule
from services.care.push_rules import BirthdayRule
from services.care.retention import RetentionRule
from services.cases.follow_up import case_subject, complete_outcome
from services.cases.history_view import register_event_views
from services.cases.kinds import register_kind, registered_kinds
from services.cases.owner_actions import complete_add_info, complete_rating, complete_reopen
from services.cases.push_rules import ConfirmationRule, DeadlineRule, FollowUpRule
from services.chats.conversations import StepHook
from services.common.actor import Completer
from services.complaints.actions import (
    complete_assist,
    complete_extend,
    complete_major,
    complete_measures,
    complete_progress,
    complete_resolve,
    complete_transfer,
)
from services.complaints.filing import file_complaint
from services.complaints.kind import COMPLAINT
from services.follow_ups.subject import SubjectLoader, register_subject
from services.inquiries.log import complete_inquiry, complete_reply
from services.people.onboarding import complete_invitation
from services.pushes.rules import register_rule, registered_rules
from services.repairs.countersign import complete_objection
from services.repairs.filing import file_repair
from services.repairs.flow import (
    complete_assign,
    complete_callback,
    complete_check_fail,
    complete_completion,
    complete_override,
    complete_reject,
    complete_survey,
)
from services.repairs.flow import complete_extend as complete_repair_extend
from services.repairs.history_events import REPAIR_EVENT_VIEWS
from services.repairs.kind import REPAIR
from services.repairs.push_rules import RepairRule
from services.reports.monthly import complete_resubmit, complete_return
from services.reports.monthly_rule import MonthlyReportRule
from services.reports.weekly_rule import WeeklyReportRule
from services.surveys.answering import PREFIX as SURVEY_PREFIX
from services.surveys.answering import complete_answers, keep_answers, load_dialog
from services.surveys.campaign_rules import CampaignRule
from services.surveys.follow_up import survey_subject
from services.surveys.push_rules import SurveyInvitationRule
from services.surveys.topics import complete_topic

# Which use case runs when a dialog is confirmed, by dialog name.
COMPLETERS: dict[str, Completer] = {
    "inquiry": complete_inquiry,
    "inquiry_reply": complete_reply,
    "invitation": complete_invitation,
    "complaint": file_complaint,
    "ticket_transfer": complete_transfer,
    "ticket_assist": complete_assist,
    "ticket_progress": complete_progress,
    "ticket_extend": complete_extend,
    "ticket_resolve": complete_resolve,
    "ticket_major": complete_major,
    "ticket_measures": complete_measures,
    "ticket_reopen": complete_reopen,
    "ticket_add_info": complete_add_info,
    "ticket_rating": complete_rating,
    "repair": file_repair,
    "repair_survey": complete_survey,
    "repair_override": complete_override,
    "repair_reject": complete_reject,
    "repair_assign": complete_assign,
    "repair_extend": complete_repair_extend,
    "repair_complete": complete_completion,
    "repair_check_fail": complete_check_fail,
    "repair_callback": complete_callback,
    "repair_object": complete_objection,
    "repair_rating": complete_rating,
    "follow_up_outcome": complete_outcome,
    "survey_follow_up_outcome": complete_outcome,
    "survey_topic_findings": complete_topic,
    "data_deletion_refusal": complete_refusal,
    "owner_meeting_draft": complete_meeting_draft,
    "owner_meeting_return": complete_meeting_return,
    "monthly_report_return": complete_return, "monthly_report_resubmit": complete_resubmit,
    # By prefix: every dialog named "survey:<invitation>" (services/chats/conversations.py).
    SURVEY_PREFIX + ":": complete_answers,
}
# Run after each answer of a dialog of the prefix (a survey keeps its answers as they are given).
STEP_HOOKS: dict[str, StepHook] = {SURVEY_PREFIX + ":": keep_answers}
# Dialogs built from stored data, by name prefix (a survey: its invitation's questionnaire).
DIALOG_LOADERS: dict[str, Loader] = {SURVEY_PREFIX: load_dialog}

CASE_KINDS = (COMPLAINT, REPAIR)
# How each kind's own events read in a case's history.
EVENT_VIEWS = (REPAIR_EVENT_VIEWS,)
# In the order they plan (the order their rows reach a chat within one round).
PUSH_RULES = (ScheduleWarningRule(), RepairRule(), DeadlineRule(), ConfirmationRule(), FollowUpRule(),
              CampaignRule(), SurveyInvitationRule(), RetentionRule(), BirthdayRule(), ConsentAskRule(),
              NoticeRule(), WelcomeRule(), DeliveryNoticeRule(), InspectionNoticeRule(), OccasionRule(),
              CadenceRule(), WeeklyReportRule(), MonthlyReportRule())
# What a follow-up (回访) can be about: a case, a survey answer (services/follow_ups).
FOLLOW_UP_SUBJECTS: tuple[SubjectLoader, ...] = (case_subject, survey_subject)


def install() -> None:
    """Register the case kinds, their events' views and the push rules (idempotent: each is
    registered once; done on import, and again by the runtime at start, so nothing depends on who
    imported this module first)."""
    for kind in CASE_KINDS:
        if kind not in registered_kinds():
            register_kind(kind)
    for views in EVENT_VIEWS:
        register_event_views(views)
    for loader in FOLLOW_UP_SUBJECTS:
        register_subject(loader)
    for prefix, dialog_loader in DIALOG_LOADERS.items():
        if not DIALOGS_SOURCE.has_loader(prefix):
            DIALOGS_SOURCE.register_loader(prefix, dialog_loader)
    names = {rule.name for rule in registered_rules()}
    for rule in PUSH_RULES:
        if rule.name not in names:
            register_rule(rule)


install()
