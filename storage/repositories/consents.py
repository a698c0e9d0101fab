"""Care: the owners' consents per kind of message (DOMAIN 4.6)."""

from __future__ import annotations

from storage.repositories.base import Repository


class ConsentRepository(Repository):
    pass
