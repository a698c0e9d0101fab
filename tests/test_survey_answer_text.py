"""A survey answer on a staff card: a score in its question's own words (2 · 可能不会 for "would you
recommend us?", 2 · 不满意 on the satisfaction scale), and one line per question that reads cleanly
after its question mark, with the service area in brackets."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from bot.i18n import Catalogs
from dialogs.text import Plain
from services.surveys.answer_text import score_text
from services.surveys.follow_up import SurveySubject
from storage.models import FollowUp
from storage.models.surveys import SurveyCampaign, SurveyInvitation, SurveyTemplate

LIKELY = [{"zh_Hans_CN": cn, "en": en} for cn, en in (
    ("肯定不会", "Definitely not"), ("可能不会", "Probably not"), ("不确定", "Not sure"), ("可能会", "Probably yes"),
    ("肯定会", "Definitely yes"))]


def _question(name: str, zh: str, en: str, **extra: Any) -> dict[str, Any]:
    return {"name": name, "type": "rating", "label": {"zh_Hans_CN": zh, "en": en}, "required": True,
            "relevant": None, "area": None, "loyalty": None, **extra}


TEMPLATE = SurveyTemplate(form_id="demo", version="1", title={"en": "Survey"}, spec={
    "form_id": "demo", "version": "1", "title": {"en": "Survey"}, "questions": [
        _question("recommend", "您会向亲友推荐我们公司的楼盘吗？", "Would you recommend us?", loyalty="recommend",
                  scale=LIKELY),
        _question("construction", "您对房屋的工程质量满意吗？", "How is the construction quality?",
                  area="construction"),
        {"name": "note", "type": "text", "label": {"zh_Hans_CN": "其他建议：", "en": "Anything else?"},
         "required": False, "relevant": None, "area": None, "loyalty": None},
    ]}, warnings=[], source="test", imported_at=datetime(2026, 12, 7, tzinfo=UTC))
CATALOGS = Catalogs()


def _subject() -> SurveySubject:
    return SurveySubject(FollowUp(assignee="service"), SurveyInvitation(project_id=1), SurveyCampaign(name="年终调查"),
                         TEMPLATE, None, "1栋-1201", "Asia/Shanghai", "CN")


def test_a_score_reads_in_its_questions_own_words() -> None:
    chinese, english = CATALOGS.get("zh_Hans_CN"), CATALOGS.get("en")
    assert chinese.render(score_text(2, TEMPLATE, "recommend")) == "2 · 可能不会"
    assert english.render(score_text(5, TEMPLATE, "recommend")) == "5 · Definitely yes"
    assert chinese.render(score_text(2, TEMPLATE, "construction")) == "2 · 不满意"  # the satisfaction scale
    assert chinese.render(score_text(2)) == "2 · 不满意"
    assert chinese.render(score_text(2, TEMPLATE, "gone")) == "2 · 不满意"  # a question not in that version


def test_a_card_line_is_the_question_then_the_answer_with_the_area_in_brackets() -> None:
    subject = _subject()
    chinese, english = CATALOGS.get("zh_Hans_CN"), CATALOGS.get("en")
    line = subject.answer_line("recommend", score_text(2, TEMPLATE, "recommend"))
    assert chinese.render(line) == "您会向亲友推荐我们公司的楼盘吗？ — 2 · 可能不会"
    line = subject.answer_line("construction", score_text(2, TEMPLATE, "construction"))
    assert chinese.render(line) == "【工程质量】您对房屋的工程质量满意吗？ — 2 · 不满意"
    assert english.render(line) == "[Construction quality] How is the construction quality? — 2 · Dissatisfied"
    assert chinese.render(subject.answer_line("note", Plain("多种树"))) == "其他建议 — 多种树"  # no colon before it
