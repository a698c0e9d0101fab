"""The follow-up of unhappy survey answers (DOMAIN 3.5), below the chat: one follow-up per household
listing every item answered 1–2, for customer service; an overall score of 1 for the CS manager
personally; a topic investigation flagged exactly once when an item reaches the threshold; the
share handled."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

import services.capabilities  # noqa: F401  (registers the follow-up subjects)
from services.follow_ups.flow import queue_entries
from services.surveys.follow_up import follow_up_answers, handled_share
from storage.models import FollowUp
from storage.uow import UnitOfWork
from tests.factories import CHAN_PHONE, LI_PHONE, TEAM_CHATS, WANG_PHONE, seed_team
from tests.survey_follow_up_fixture import answer, seed_survey

NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # Monday 10:00 in Shanghai


async def _outbox_keys(uow: UnitOfWork, prefix: str) -> list[str]:
    return sorted(row.key for row in await uow.outbox.pending() if row.key.startswith(prefix))


async def _staff_ids(uow: UnitOfWork) -> dict[int, int]:
    return {s.chat_id: s.id for s in await uow.staff.all() if s.chat_id is not None}


async def test_low_items_open_one_follow_up_for_customer_service(uow_factory: Callable[[], UnitOfWork]) -> None:
    async with uow_factory() as uow:
        await seed_team(uow, NOW)
        survey = await seed_survey(uow, NOW)
        invitation, rows = await answer(uow, survey, WANG_PHONE, "1栋-1201", NOW,
                                        {"overall": 3, "rebuy": 2, "property": 1},
                                        {"property__comment": "保安经常不在岗", "suggest": "希望增加绿化"})
        await follow_up_answers(uow, invitation, rows, NOW, topic_threshold=3)
        await follow_up_answers(uow, invitation, rows, NOW, topic_threshold=3)  # again: nothing more
        [follow_up] = await _follow_ups(uow)
        assert follow_up.invitation_id == invitation.id and follow_up.ticket_id is None
        assert follow_up.assignee == "service" and follow_up.reason == "low_answer"
        assert follow_up.ratings == [["rebuy", 2], ["property", 1]] and follow_up.question == "rebuy"
        assert follow_up.due == date(2026, 11, 24) and follow_up.status == "open"
        staff = await _staff_ids(uow)
        # Customer service of the project: the agent and the manager, nobody else.
        assert await _outbox_keys(uow, f"follow_up:{follow_up.id}:") == sorted(
            f"follow_up:{follow_up.id}:opened:staff:{staff[chat]}" for chat in (TEAM_CHATS.agent, TEAM_CHATS.cs_manager))
        agent = await uow.staff.get(staff[TEAM_CHATS.agent])
        assert agent is not None
        [(_line, button)] = await queue_entries(uow, agent, NOW)
        assert button.code == f"f1:{follow_up.id}:fu"
        assert await _outbox_keys(uow, "topic:") == []


async def test_overall_one_goes_to_the_manager_personally(uow_factory: Callable[[], UnitOfWork]) -> None:
    async with uow_factory() as uow:
        await seed_team(uow, NOW)
        survey = await seed_survey(uow, NOW)
        invitation, rows = await answer(uow, survey, LI_PHONE, "1栋-1202", NOW, {"overall": 1, "rebuy": 4})
        await follow_up_answers(uow, invitation, rows, NOW, topic_threshold=3)
        happy, happy_rows = await answer(uow, survey, LI_PHONE, "2栋-0801", NOW, {"overall": 4, "rebuy": 3})
        await follow_up_answers(uow, happy, happy_rows, NOW, topic_threshold=3)  # nothing low: nothing
        [follow_up] = await _follow_ups(uow)
        assert follow_up.assignee == "manager" and follow_up.question == "overall" and follow_up.ratings == [["overall", 1]]
        staff = await _staff_ids(uow)
        assert await _outbox_keys(uow, "follow_up:") == [f"follow_up:{follow_up.id}:opened:staff:{staff[TEAM_CHATS.cs_manager]}"]
        agent = await uow.staff.get(staff[TEAM_CHATS.agent])
        assert agent is not None and await queue_entries(uow, agent, NOW) == []


async def test_a_topic_is_flagged_once_at_the_threshold_and_the_share_handled(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    households = [(WANG_PHONE, "1栋-1201"), (LI_PHONE, "1栋-1202"), (LI_PHONE, "2栋-0801"), (CHAN_PHONE, "2栋-0802")]
    async with uow_factory() as uow:
        await seed_team(uow, NOW)
        survey = await seed_survey(uow, NOW)
        other = await seed_survey(uow, NOW, name="另一次调查", version="2")
        # Another campaign's low answers do not count towards this one's.
        invitation, rows = await answer(uow, other, WANG_PHONE, "1栋-1201", NOW, {"property": 1})
        await follow_up_answers(uow, invitation, rows, NOW, topic_threshold=3)
        flagged = []
        for phone, unit in households:
            invitation, rows = await answer(uow, survey, phone, unit, NOW, {"overall": 4, "property": 2})
            await follow_up_answers(uow, invitation, rows, NOW, topic_threshold=3)
            flagged.append(len(await _outbox_keys(uow, "topic:")))
        manager = (await _staff_ids(uow))[TEAM_CHATS.cs_manager]
        assert flagged == [0, 0, 1, 1]  # the third household flags it; the fourth adds nothing
        topic = await uow.follow_ups.topic_of(survey.campaign_id, survey.project_id, "property")
        assert topic is not None and topic.low_count == 3 and topic.status == "open"
        assert await _outbox_keys(uow, "topic:") == [f"topic:{topic.id}:staff:{manager}"]
        assert await handled_share(uow, survey.campaign_id) == (0, 4)
        last = await uow.follow_ups.of_invitation(invitation.id)
        assert last is not None
        last.status = "done"
        await uow.flush()
        assert await handled_share(uow, survey.campaign_id) == (1, 4)
        assert await handled_share(uow, other.campaign_id) == (0, 1)


async def _follow_ups(uow: UnitOfWork) -> list[FollowUp]:
    return list(await uow.follow_ups.open_for(None))
