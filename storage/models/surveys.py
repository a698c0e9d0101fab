"""Satisfaction surveys (满意度调查, DOMAIN 3): questionnaires (templates, versioned), campaigns,
the sampled households (invitations), their answers, and the topic investigations that clustered
low answers open.

The answer rows carry what the metrics group by (campaign, project, owner stage at the answer date,
service area, loyalty item, score), so every rate is one set-based query over one table.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, UtcDateTime


class SurveyTemplate(Base):
    """One version of a questionnaire, as imported from its XLSForm workbook."""

    __tablename__ = "survey_templates"
    __table_args__ = (UniqueConstraint("form_id", "version", name="uq_survey_templates_form_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    form_id: Mapped[str] = mapped_column(String(64), index=True)  # settings.form_id
    version: Mapped[str] = mapped_column(String(32))  # settings.version
    title: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # {locale: form_title}
    spec: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # the questionnaire, normalised (services/surveys)
    warnings: Mapped[list[Any]] = mapped_column(JSON, default=list)  # what the import reported (missing labels …)
    source: Mapped[str | None] = mapped_column(String(255))  # the file it came from
    imported_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SurveyCampaign(Base):
    """A campaign (DOMAIN 3.3): a kind, a questionnaire version, a sample and a response target."""

    __tablename__ = "survey_campaigns"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16), index=True)  # mid_year | year_end | first_visit | yearly | sales_visit | move_in_visit
    template_id: Mapped[int] = mapped_column(ForeignKey("survey_templates.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"), index=True)  # None: every project
    status: Mapped[str] = mapped_column(String(12), index=True)  # draft | running | closed
    sample_percent: Mapped[int] = mapped_column(Integer)  # share of households sampled
    complainer_percent: Mapped[int] = mapped_column(Integer, default=0)  # of the sample, drawn from the top complainers
    target_percent: Mapped[int] = mapped_column(Integer)  # response target (of the sample; coverage for first_visit)
    seed: Mapped[int] = mapped_column(BigInteger)  # the sample is reproducible from it
    period_start: Mapped[date | None] = mapped_column(Date)  # what the campaign is about (complaints "last year" …)
    period_end: Mapped[date | None] = mapped_column(Date)
    expires_after_days: Mapped[int] = mapped_column(Integer, default=14)  # an invitation's life
    created_at: Mapped[datetime] = mapped_column(UtcDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    started_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    warned_at: Mapped[datetime | None] = mapped_column(UtcDateTime())  # the CS manager was told it will miss its target
    # Households the sample was drawn from when it started (a target "of households" reads it: yearly).
    population: Mapped[int | None] = mapped_column(Integer)


class SurveyInvitation(Base):
    """One sampled household of a campaign: who is asked, what they answered so far, where it stands."""

    __tablename__ = "survey_invitations"
    __table_args__ = (
        UniqueConstraint("campaign_id", "unit_id", name="uq_survey_invitations_campaign_unit"),  # one household once
        Index("ix_survey_invitations_campaign_status", "campaign_id", "status"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id"))
    owner_id: Mapped[int] = mapped_column(ForeignKey("owners.id"), index=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id"))  # the household
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    template_id: Mapped[int] = mapped_column(ForeignKey("survey_templates.id"))  # the version asked
    stage: Mapped[str] = mapped_column(String(12))  # owner stage when sampled: prospective | settling | stable | veteran
    stratum: Mapped[str] = mapped_column(String(64))  # project/stage the sample was drawn in
    from_complainers: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(12))  # sampled | invited | started | done | expired | declined
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)  # partial answers, kept for /survey
    invited_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    reminders: Mapped[int] = mapped_column(Integer, default=0)
    last_reminded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class SurveyAnswer(Base):
    """One answered question of a household's survey, with what the metrics group by."""

    __tablename__ = "survey_answers"
    __table_args__ = (
        UniqueConstraint("invitation_id", "question", name="uq_survey_answers_invitation_question"),
        Index("ix_survey_answers_campaign_question", "campaign_id", "question", "score"),
        # The loyalty items' answers in household order, every column the rates read (a covering
        # partial index: the satisfaction and loyalty rates never touch the table).
        Index("ix_survey_answers_loyalty", "campaign_id", "invitation_id", "loyalty", "score", "stage", "project_id",
              sqlite_where=text("loyalty IS NOT NULL"), postgresql_where=text("loyalty IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    invitation_id: Mapped[int] = mapped_column(ForeignKey("survey_invitations.id"))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id"))
    template_id: Mapped[int] = mapped_column(ForeignKey("survey_templates.id"))  # the version it was asked in
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("owners.id"), index=True)  # None once anonymised
    stage: Mapped[str] = mapped_column(String(12))  # owner stage at the answer date
    question: Mapped[str] = mapped_column(String(40))  # the question's name in the form
    area: Mapped[str | None] = mapped_column(String(24))  # planning | construction | sales | customer_service | property
    loyalty: Mapped[str | None] = mapped_column(String(12))  # overall | rebuy | recommend (the three loyalty items)
    score: Mapped[int | None] = mapped_column(SmallInteger)  # 1–5 on a rating question
    choice: Mapped[list[Any] | None] = mapped_column(JSON)  # the chosen codes of a choice question
    text: Mapped[str | None] = mapped_column(Text)  # a free-text answer, or the comment on a rating
    answered_at: Mapped[datetime] = mapped_column(UtcDateTime())


class SurveyTopic(Base):
    """A topic investigation (专题调查, DOMAIN 3.5): one item scored 1–2 by many owners of a project."""

    __tablename__ = "survey_topics"
    __table_args__ = (UniqueConstraint("campaign_id", "project_id", "question", name="uq_survey_topics_item"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaigns.id"))
    project_id: Mapped[int | None] = mapped_column(ForeignKey("projects.id"))
    question: Mapped[str] = mapped_column(String(40))
    low_count: Mapped[int] = mapped_column(Integer)  # owners who scored it 1–2 when it was flagged
    flagged_at: Mapped[datetime] = mapped_column(UtcDateTime())
    status: Mapped[str] = mapped_column(String(12), default="open")  # open | done
    findings: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    closed_by: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
