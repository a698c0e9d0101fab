"""The owner meeting draft's typed times and send days (dialogs/meetings.py): a time typed at any
minute within 09:00–20:00, as people type it; only send days still ahead are offered."""

from __future__ import annotations

from datetime import date

import pytest

from dialogs import engine
from dialogs.engine import ButtonEvent, DaysAfter, TextEvent, condition_from_json, condition_to_json, parse_time
from dialogs.meetings import LEAD_STEPS, OWNER_MEETING_DRAFT, TODAY, chosen_lead, lead_answers

MONDAY = date(2026, 12, 7)


@pytest.mark.parametrize(("typed", "read"), [
    ("19:45", "19:45"), ("19：45", "19:45"), ("9:05", "09:05"), ("7:45 pm", "19:45"), ("7pm", "19:00"),
    ("14点30", "14:30"), ("14點半", "14:30"), ("14点30分", "14:30"), ("下午2点", "14:00"), ("晚上7点半", "19:30"),
    ("下午两点一刻", "14:15"), ("下午兩點四十五分", "14:45"), ("上午十点", "10:00"), ("中午12点", "12:00"),
    ("中午1点", "13:00"), ("十二点半", "12:30"), ("14", "14:00"), ("晚上8点", "20:00"),
])
def test_times_as_people_type_them(typed: str, read: str) -> None:
    assert parse_time(typed) == read


@pytest.mark.parametrize("typed", ["", "abc", "25:00", "14:60", "上午14点", "1945", "明天下午", "3栋"])
def test_what_is_not_a_time(typed: str) -> None:
    assert parse_time(typed) is None


def test_days_after_reads_iso_dates_and_round_trips_as_json() -> None:
    cond = DaysAfter("date", TODAY, 7)
    context = {TODAY: MONDAY.isoformat()}
    assert cond.holds({"date": "2026-12-15"}, context) and not cond.holds({"date": "2026-12-14"}, context)
    assert not cond.holds({}, context) and not cond.holds({"date": "2026-12-15"}, {})
    assert condition_from_json(condition_to_json(cond)) == cond
    with pytest.raises(ValueError):
        condition_from_json({"kind": "days_after", "key": "date", "since": TODAY, "days": "7"})


def _lead_question(meeting: date) -> tuple[engine.DialogState, list[str]]:
    """The dialog answered up to the send-day question for a meeting on ``meeting``, drafted on MONDAY."""
    context = {"projects": [["1", "华苑"]], TODAY: MONDAY.isoformat()}
    outcome = engine.start(OWNER_MEETING_DRAFT, context, today=MONDAY)
    for event in (TextEvent(meeting.isoformat()), TextEvent("19:45"), TextEvent("会所")):
        assert outcome.state is not None
        outcome = engine.advance(OWNER_MEETING_DRAFT, outcome.state, event, today=MONDAY)
    assert outcome.state is not None
    step = OWNER_MEETING_DRAFT.step(outcome.state.step)
    assert step in LEAD_STEPS and outcome.state.answers["time"] == "19:45"
    codes = [b.code[2:] for row in outcome.replies[0].buttons for b in row if b.code.startswith("c:")]
    return outcome.state, codes


@pytest.mark.parametrize(("meeting", "offered"), [
    (date(2026, 12, 22), ["14", "7", "3", "0"]),  # 15 days: two weeks before is tomorrow
    (date(2026, 12, 21), ["7", "3", "0"]),  # 14 days: two weeks before is today — not offered
    (date(2026, 12, 15), ["7", "3", "0"]),
    (date(2026, 12, 14), ["3", "0"]),
    (date(2026, 12, 11), ["3", "0"]),
    (date(2026, 12, 10), ["0"]),
    (date(2026, 12, 8), ["0"]),
])
def test_only_send_days_still_ahead_are_offered(meeting: date, offered: list[str]) -> None:
    state, codes = _lead_question(meeting)
    assert codes == offered
    done = engine.advance(OWNER_MEETING_DRAFT, state, ButtonEvent(state.rev, "c:" + offered[0]), today=MONDAY)
    assert done.state is not None and chosen_lead(dict(done.state.answers)) == offered[0]


def test_an_earlier_send_day_is_kept_only_where_it_is_offered() -> None:
    assert lead_answers("14") == {"lead": "14"}
    assert set(lead_answers("0")) == {step.key for step in LEAD_STEPS}
