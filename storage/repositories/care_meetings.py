"""Owner meetings 顾客恳谈会 (services/care/meetings.py): notices drafted by customer service and
approved by the office manager, and the care cadence (events each quarter, a meeting each half year,
the quarterly report) checked by the planner."""

from __future__ import annotations

from storage.repositories.base import Repository


class CareMeetingRepository(Repository):
    pass
