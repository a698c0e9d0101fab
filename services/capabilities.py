"""Which use case runs when a dialog is confirmed, by dialog name."""

from __future__ import annotations

from services.cases.actions import (
    complete_add_info,
    complete_assist,
    complete_extend,
    complete_major,
    complete_measures,
    complete_progress,
    complete_rating,
    complete_reopen,
    complete_resolve,
    complete_transfer,
)
from services.cases.tickets import file_complaint
from services.common.actor import Completer
from services.inquiries.log import complete_inquiry, complete_reply
from services.people.onboarding import complete_invitation
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
    "repair_rating": complete_rating,
}
