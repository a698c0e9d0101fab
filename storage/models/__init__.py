"""SQLAlchemy models, one module per capability. One schema for SQLite and PostgreSQL; Alembic
owns its evolution. Every model is imported here, so ``Base.metadata`` is complete."""

from __future__ import annotations

from storage.models.base import Base, UtcDateTime
from storage.models.calendar import CalendarDay, CalendarYear
from storage.models.care import (
    CareDocument,
    CareNotice,
    CareTemplate,
    CareTemplateChange,
    Consent,
    DataRequest,
    FamilyOccasion,
)
from storage.models.cases import NumberSequence, Ticket, TicketEvent
from storage.models.chats import Chat, ProcessedUpdate
from storage.models.complaints import RoutingOverride
from storage.models.follow_ups import FollowUp
from storage.models.inquiries import CommunicationEntry
from storage.models.people import Building, CodeAttempt, InvitationCode, Owner, OwnerUnit, Project, Staff, Unit
from storage.models.pushes import OutboxFile, OutboxMessage
from storage.models.repairs import CostApproval, Repair, SiteSurvey, WarrantyOverride, WorkOrder
from storage.models.reports import ReportFile, ReportIssue, ReportRecipient
from storage.models.surveys import SurveyAnswer, SurveyCampaign, SurveyInvitation, SurveyTemplate, SurveyTopic

__all__ = [
    "Base",
    "Building",
    "CalendarDay",
    "CalendarYear",
    "CareDocument",
    "CareNotice",
    "CareTemplate",
    "CareTemplateChange",
    "Chat",
    "CodeAttempt",
    "CommunicationEntry",
    "Consent",
    "CostApproval",
    "DataRequest",
    "FamilyOccasion",
    "FollowUp",
    "InvitationCode",
    "NumberSequence",
    "OutboxFile",
    "OutboxMessage",
    "Owner",
    "OwnerUnit",
    "ProcessedUpdate",
    "Project",
    "Repair",
    "ReportFile",
    "ReportIssue",
    "ReportRecipient",
    "RoutingOverride",
    "SiteSurvey",
    "Staff",
    "SurveyAnswer",
    "SurveyCampaign",
    "SurveyInvitation",
    "SurveyTemplate",
    "SurveyTopic",
    "Ticket",
    "TicketEvent",
    "Unit",
    "UtcDateTime",
    "WarrantyOverride",
    "WorkOrder",
]
