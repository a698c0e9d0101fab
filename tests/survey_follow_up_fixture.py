"""Survey answers written straight into the tables (the chat flow is tested on its own), for the
follow-up tests: a three-question questionnaire and a running campaign of project HY (the
roster of tests/factories.py: four households, three owners)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from storage.models.surveys import SurveyAnswer, SurveyCampaign, SurveyInvitation, SurveyTemplate
from storage.uow import UnitOfWork


def _label(zh: str, hant: str, en: str) -> dict[str, str]:
    return {"zh_Hans_CN": zh, "zh_Hant_HK": hant, "zh_Hant_TW": hant, "en": en}


SPEC = {
    "form_id": "csat_test", "version": "1", "title": _label("满意度调查", "滿意度調查", "Satisfaction survey"),
    "questions": [
        {"name": "overall", "type": "rating", "label": _label("总体满意度", "整體滿意度", "Overall satisfaction"),
         "required": True, "relevant": None, "area": None, "loyalty": "overall"},
        {"name": "rebuy", "type": "rating", "label": _label("是否会再次购买", "會否再次購買", "Would buy again"),
         "required": True, "relevant": None, "area": None, "loyalty": "rebuy"},
        {"name": "property", "type": "rating", "label": _label("物业服务", "物業服務", "Property management"),
         "required": True, "relevant": None, "area": "property", "loyalty": None},
        {"name": "suggest", "type": "text", "label": _label("其他建议", "其他建議", "Other suggestions"),
         "required": False, "relevant": None, "area": None, "loyalty": None},
    ],
}
LOYALTY = {"overall": "overall", "rebuy": "rebuy"}
AREA = {"property": "property"}


@dataclass
class Survey:
    campaign_id: int
    template_id: int
    project_id: int


async def seed_survey(uow: UnitOfWork, now: datetime, name: str = "2026年中满意度调查", version: str = "1") -> Survey:
    project = await uow.projects.by_code("HY")
    assert project is not None
    template = SurveyTemplate(form_id="csat_test", version=version, title=SPEC["title"], spec=SPEC, warnings=[],
                              source="test", imported_at=now)
    uow.session.add(template)
    await uow.flush()
    campaign = SurveyCampaign(name=name, kind="mid_year", template_id=template.id, project_id=project.id,
                              status="running", sample_percent=100, complainer_percent=0, target_percent=50, seed=7,
                              expires_after_days=14, created_at=now, started_at=now)
    uow.session.add(campaign)
    await uow.flush()
    return Survey(campaign.id, template.id, project.id)


async def answer(
    uow: UnitOfWork, survey: Survey, phone: str, unit: str, now: datetime, scores: dict[str, int],
    texts: dict[str, str] | None = None,
) -> tuple[SurveyInvitation, list[SurveyAnswer]]:
    """A household's finished answers (``unit``: "1栋-1201"); ``texts``: free text by question name
    (a rating's comment as "<name>__comment")."""
    owner = await uow.owners.by_phone(phone)
    assert owner is not None
    building, number = unit.split("-")
    found = [u for u in await uow.units.units_of_owner(owner.id) if u.building.name == building and u.number == number]
    assert found, unit
    invitation = SurveyInvitation(campaign_id=survey.campaign_id, owner_id=owner.id, unit_id=found[0].id,
                                  project_id=survey.project_id, template_id=survey.template_id, stage="stable",
                                  stratum="HY/stable", status="done", answers={}, invited_at=now, answered_at=now)
    uow.session.add(invitation)
    await uow.flush()
    rows = [SurveyAnswer(invitation_id=invitation.id, campaign_id=survey.campaign_id, template_id=survey.template_id,
                         project_id=survey.project_id, owner_id=owner.id, stage="stable", question=question,
                         area=AREA.get(question), loyalty=LOYALTY.get(question), score=score, answered_at=now)
            for question, score in scores.items()]
    rows += [SurveyAnswer(invitation_id=invitation.id, campaign_id=survey.campaign_id, template_id=survey.template_id,
                          project_id=survey.project_id, owner_id=owner.id, stage="stable", question=question, text=text,
                          answered_at=now)
             for question, text in (texts or {}).items()]
    for row in rows:
        uow.session.add(row)
    await uow.flush()
    return invitation, rows
