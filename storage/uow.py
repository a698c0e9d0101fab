"""The unit of work: one session and one transaction per update or use case.

It rolls back unless ``commit()`` was called; repositories never commit (cosmicpython).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from types import TracebackType

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from storage.repositories.birthdays import BirthdayRepository
from storage.repositories.calendar import CalendarRepository
from storage.repositories.care_calendar import CareCalendarRepository
from storage.repositories.care_meetings import CareMeetingRepository
from storage.repositories.care_notices import CareNoticeRepository
from storage.repositories.care_preview import CarePreviewRepository
from storage.repositories.care_templates import CareTemplateRepository
from storage.repositories.cases import TicketRepository
from storage.repositories.chats import ChatRepository, InvitationRepository, UpdateRepository
from storage.repositories.complaints import RoutingRepository
from storage.repositories.consent_asks import ConsentAskRepository
from storage.repositories.consents import ConsentRepository
from storage.repositories.data_requests import DataRequestRepository
from storage.repositories.follow_ups import FollowUpRepository
from storage.repositories.inquiries import CommunicationRepository
from storage.repositories.people import OwnerRepository, ProjectRepository, StaffRepository, UnitRepository
from storage.repositories.pushes import OutboxRepository
from storage.repositories.record_exports import RecordExportRepository
from storage.repositories.repairs import RepairRepository
from storage.repositories.report_issues import ReportIssueRepository
from storage.repositories.report_statistics import ReportStatisticsRepository
from storage.repositories.reports import ReportRepository
from storage.repositories.survey_campaigns import SurveyCampaignRepository
from storage.repositories.survey_metrics import SurveyMetricsRepository
from storage.repositories.survey_responses import SurveyResponseRepository
from storage.repositories.survey_templates import SurveyTemplateRepository


class UnitOfWork:
    session: AsyncSession

    def __init__(self, sessionmaker: async_sessionmaker[AsyncSession]) -> None:
        self._sessionmaker = sessionmaker

    async def __aenter__(self) -> UnitOfWork:
        self.session = self._sessionmaker()
        self.projects = ProjectRepository(self.session)
        self.units = UnitRepository(self.session)
        self.owners = OwnerRepository(self.session)
        self.staff = StaffRepository(self.session)
        self.chats = ChatRepository(self.session)
        self.updates = UpdateRepository(self.session)
        self.invitations = InvitationRepository(self.session)
        self.communication = CommunicationRepository(self.session)
        self.outbox = OutboxRepository(self.session)
        self.tickets = TicketRepository(self.session)
        self.repairs = RepairRepository(self.session)
        self.reports = ReportRepository(self.session)
        self.report_issues = ReportIssueRepository(self.session)
        self.report_statistics = ReportStatisticsRepository(self.session)
        self.record_exports = RecordExportRepository(self.session)
        self.calendar = CalendarRepository(self.session)
        self.routing = RoutingRepository(self.session)
        self.follow_ups = FollowUpRepository(self.session)
        self.survey_templates = SurveyTemplateRepository(self.session)
        self.survey_campaigns = SurveyCampaignRepository(self.session)
        self.survey_responses = SurveyResponseRepository(self.session)
        self.survey_metrics = SurveyMetricsRepository(self.session)
        self.consents = ConsentRepository(self.session)
        self.consent_asks = ConsentAskRepository(self.session)
        self.data_requests = DataRequestRepository(self.session)
        self.birthdays = BirthdayRepository(self.session)
        self.care_templates = CareTemplateRepository(self.session)
        self.care_preview = CarePreviewRepository(self.session)
        self.care_notices = CareNoticeRepository(self.session)
        self.care_calendar = CareCalendarRepository(self.session)
        self.care_meetings = CareMeetingRepository(self.session)
        self.enqueued = 0  # outbox rows added in this unit of work: the sender is woken after commit
        self._committed = False
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        try:
            if not self._committed:
                await self.session.rollback()
        finally:
            await self.session.close()

    async def commit(self) -> None:
        await self.session.commit()
        self._committed = True

    async def flush(self) -> None:
        await self.session.flush()

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A part of the transaction undone alone if it raises (the exception goes on)."""
        async with self.session.begin_nested():
            yield
