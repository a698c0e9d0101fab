"""The care calendar's per-owner occasions (services/care/calendar_rules.py): welcome after subscription, the delivery notice, the one-year inspection notice, family occasions; the delivery guides."""

from __future__ import annotations

from storage.repositories.base import Repository


class CareCalendarRepository(Repository):
    pass
