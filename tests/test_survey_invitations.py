"""The survey invitation rule on its own: the consent setting, owners who cannot be reached, keys
that make a second round add nothing, the delivery window, what the invitation and the two
reminders say (the campaign's kind, the closing date, the last one says so), an invitation
declined; and the answer rows a finished survey writes (``services/surveys/answering.py``)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from bot.i18n import Catalogs
from dialogs.engine.codec import reply_from_json
from services.pushes.rules import PlanRound, RuleSettings
from services.surveys.answering import answer_rows, decline, questionnaire_of, survey_dialog
from services.surveys.push_rules import SurveyInvitationRule
from storage.models.surveys import SurveyCampaign, SurveyInvitation, SurveyTemplate
from storage.uow import UnitOfWork
from tests.consent_helpers import consent_to
from tests.e2e.test_survey_chat import SPEC
from tests.factories import CHAN_PHONE, LI_PHONE, WANG_PHONE, seed_roster

EVENING = datetime(2026, 11, 23, 13, 0, tzinfo=UTC)  # 21:00 in Shanghai: after the delivery window


async def _seed(uow: UnitOfWork, expires_after_days: int = 5, *, consented: bool = True) -> dict[str, int]:
    """Three sampled households: 王芳 bound, 李伟 bound but has blocked the bot, 陳大文 not bound;
    all three consented to surveys unless ``consented`` is False."""
    roster = await seed_roster(uow, EVENING)
    template = SurveyTemplate(form_id="satisfaction", version="2026.1", title=SPEC["title"], spec=SPEC, warnings=[],
                              imported_at=EVENING)
    uow.session.add(template)
    await uow.session.flush()
    campaign = SurveyCampaign(name="年中", kind="mid_year", template_id=template.id, project_id=roster.project_id,
                              status="running", sample_percent=50, target_percent=50, seed=1,
                              expires_after_days=expires_after_days,
                              created_at=EVENING, started_at=EVENING)
    uow.session.add(campaign)
    await uow.session.flush()
    ids: dict[str, int] = {}
    for unit_id, (who, phone) in enumerate((("wang", WANG_PHONE), ("li", LI_PHONE), ("chan", CHAN_PHONE)), start=1):
        owner = await uow.owners.by_phone(phone)
        assert owner is not None
        if who != "chan":
            owner.chat_id = owner.telegram_user_id = 8000 + unit_id
        owner.blocked = who == "li"
        invitation = SurveyInvitation(campaign_id=campaign.id, owner_id=owner.id, unit_id=unit_id,
                                      project_id=roster.project_id, template_id=template.id, stage="settling",
                                      stratum="HY/settling", status="sampled", answers={})
        uow.session.add(invitation)
        await uow.session.flush()
        ids[who] = invitation.id
        if consented:
            await consent_to(uow, [owner.id], EVENING)
    await uow.commit()
    return ids


async def _plan(uow_factory: Callable[[], UnitOfWork], now: datetime, settings: RuleSettings) -> list[str]:
    async with uow_factory() as uow:
        round_ = PlanRound(uow, now, settings)
        await SurveyInvitationRule().plan(round_)
        await uow.commit()
        return round_.report.keys


async def test_only_reachable_owners_are_invited_once_and_only_with_the_setting(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    async with uow_factory() as uow:
        ids = await _seed(uow, consented=False)
    assert await _plan(uow_factory, EVENING, RuleSettings()) == []  # nobody consented to surveys
    async with uow_factory() as uow:
        owners = {invitation.owner_id for invitation in [await uow.survey_responses.invitation(i) for i in ids.values()]
                  if invitation is not None}
        await consent_to(uow, owners, EVENING)
        await uow.commit()
    assert await _plan(uow_factory, EVENING, RuleSettings()) == [f"survey:{ids['wang']}:invite"]
    assert await _plan(uow_factory, EVENING + timedelta(minutes=1), RuleSettings()) == []
    async with uow_factory() as uow:
        wang = await uow.survey_responses.invitation(ids["wang"])
        li = await uow.survey_responses.invitation(ids["li"])
        assert wang is not None and li is not None
        assert (wang.status, wang.expires_at) == ("invited", EVENING + timedelta(days=5))
        assert li.status == "sampled"  # blocked the bot: never pushed
        row = await uow.outbox.by_key(f"survey:{ids['wang']}:invite")
        assert row is not None and row.chat_id == 8001
        # Sent at 09:00 the next morning in Shanghai, not at 21:00.
        assert row.not_before == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    # Reminders on day 3 and 5 would be one at most before the 5-day expiry; then it expires.
    keys = [key for day in (3, 4, 5) for key in await _plan(uow_factory, EVENING + timedelta(days=day), RuleSettings())]
    assert keys == [f"survey:{ids['wang']}:remind:1", f"survey:{ids['wang']}:expired"]


async def _sent(uow_factory: Callable[[], UnitOfWork], catalogs: Catalogs, key: str) -> str:
    """An outbox row's text as 王芳 (zh_Hans_CN) reads it."""
    async with uow_factory() as uow:
        row = await uow.outbox.by_key(key)
        assert row is not None
        return catalogs.get("zh_Hans_CN").render(reply_from_json(row.payload["reply"]).text)


