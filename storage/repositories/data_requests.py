"""Care: owners' requests about their own data, and anonymisation (DOMAIN 5.3)."""

from __future__ import annotations

from storage.repositories.base import Repository


class DataRequestRepository(Repository):
    pass
