"""A small mid-year campaign whose rates are computed by hand in tests/test_survey_metrics.py (and
read back in the report tests), with the campaigns the comparison must and must not pick.

Campaign "2026 mid-year" (mid_year, every project), ten households sampled:

    #  project stage(answer)  status   overall rebuy recommend | design build service
    1  A       settling       done     5       4     4         | 3      2     -
    2  A       settling       done     4       5     3         | 4      4     -
    3  A       stable (*)     done     3       4     4         | 5      1     -
    4  A       veteran        done     5       5     -         | 2      -     -
    5  B       settling       done     2       2     1         | -      2     1
    6  B       prospective    done     4       4     5         | -      -     5
    7  B       stable         started  5       5     5         | 5      -     -      (not done: left out)
    8  B       veteran        done     -       5     5         | -      -     4      (no overall: not a respondent)
    9  A       settling       invited
   10  B       stable         expired

    (*) sampled as settling; the answer's stage (at the answer date) counts.

Areas: design → planning, build → construction, service → customer_service; the loyalty items have
no area. The previous mid-year campaign (all projects) has four households, two done: 5/5/5 and
3/4/4. A year-end campaign and a mid-year campaign of project A only, created in between, are not
"the previous campaign of the same kind".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from storage.models import Building, Owner, Project, Unit
from storage.models.surveys import SurveyAnswer, SurveyCampaign, SurveyInvitation, SurveyTemplate
from storage.uow import UnitOfWork

QUESTIONS: dict[str, tuple[str | None, str | None]] = {  # name: (area, loyalty)
    "overall": (None, "overall"), "rebuy": (None, "rebuy"), "recommend": (None, "recommend"),
    "design": ("planning", None), "build": ("construction", None), "service": ("customer_service", None),
}

Row = tuple[str, str, str, dict[str, int]]  # project, answer stage, status, {question: score}

CURRENT: list[Row] = [
    ("A", "settling", "done", {"overall": 5, "rebuy": 4, "recommend": 4, "design": 3, "build": 2}),
    ("A", "settling", "done", {"overall": 4, "rebuy": 5, "recommend": 3, "design": 4, "build": 4}),
    ("A", "stable", "done", {"overall": 3, "rebuy": 4, "recommend": 4, "design": 5, "build": 1}),
    ("A", "veteran", "done", {"overall": 5, "rebuy": 5, "design": 2}),
    ("B", "settling", "done", {"overall": 2, "rebuy": 2, "recommend": 1, "build": 2, "service": 1}),
    ("B", "prospective", "done", {"overall": 4, "rebuy": 4, "recommend": 5, "service": 5}),
    ("B", "stable", "started", {"overall": 5, "rebuy": 5, "recommend": 5, "design": 5}),
    ("B", "veteran", "done", {"rebuy": 5, "recommend": 5, "service": 4}),
    ("A", "settling", "invited", {}),
    ("B", "stable", "expired", {}),
]
PREVIOUS: list[Row] = [
    ("A", "stable", "done", {"overall": 5, "rebuy": 5, "recommend": 5}),
    ("B", "veteran", "done", {"overall": 3, "rebuy": 4, "recommend": 4}),
    ("A", "stable", "invited", {}),
    ("B", "stable", "expired", {}),
]
OTHER: list[Row] = [("A", "stable", "done", {"overall": 1, "rebuy": 1, "recommend": 1})]


@dataclass(frozen=True)
class Seeded:
    current: int
    previous: int
    project_a: int
    project_b: int


async def seed_campaigns(uow: UnitOfWork, now: datetime) -> Seeded:
    projects = {code: Project(code=code, name=name, created_at=now) for code, name in (("A", "翠湖花园"), ("B", "云山府"))}
    uow.session.add_all(projects.values())
    await uow.session.flush()
    buildings = {code: Building(project_id=p.id, name="1栋") for code, p in projects.items()}
    uow.session.add_all(buildings.values())
    template = SurveyTemplate(form_id="satisfaction", version="2026.1", title={"en": "Satisfaction"},
                              spec={"questions": []}, warnings=[], imported_at=now)
    uow.session.add(template)
    await uow.session.flush()
    counter = iter(range(1, 1000))

    async def campaign(name: str, kind: str, project: str | None, created: datetime, rows: list[Row]) -> int:
        row = SurveyCampaign(name=name, kind=kind, template_id=template.id,
                             project_id=projects[project].id if project else None, status="running",
                             sample_percent=50, complainer_percent=20, target_percent=50, seed=7,
                             expires_after_days=14, created_at=created)
        uow.session.add(row)
        await uow.session.flush()
        for project_code, stage, status, scores in rows:
            number = next(counter)
            owner = Owner(name=f"业主{number}", phone=f"+86138000{number:05d}", created_at=now, birthday_leap=False,
                          blocked=False, move_in_date=date(2025, 1, 1))
            unit = Unit(building_id=buildings[project_code].id, number=f"{number:04d}")
            uow.session.add_all([owner, unit])
            await uow.session.flush()
            invitation = SurveyInvitation(
                campaign_id=row.id, owner_id=owner.id, unit_id=unit.id, project_id=projects[project_code].id,
                template_id=template.id, stage="settling" if number == 3 else stage, stratum=f"{project_code}/{stage}",
                from_complainers=False, status=status, answers={}, reminders=0)
            uow.session.add(invitation)
            await uow.session.flush()
            for question, score in scores.items():
                area, loyalty = QUESTIONS[question]
                uow.session.add(SurveyAnswer(
                    invitation_id=invitation.id, campaign_id=row.id, template_id=template.id,
                    project_id=projects[project_code].id, owner_id=owner.id, stage=stage, question=question,
                    area=area, loyalty=loyalty, score=score, text="漏水" if score <= 2 else None, answered_at=created))
        await uow.session.flush()
        return row.id

    previous = await campaign("2025 mid-year", "mid_year", None, now - timedelta(days=180), PREVIOUS)
    await campaign("2025 year-end", "year_end", None, now - timedelta(days=30), OTHER)
    await campaign("2025 A mid-year", "mid_year", "A", now - timedelta(days=20), OTHER)
    current = await campaign("2026 mid-year", "mid_year", None, now, CURRENT)
    await uow.commit()
    return Seeded(current, previous, projects["A"].id, projects["B"].id)