async def test_the_invitation_names_the_campaign_and_the_reminders_the_closing_date_the_second_as_the_last(
    uow_factory: Callable[[], UnitOfWork], catalogs: Catalogs,
) -> None:
    async with uow_factory() as uow:
        ids = await _seed(uow, expires_after_days=14)
    wang = f"survey:{ids['wang']}"
    assert await _plan(uow_factory, EVENING, RuleSettings()) == [f"{wang}:invite"]
    invitation = await _sent(uow_factory, catalogs, f"{wang}:invite")
    # 21:00 on 11-23 in Shanghai + 14 days: it closes on 12-07 there.
    assert invitation.startswith("📝 客户满意度调查表 · 年中抽样调查\n")
    assert invitation.endswith("\n问卷将于 2026年12月7日 截止。")
    for day in (3, 7):
        await _plan(uow_factory, EVENING + timedelta(days=day), RuleSettings())
    first, second = [await _sent(uow_factory, catalogs, f"{wang}:remind:{n}") for n in (1, 2)]
    assert first.startswith("📝 客户满意度调查表 · 年中抽样调查\n温馨提示")
    assert first.endswith("\n问卷将于 2026年12月7日 截止。")
    assert second.endswith("\n这是最后一次提醒：问卷将于 2026年12月7日 截止。")


async def test_a_declined_invitation_is_not_reminded_nor_expired_and_is_no_response(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    async with uow_factory() as uow:
        ids = await _seed(uow)
    await _plan(uow_factory, EVENING, RuleSettings())
    async with uow_factory() as uow:
        invitation = await uow.survey_responses.invitation(ids["wang"])
        assert invitation is not None
        await decline(uow, invitation, 8001, EVENING + timedelta(hours=12))
        await uow.commit()
    keys = [key for day in (3, 4, 5, 6) for key in await _plan(uow_factory, EVENING + timedelta(days=day),
                                                               RuleSettings())]
    assert keys == []
    async with uow_factory() as uow:
        invitation = await uow.survey_responses.invitation(ids["wang"])
        assert invitation is not None
        assert (invitation.status, invitation.reminders, invitation.answered_at) == ("declined", 0, None)
        assert await uow.survey_responses.latest_open(invitation.owner_id, EVENING + timedelta(days=1)) is None


def test_answer_rows_keep_the_question_s_area_loyalty_and_comment_and_skip_what_was_skipped() -> None:
    questionnaire = questionnaire_of(-1, SPEC)
    invitation = SurveyInvitation(id=5, campaign_id=2, template_id=3, project_id=4, owner_id=6)
    rows = answer_rows(questionnaire, invitation, {"overall": 2, "overall__comment": "漏水", "rebuy": 4,
                                                   "property": None, "suggestion": "多种树"}, "stable", EVENING)
    assert [(r.question, r.score, r.text, r.area, r.loyalty, r.stage) for r in rows] == [
        ("overall", 2, "漏水", None, "overall", "stable"),
        ("rebuy", 4, None, None, "rebuy", "stable"),
        ("suggestion", None, "多种树", None, None, "stable"),
    ]
    dialog = survey_dialog(questionnaire, "survey:5")
    assert dialog.pause_text is not None and dialog.title is not None
    assert dialog.step("property").optional and not dialog.step("overall").optional


async def test_the_operators_switch_invites_owners_without_consent_recorded_in_chat(
    uow_factory: Callable[[], UnitOfWork],
) -> None:
    """A site that collected consent on paper sets SURVEY_INVITATIONS_WITHOUT_CONSENT; an owner who
    said no in chat is still not invited."""
    async with uow_factory() as uow:
        ids = await _seed(uow, consented=False)
        wang = await uow.survey_responses.invitation(ids["wang"])
        assert wang is not None
        await consent_to(uow, [wang.owner_id], EVENING, granted=False)
        await uow.commit()
    assert await _plan(uow_factory, EVENING, RuleSettings(survey_invitations_without_consent=True)) == []
    async with uow_factory() as uow:
        await consent_to(uow, [wang.owner_id], EVENING, granted=True)
        await uow.commit()
    assert await _plan(uow_factory, EVENING, RuleSettings(survey_invitations_without_consent=True)) == [
        f"survey:{ids['wang']}:invite"]
